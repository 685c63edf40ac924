"""Stories: releases from one or several newsrooms about the same operation or event, found by their words.

Two releases are one story when they were published within a few days of each other and their words, weighted by
how rare each is among recent releases (tf-idf), point the same way (cosine similarity). Names, places and figures
that only one operation has carry the weight; words every release uses ("authorities", "Eurojust") carry none.
Two releases whose countries involved have none in common are never one story, however alike their wording: a
newsroom tells its operations in the same words, and an operation in Spain is not one in Belgium.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.matching import stems
from bot.models import Release


@dataclass(frozen=True)
class StorySettings:
    """How alike and how close in time two releases must be to be one story ([stories] in config/defaults.toml)."""

    enabled: bool = True  # read by the ingestor: with stories off, no index is built at all
    days: float = 3  # releases further apart are different news, however alike
    same_story: float = 0.3  # cosine at or above which two releases are one story
    idf_days: float = 90  # the releases a word's rarity is counted among
    min_releases: int = 20  # fewer recent releases say too little about which words are rare: no stories yet
    top_words: int = 100  # a release is compared by its rarest words only: the rest weigh little and cost time


DEFAULTS = StorySettings()
_YEAR = re.compile(rb"(?:19|20)\d\d")


def story_words(title: str, text: str) -> Counter[bytes]:
    """A release's words as stems, with how often each occurs: short words and years say nothing of the story."""
    counts = Counter(stems(f"{title}\n{text}"))
    return Counter({word: n for word, n in counts.items() if _tells(word)})


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
    countries: frozenset[str]  # involved; none: it may join any story
    # weighed when first compared, with the rarity known then; kept as two flat sequences, a fifth of a dict's size
    vector: tuple[tuple[bytes, ...], array[float]] | None = None


@dataclass
class StoryIndex:
    """The recent releases' words, to find the story a new release belongs to. Kept in memory: a few months of
    releases from a few dozen newsrooms."""

    settings: StorySettings = DEFAULTS
    entries: dict[str, _Entry] = field(default_factory=dict)
    df: Counter[bytes] = field(default_factory=Counter)
    oldest: datetime | None = None

    def add(self, release_id: str, story: str | None, date: datetime, words: Counter[bytes],
            countries: frozenset[str] = frozenset()) -> None:
        """A release joins the index, in `story` (None: the one it starts)."""
        if release_id in self.entries:
            return
        self.entries[release_id] = _Entry(release_id, story or release_id, date, words, countries)
        self.df.update(words.keys())
        cutoff = date - timedelta(days=self.settings.idf_days)
        if self.oldest is None or date < self.oldest:
            self.oldest = date
        elif self.oldest < cutoff:  # scanned only when something is old enough to go
            self._forget_before(cutoff)

    def story_of(self, release_id: str, date: datetime, words: Counter[bytes],
                 countries: frozenset[str] = frozenset()) -> str | None:
        """The story (its first release's ID) that a release continues, or None when it starts its own."""
        if len(self.entries) < self.settings.min_releases:
            return None
        scores = self.similar(release_id, date, words, countries)
        best = max(scores, key=_score, default=None)
        return self.entries[best[1]].story if best and best[0] >= self.settings.same_story else None

    def similar(self, release_id: str, date: datetime, words: Counter[bytes],
                countries: frozenset[str] = frozenset()) -> list[tuple[float, str]]:
        """How alike a release is to each one published within the story window that may be of its story (1.0:
        the same words, 0.0: no rare word in common), with their IDs."""
        window = timedelta(days=self.settings.days)
        vector = self._vector(words)
        return [(_cosine(vector, self._entry_vector(entry)), entry.release_id) for entry in self.entries.values()
                if entry.release_id != release_id and abs(entry.date - date) <= window
                and not (countries and entry.countries and countries.isdisjoint(entry.countries))]

    def _entry_vector(self, entry: _Entry) -> tuple[tuple[bytes, ...], array[float]]:
        if entry.vector is None:
            weights = self._vector(entry.words)
            entry.vector = tuple(weights), array("d", weights.values())
        return entry.vector

    def _vector(self, words: Counter[bytes]) -> dict[bytes, float]:
        """The release's rarest words, weighed by tf-idf and scaled to unit length over all of its words."""
        total = len(self.entries) + 1  # the release being placed counts among them
        weights = {w: (1 + math.log(n)) * math.log(total / (self.df.get(w, 0) + 1)) for w, n in words.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        top = heapq.nlargest(self.settings.top_words, weights.items(), key=_weight)
        return {w: x / norm for w, x in top if x > 0}

    def _forget_before(self, oldest: datetime) -> None:
        for release_id in [i for i, e in self.entries.items() if e.date < oldest]:
            self.df.subtract(self.entries.pop(release_id).words.keys())
        self.oldest = min((e.date for e in self.entries.values()), default=None)


def stories_together(releases: list[Release]) -> list[Release]:
    """A digest's releases with each story's releases side by side, where its first one stands."""
    order: dict[str, int] = {}
    for release in releases:
        order.setdefault(release.story or release.id, len(order))
    return sorted(releases, key=lambda release: order[release.story or release.id])  # stable within a story


def _weight(item: tuple[bytes, float]) -> float:
    return item[1]


def _score(item: tuple[float, str]) -> float:
    return item[0]


def _cosine(new: dict[bytes, float], stored: tuple[tuple[bytes, ...], array[float]]) -> float:
    words, weights = stored
    return sum(x * new.get(w, 0.0) for w, x in zip(words, weights, strict=True))
