"""Names users type ("EUROPOL", "cyber crime", "Moldova") resolved to canonical IDs, with "did you mean"."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from bot.language import LANGUAGE_NAMES
from bot.taxonomy import PhraseEntry, Taxonomy
from bot.textutil import fold

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
MIN_RESPELT = 4  # shorter words are too often another word altogether ("arms" is not "army")
# A search is run again with the respelt words, so only near-certain typos: "ransomwear" (0.9), not "extradiction",
# which is not "extortion" (0.76)
RESPELL_CUTOFF = 0.85


@dataclass(frozen=True)
class Term:
    kind: str  # "agency", "area", "country"
    id: str


def _closest(typed: str, known: list[str], cutoff: float = 0.75) -> str | None:
    """The known name a typo most likely meant, if one is close enough."""
    close = difflib.get_close_matches(typed, known, n=1, cutoff=cutoff)
    return close[0] if close else None


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", fold(text))


def _naming_one(entries: dict[str, PhraseEntry]) -> dict[str, str]:
    """Each strong phrase (as a key) that belongs to one entry only, with that entry's ID."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry_id, entry in entries.items():
        for phrase in entry.strong:
            owners[_key(phrase)].add(entry_id)
    return {key: next(iter(ids)) for key, ids in owners.items() if key and len(ids) == 1}


def _single_words(taxonomy: Taxonomy) -> list[str]:
    """The one-word names and crime words of the taxonomy, as typed with no accents and in lower case."""
    names = [*(a.name for a in taxonomy.areas.values()), *(p for a in taxonomy.areas.values() for p in a.strong)]
    names += [name for agency in taxonomy.agencies.values() for name in (agency.name, *agency.names)]
    names += [name for country in taxonomy.countries.values() for name in country.names]
    return sorted({_key(name) for name in names if name.isalpha() and len(name) >= MIN_RESPELT})


class Resolver:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._names: dict[str, Term] = {}
        for area_id, area in taxonomy.areas.items():
            self._add(Term("area", area_id), [area_id, area.name])
        for code, country in taxonomy.countries.items():
            self._add(Term("country", code), [code, *country.names, *country.abbreviations])
        for agency_id, agency in taxonomy.agencies.items():
            self._add(Term("agency", agency_id), [agency_id, agency.name, *agency.names, *agency.abbreviations])
        self._kinds = {"agency": self._only("agency"), "area": self._only("area"), "country": self._only("country")}
        self._crime_words = self._words_naming_one_area(taxonomy)
        self._kind_words = self._words_naming_one_kind(taxonomy)
        self._spellings = _single_words(taxonomy)

    def _add(self, term: Term, names: list[str]) -> None:
        for name in names:
            key = _key(name)
            if key:
                self._names[key] = term

    def _words_naming_one_area(self, taxonomy: Taxonomy) -> dict[str, Term]:
        """The areas' strong phrases ("migrants", "cocaine", "Betrug", "war crimes") that name one area only and
        nothing else coop knows by name."""
        return {key: Term("area", area_id) for key, area_id in _naming_one(taxonomy.areas).items()
                if key not in self._names}

    @staticmethod
    def _words_naming_one_kind(taxonomy: Taxonomy) -> dict[str, str]:
        """A kind's ID, name and plural, and the phrases that name one kind only: kind:forum is a meeting, kind:mou
        an agreement, kind:operations an operation."""
        words = _naming_one(taxonomy.cooperation)
        for kind_id, entry in taxonomy.cooperation.items():
            words.update({_key(name): kind_id for name in (kind_id, entry.name, f"{kind_id}s")})
        return words

    def kind(self, text: str) -> str | None:
        """The kind of cooperation kind:<text> names, or None."""
        return self._kind_words.get(_key(text))

    def _only(self, kind: str) -> dict[str, Term]:
        return {key: term for key, term in self._names.items() if term.kind == kind}

    def resolve(self, text: str, kind: str | None = None) -> Term | None:
        names = self._kinds[kind] if kind else self._names
        term = names.get(_key(text))
        if term is None and kind == "country" and len(text) == 2:
            code = text.upper()
            term = Term("country", code) if code in self.taxonomy.countries else None
        return term

    def crime_named(self, word: str) -> Term | None:
        """The crime area a word or phrase of a search names, when it names one: "search migrants" also finds
        releases tagged migrant-smuggling that never use the word."""
        return self._crime_words.get(_key(word))

    def names_something(self, text: str) -> bool:
        """Whether the words together name an agency, an area, a country or a crime ("united kingdom")."""
        key = _key(text)
        return key in self._names or key in self._crime_words

    def suggest(self, text: str, kind: str | None = None) -> Term | None:
        names = self._kinds[kind] if kind else self._names
        close = _closest(_key(text), list(names))
        return names[close] if close else None

    def respell(self, word: str) -> str | None:
        """The word coop knows (a name, or a word of a crime) that a typo most likely meant: "ransomwear" is
        ransomware, "moldva" Moldova; None for a word it knows, a short one, or one near nothing."""
        key = _key(word)
        if len(key) < MIN_RESPELT or key in self._spellings or self.names_something(word):
            return None
        return _closest(key, self._spellings, RESPELL_CUTOFF)

    def unknown_message(self, text: str, kind: str | None = None) -> str:
        what = kind or "agency, crime area or country"
        crime = self.crime_named(text) if kind in (None, "area") else None
        if crime:
            hint = f" It is a {'phrase' if ' ' in text.strip() else 'word'} of the crime area `{crime.id}`."
        elif suggestion := self.suggest(text, kind):
            # a country code alone says little ("Did you mean `AL`?" for "atlantis")
            named = f" ({self.taxonomy.country_name(suggestion.id)})" if suggestion.kind == "country" else ""
            hint = f" Did you mean `{suggestion.id}`{named}?"
        else:
            hint = ""
        return f"I don't know the {what} “{text}”.{hint}"

    def language(self, text: str) -> str | None:
        """The code lang:<text> names, by code or English name (lang:es, lang:spanish), or None."""
        code = text.strip().lower()
        if code in LANGUAGE_NAMES:
            return code
        return next((c for c, name in LANGUAGE_NAMES.items() if name.lower() == code), None)

    def unknown_language(self, text: str) -> str:
        listed = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        return f"“{text}” is not a language coop tells apart; use one of {listed}"

    def unknown_kind(self, text: str) -> str:
        """kind:<text> names no kind of cooperation: the closest one, and the list."""
        kinds = list(self.taxonomy.cooperation)
        close = _closest(text.lower(), kinds)
        hint = f" Did you mean kind:{close}?" if close else ""
        return f"kind:{text} is not a kind.{hint} Use one of {', '.join(kinds)}"
