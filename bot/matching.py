"""Which subscriptions a release matches, through an index by agency, area, country and keyword (no scan)."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import combinations

import snowballstemmer

from bot.matcher import words as fold_words
from bot.models import Release, Schedule, Subscription

# The stemmer the store's full-text index uses (SQLite FTS5's "porter"), so a keyword subscription matches what a
# search for the same words finds: "money mule" and "money mules", "smuggler" and "smugglers".
_PORTER = snowballstemmer.stemmer("porter")
# A snowball stemmer keeps the word it works on in itself: polls store releases from several threads at once.
_PORTER_LOCK = threading.Lock()


def send_time(schedule: Schedule, now: datetime, hour: int, zone: tzinfo = UTC) -> datetime:
    """When an alert of this schedule goes out (UTC): now, or at the next `hour`:00 in `zone` (on a Monday, when
    weekly). Days are added to the local time, so the hour stays the same across a change to or from summer time."""
    if schedule is Schedule.INSTANT:
        return now
    at = now.astimezone(zone).replace(hour=hour, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    if schedule is Schedule.WEEKLY:
        at += timedelta(days=-at.weekday() % 7)
    return at.astimezone(UTC)


def _sub_terms(sub: Subscription) -> list[tuple[str, str]]:
    return (
        [("agency", a) for a in sub.agencies]
        + [("area", a) for a in sub.areas]
        + [("country", c) for c in sub.countries]
        + [("kind", k) for k in sub.kinds]
        + [("language", code) for code in sub.languages]
    )


@lru_cache(maxsize=200_000)
def _stem(word: bytes) -> bytes:
    if len(word) < 3:  # as FTS5 leaves them
        return word
    with _PORTER_LOCK:
        stem: str = _PORTER.stemWord(word.decode())
    return stem.encode()


def stems(text: str) -> list[bytes]:
    """The text's folded words, each as its stem."""
    return [_stem(word) for word in fold_words(text)]


def _keyword_tokens(keyword: str) -> tuple[bytes, ...]:
    return tuple(stems(keyword))


class _Group:
    """Subscriptions with the same terms, keywords and exclusions: checked once per release however many channels
    share them."""

    __slots__ = ("terms", "keywords", "excluded_terms", "excluded_keywords", "subs")

    def __init__(self, sub: Subscription) -> None:
        self.terms = _sub_terms(sub)
        self.keywords = [_keyword_tokens(k) for k in sub.keywords]
        self.excluded_terms = [(kind, value) for kind, value in sub.excluded if kind != "keyword"]
        self.excluded_keywords = [_keyword_tokens(value) for kind, value in sub.excluded if kind == "keyword"]
        self.subs: list[Subscription] = []


def _signature(sub: Subscription) -> tuple[tuple[str, str], ...]:
    keywords = tuple(("keyword", k.casefold()) for k in sorted(sub.keywords))
    excluded = tuple(sorted((f"-{kind}", value.casefold()) for kind, value in sub.excluded))
    return tuple(sorted(set(_sub_terms(sub)))) + keywords + excluded


MAX_COMBINED = 3


class SubscriptionIndex:
    """Each subscription is filed under all its tag terms together; a release looks up the combinations of
    the terms it has (a handful of dictionary lookups), so candidates are matches, not a scan. Subscriptions
    with the same terms share one group, so a popular subscription costs one check, not one per channel."""

    def __init__(self, subscriptions: list[Subscription]) -> None:
        self._simple: dict[tuple[tuple[str, str], ...], list[Subscription]] = defaultdict(list)
        self._sizes: set[int] = set()
        self._complex: dict[tuple[tuple[str, str], ...], dict[tuple[tuple[str, str], ...], _Group]] = (
            defaultdict(dict))
        self._by_keyword: dict[bytes, dict[tuple[tuple[str, str], ...], _Group]] = defaultdict(dict)
        self._everything: list[Subscription] = []
        self._all_but: dict[tuple[tuple[str, str], ...], _Group] = {}  # everything, but what they exclude
        self._count = 0
        for sub in subscriptions:
            self.add(sub)

    def add(self, sub: Subscription) -> None:
        if sub.paused:
            return
        self._count += 1
        terms = tuple(sorted(set(_sub_terms(sub))))
        keywords = [_keyword_tokens(k) for k in sub.keywords]
        if terms and not keywords and not sub.excluded and len(terms) <= MAX_COMBINED:
            self._simple[terms].append(sub)
            self._sizes.add(len(terms))
        elif terms:
            key = terms[:MAX_COMBINED]
            self._sizes.add(len(key))
            self._group(self._complex[key], sub).subs.append(sub)
        elif keywords and keywords[0]:
            self._group(self._by_keyword[keywords[0][0]], sub).subs.append(sub)
        elif sub.excluded:
            self._group(self._all_but, sub).subs.append(sub)
        else:
            self._everything.append(sub)

    @staticmethod
    def _group(groups: dict[tuple[tuple[str, str], ...], _Group], sub: Subscription) -> _Group:
        signature = _signature(sub)
        if signature not in groups:
            groups[signature] = _Group(sub)
        return groups[signature]

    def __len__(self) -> int:
        return self._count

    def match(self, release: Release) -> list[Subscription]:
        terms = release.tag_terms()
        keys = [key for size in self._sizes for key in combinations(sorted(terms), size)]
        matched: list[Subscription] = []
        for key in keys:
            matched += self._simple.get(key, ())
        rest = [group for key in keys for group in self._complex.get(key, {}).values()]
        rest += self._all_but.values()
        if self._by_keyword or rest:
            words = stems(f"{release.title}\n{release.text}")
            present = set(words)
            rest += [group for word in present & self._by_keyword.keys() for group in self._by_keyword[word].values()]
            positions: dict[bytes, list[int]] = {}
            if any(len(k) > 1 for g in rest for k in [*g.keywords, *g.excluded_keywords]):
                for index, word in enumerate(words):
                    positions.setdefault(word, []).append(index)
            for group in rest:
                if _matches(group, terms, present, positions):
                    matched += group.subs
        return matched + self._everything


def _matches(entry: _Group, terms: set[tuple[str, str]], present: set[bytes],
             positions: dict[bytes, list[int]]) -> bool:
    if not all(term in terms for term in entry.terms) or any(term in terms for term in entry.excluded_terms):
        return False
    if any(_has(keyword, present, positions) for keyword in entry.excluded_keywords):
        return False
    return all(_has(keyword, present, positions) for keyword in entry.keywords)


def _has(keyword: tuple[bytes, ...], present: set[bytes], positions: dict[bytes, list[int]]) -> bool:
    return (keyword[0] in present) if len(keyword) == 1 else _contains(positions, keyword)


def _contains(positions: dict[bytes, list[int]], phrase: tuple[bytes, ...]) -> bool:
    """The phrase's words at consecutive positions; only where its first word occurs is looked at."""
    if not phrase:
        return True
    starts = positions.get(phrase[0], ())
    return any(all(index + k in positions.get(word, ()) for k, word in enumerate(phrase[1:], 1)) for index in starts)
