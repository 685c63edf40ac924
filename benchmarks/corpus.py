"""Texts to measure on: the shared development set where present, else text made from the taxonomy's words."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bot.evaluate import plain_text
from bot.settings import PROJECT_ROOT
from bot.taxonomy import Taxonomy

DEV_SET = PROJECT_ROOT.parent / "shared" / "data" / "eurojust-dev.jsonl"
FILLER_TEXT = (
    "the authorities of the member states said that the investigation was carried out with the support of "
    "national prosecutors and police officers in several countries after months of cooperation"
)
FILLER = FILLER_TEXT.split(" ")


def documents(taxonomy: Taxonomy, size: int = 4096, count: int = 200, seed: int = 1) -> list[tuple[str, str]]:
    """(title, text) pairs of about `size` characters each."""
    if Path(DEV_SET).exists():
        items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
        docs = []
        for item in items[:count]:
            text = plain_text(item.get("summary", "")) + "\n\n" + plain_text(item.get("content", ""))
            while len(text) < size:
                text += "\n\n" + text
            docs.append((plain_text(item["title"]), text[:size]))
        return docs
    rng = random.Random(seed)
    phrases = [p for area in taxonomy.areas.values() for p in area.strong]
    phrases += [a.name for a in taxonomy.agencies.values()]
    docs = []
    for n in range(count):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < size:
            words.append(rng.choice(phrases) if rng.random() < 0.05 else rng.choice(FILLER))
        docs.append((f"Release {n}", " ".join(words)[:size]))
    return docs
