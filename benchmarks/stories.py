"""Stories: how fast a release is placed among 90 days of releases, and how apart the development set's pairs are.

`python -m benchmarks.stories` prints the pairs of development releases within the story window with the highest
similarity, so the threshold can be checked against real text.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from benchmarks.corpus import DEV_SET, documents
from bot.evaluate import plain_text
from bot.stories import DEFAULTS, StoryIndex, story_words
from bot.taxonomy import Taxonomy

START = datetime(2026, 1, 1, tzinfo=UTC)


def run(taxonomy: Taxonomy, recent: int = 5000, placed: int = 200) -> dict[str, float]:
    """`recent` releases over 90 days (dozens a day, more than every watched newsroom together), then `placed`
    new ones: seconds to build the index as `coop run` does at start, milliseconds to place a release."""
    docs = documents(taxonomy)
    step = timedelta(days=90) / recent
    started = time.perf_counter()
    index = StoryIndex()
    for n in range(recent):
        title, text = docs[n % len(docs)]
        index.add(f"r{n}", None, START + n * step, story_words(f"{n} {title}", text))
    built = time.perf_counter() - started
    started = time.perf_counter()
    for n in range(placed):
        title, text = docs[(n * 7) % len(docs)]
        words = story_words(title, text)
        index.story_of(f"new{n}", START + (recent - placed + n) * step, words)
    return {"story_index_build_s": round(built, 2),
            "story_place_ms": round((time.perf_counter() - started) * 1000 / placed, 2)}


def development_pairs() -> list[tuple[float, str, str]]:
    """Every pair of development releases published within the story window, most similar first: each release
    scored as it arrives, against the releases before it, as coop does."""
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    items.sort(key=lambda item: item["published"])
    index, titles, pairs = StoryIndex(), {}, []
    for item in items:
        titles[item["id"]] = title = plain_text(item["title"])
        text = plain_text(item.get("summary", "")) + "\n\n" + plain_text(item.get("content", ""))
        date, words = datetime.fromisoformat(item["published"].replace("Z", "+00:00")), story_words(title, text)
        pairs += [(score, titles[other], title) for score, other in index.similar(item["id"], date, words)]
        index.add(item["id"], None, date, words)
    return sorted(pairs, reverse=True)


def main() -> None:
    if not DEV_SET.exists():
        print(f"{DEV_SET} is not here: no development pairs to show")
        return
    pairs = development_pairs()
    print(f"{len(pairs)} pairs within {DEFAULTS.days:g} days; one story at {DEFAULTS.same_story} or more")
    for score, first, second in pairs[:8]:
        print(f"{score:.3f}  {first[:60]}  |  {second[:60]}")


if __name__ == "__main__":
    main()
