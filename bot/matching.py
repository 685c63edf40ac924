"""Which subscriptions a release matches, through an index by agency, area, country and keyword (no scan)."""

from __future__ import annotations

from collections import defaultdict

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


class SubscriptionIndex:
    """Each subscription is filed under one of its terms; a release looks up only the terms it has."""

    def __init__(self, subscriptions: list[Subscription]) -> None:
        self._by_term: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
        self._by_keyword: dict[bytes, list[Subscription]] = defaultdict(list)
        self._everything: list[Subscription] = []
        for sub in subscriptions:
            self.add(sub)

    def add(self, sub: Subscription) -> None:
        terms = _sub_terms(sub)
        if terms:
            self._by_term[terms[0]].append(sub)
        elif sub.keywords:
            tokens = _keyword_tokens(sub.keywords[0])
            self._by_keyword[tokens[0] if tokens else b""].append(sub)
        else:
            self._everything.append(sub)

    def __len__(self) -> int:
        return sum(map(len, self._by_term.values())) + sum(map(len, self._by_keyword.values())) + len(
            self._everything
        )

    def match(self, release: Release) -> list[Subscription]:
        terms = release_terms(release)
        candidates = [sub for term in terms for sub in self._by_term.get(term, ())]
        words: tuple[bytes, ...] = ()
        if self._by_keyword or any(sub.keywords for sub in candidates):
            words = tuple(fold_words(f"{release.title}\n{release.text}"))
            present = set(words)
            candidates += [sub for word in present for sub in self._by_keyword.get(word, ())]
        candidates += self._everything
        return [sub for sub in candidates if _matches(sub, terms, words)]


def _matches(sub: Subscription, terms: set[tuple[str, str]], words: tuple[bytes, ...]) -> bool:
    if sub.paused or not all(term in terms for term in _sub_terms(sub)):
        return False
    return all(_contains(words, _keyword_tokens(keyword)) for keyword in sub.keywords)


def _contains(words: tuple[bytes, ...], phrase: tuple[bytes, ...]) -> bool:
    if not phrase:
        return True
    size = len(phrase)
    return any(words[i : i + size] == phrase for i, word in enumerate(words) if word == phrase[0])
