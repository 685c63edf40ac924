"""Which subscriptions a release matches, through an index by agency, area, country and keyword (no scan)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from bot.matcher import words as fold_words
from bot.models import Release, Subscription


def release_terms(release: Release) -> set[tuple[str, str]]:
    terms = {("agency", a) for a in release.tags.agency_ids()}
    terms |= {("area", a) for a in release.tags.area_ids()}
    terms |= {("country", c) for c in release.tags.country_codes()}
    return terms


def _sub_terms(sub: Subscription) -> list[tuple[str, str]]:
    return (
        [("agency", a) for a in sub.agencies]
        + [("area", a) for a in sub.areas]
        + [("country", c) for c in sub.countries]
    )


def _keyword_tokens(keyword: str) -> tuple[bytes, ...]:
    return tuple(fold_words(keyword))


class _Entry:
    """A subscription with its terms worked out once, so matching does no per-release string work for it."""

    __slots__ = ("sub", "terms", "keywords")

    def __init__(self, sub: Subscription) -> None:
        self.sub = sub
        self.terms = _sub_terms(sub)
        self.keywords = [_keyword_tokens(k) for k in sub.keywords]


MAX_COMBINED = 3


class SubscriptionIndex:
    """Each subscription is filed under all its tag terms together; a release looks up the combinations of
    the terms it has (a handful of dictionary lookups), so candidates are matches, not a scan."""

    def __init__(self, subscriptions: list[Subscription]) -> None:
        self._by_terms: dict[tuple[tuple[str, str], ...], list[_Entry]] = defaultdict(list)
        self._sizes: set[int] = set()
        self._by_keyword: dict[bytes, list[_Entry]] = defaultdict(list)
        self._everything: list[_Entry] = []
        for sub in subscriptions:
            self.add(sub)

    def add(self, sub: Subscription) -> None:
        if sub.paused:
            return
        entry = _Entry(sub)
        if entry.terms:
            key = tuple(sorted(set(entry.terms)))[: MAX_COMBINED]
            self._by_terms[key].append(entry)
            self._sizes.add(len(key))
        elif entry.keywords and entry.keywords[0]:
            self._by_keyword[entry.keywords[0][0]].append(entry)
        else:
            self._everything.append(entry)

    def __len__(self) -> int:
        return sum(map(len, self._by_terms.values())) + sum(map(len, self._by_keyword.values())) + len(
            self._everything
        )

    def match(self, release: Release) -> list[Subscription]:
        terms = release_terms(release)
        ordered = sorted(terms)
        # Filed under all their terms (up to MAX_COMBINED): a hit on the key is a match on the terms.
        found = [
            entry
            for size in self._sizes
            for key in combinations(ordered, size)
            for entry in self._by_terms.get(key, ())
        ]
        matched = [e.sub for e in found if not e.keywords and len(e.terms) <= MAX_COMBINED]
        rest = [e for e in found if e.keywords or len(e.terms) > MAX_COMBINED]
        if self._by_keyword or rest:
            words = fold_words(f"{release.title}\n{release.text}")
            present = set(words)
            rest += [entry for word in present & self._by_keyword.keys() for entry in self._by_keyword[word]]
            positions: dict[bytes, list[int]] = {}
            if any(len(k) > 1 for e in rest for k in e.keywords):
                for index, word in enumerate(words):
                    positions.setdefault(word, []).append(index)
            matched += [e.sub for e in rest if _matches(e, terms, present, positions)]
        return matched + [e.sub for e in self._everything]


def _matches(entry: _Entry, terms: set[tuple[str, str]], present: set[bytes],
             positions: dict[bytes, list[int]]) -> bool:
    if not all(term in terms for term in entry.terms):
        return False
    return all(
        (keyword[0] in present) if len(keyword) == 1 else _contains(positions, keyword) for keyword in entry.keywords
    )


def _contains(positions: dict[bytes, list[int]], phrase: tuple[bytes, ...]) -> bool:
    """The phrase's words at consecutive positions; only where its first word occurs is looked at."""
    if not phrase:
        return True
    starts = positions.get(phrase[0], ())
    return any(all(index + k in positions.get(word, ()) for k, word in enumerate(phrase[1:], 1)) for index in starts)
