"""Stories: releases from one or several newsrooms about the same operation or event, found by their words.

Two releases are one story when they were published within a few days of each other and their words, weighted by
how rare each is among recent releases (tf-idf), point the same way (cosine similarity). Names, places and figures
that only one operation has carry the weight; words every release uses ("authorities", "Eurojust") carry none.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.matching import stems

STORY_DAYS = 3  # releases further apart are different news, however alike
SAME_STORY = 0.3  # cosine at or above which two releases are one story
IDF_DAYS = 90  # the releases a word's rarity is counted among
MIN_RELEASES = 20  # fewer recent releases say too little about which words are rare: no stories yet
_YEAR = re.compile(rb"(?:19|20)\d\d")


def story_words(title: str, text: str) -> Counter[bytes]:
    """A release's words as stems, with how often each occurs: short words and years say nothing of the story."""
    return Counter(word for word in stems(f"{title}\n{text}") if _tells(word))


def _tells(word: bytes) -> bool:
    if word.isdigit():
        return len(word) >= 2 and not _YEAR.fullmatch(word)  # "23 arrests" yes, "2024" no
    return len(word) > 2


@dataclass
class _Entry:
    release_id: str
    story: str
    date: datetime
    words: Counter[bytes]


@dataclass
class StoryIndex:
    """The recent releases' words, to find the story a new release belongs to. Kept in memory: a few months of
    releases from a few dozen newsrooms."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    df: Counter[bytes] = field(default_factory=Counter)
    oldest: datetime | None = None

    def add(self, release_id: str, story: str, date: datetime, words: Counter[bytes]) -> None:
        if release_id in self.entries:
            return
        self.entries[release_id] = _Entry(release_id, story, date, words)
        self.df.update(words.keys())
        cutoff = date - timedelta(days=IDF_DAYS)
        if self.oldest is None or date < self.oldest:
            self.oldest = date
        elif self.oldest < cutoff:  # scanned only when something is old enough to go
            self._forget_before(cutoff)

    def story_of(self, release_id: str, date: datetime, words: Counter[bytes]) -> str | None:
        """The story (its first release's ID) that a release continues, or None when it starts its own."""
        if len(self.entries) < MIN_RELEASES:
            return None
        window = timedelta(days=STORY_DAYS)
        best, best_score = None, SAME_STORY
        vector = self._vector(words)
        for entry in self.entries.values():
            if entry.release_id != release_id and abs(entry.date - date) <= window:
                score = _cosine(vector, self._vector(entry.words))
                if score >= best_score:
                    best, best_score = entry.story, score
        return best

    def _vector(self, words: Counter[bytes]) -> dict[bytes, float]:
        total = len(self.entries) + 1  # the release being placed counts among them
        weights = {w: (1 + math.log(n)) * math.log(total / (self.df.get(w, 0) + 1)) for w, n in words.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        return {w: x / norm for w, x in weights.items() if x > 0}

    def _forget_before(self, oldest: datetime) -> None:
        for release_id in [i for i, e in self.entries.items() if e.date < oldest]:
            self.df.subtract(self.entries.pop(release_id).words.keys())
        self.oldest = min((e.date for e in self.entries.values()), default=None)


def _cosine(a: dict[bytes, float], b: dict[bytes, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())
