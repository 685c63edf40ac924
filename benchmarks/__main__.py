"""`python -m benchmarks [--quick] [--json FILE]`: prints a table of speed figures; --json writes them."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from benchmarks import delivery, matching, polling, search, serving, stories, tagging
from bot.build import description
from bot.classify import Classifier
from bot.config import load_defaults
from bot.settings import PROJECT_ROOT
from bot.taxonomy import load_taxonomy

GOALS = {
    "tagging_docs_per_s": ">= 5000",
    "unchanged_feed_cost_ratio": "<= 1.5",
    "search_p99_ms_100k": "<= 50",
    "match_ms_10k": "<= 1.0",
    "match_ms_100k": "<= 5.0",
    "slash_ack_p99_ms": "<= 300",
    "rss_mb_100k": "<= 300",
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, within a few minutes on 2 cores")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    config = PROJECT_ROOT / "config"
    classifier = Classifier(load_taxonomy(config), load_defaults(config).classifier.to_config())
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    # setup.py's COOP_COMPILE=1 build: the same code, compiled; the figures say which one they measured
    figures: dict[str, object] = {"machine": machine, "build": description()}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        figures.update(tagging.run(classifier, seconds=2 if args.quick else 5))
        figures.update(matching.run(classifier, [10_000, 100_000]))
        figures.update(stories.run(classifier.taxonomy))
        sizes = [10_000] if args.quick else [10_000, 100_000]
        figures.update(search.run(classifier, sizes, work))
        largest = sizes[-1]
        figures.update(serving.run(work / f"search-{largest}.sqlite3", work, f"{largest // 1000}k"))
        figures.update(delivery.run(work, 1000))
        figures.update(polling.run(work, 200 if args.quick else 1000))
    ours, naive = figures["tagging_docs_per_s"], figures["tagging_naive_docs_per_s"]
    figures["tagging_vs_naive"] = round(float(ours) / float(naive), 2)  # type: ignore[arg-type]
    figures["tagging_vs_limit"] = round(float(ours) / float(figures["tagging_limit_docs_per_s"]), 2)  # type: ignore[arg-type]
    figures["total_s"] = round(time.perf_counter() - started, 1)
    for key, value in figures.items():
        print(f"{key:32} {value!s:>14}  {GOALS.get(key, '')}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
