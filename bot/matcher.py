"""Finds every taxonomy phrase in a text in one pass over its words (a token trie), folded and whole-word."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

TOKEN = re.compile(r"\w+")
_LINKS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_COMBINING = {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}


class Phrase(NamedTuple):
    group: str
    id: str
    weight: float
    exact: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Hit:
    group: str
    id: str
    weight: float
    first: int
    last: int
    start: int
    end: int


class FoldedText(NamedTuple):
    """The text with links blanked, a case-preserving copy without diacritics, and its lowercase form."""

    original: str
    plain: str
    folded: str


def fold_text(text: str) -> FoldedText:
    # Links are blanked with spaces of the same length, so offsets still point into the original text.
    text = _LINKS.sub(lambda m: " " * len(m.group()), text)
    if text.isascii():
        return FoldedText(text, text, text.lower())
    plain = unicodedata.normalize("NFKD", text).translate(_COMBINING)
    folded = plain.lower()
    if len(folded) != len(plain):
        folded = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in plain)
    return FoldedText(text if len(text) == len(plain) else plain, plain, folded)


class PhraseMatcher:
    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], Phrase]]] = {}

    def add(self, text: str, group: str, id_: str, weight: float = 1.0, exact: bool = False) -> None:
        folded = fold_text(text)
        tokens = tuple(TOKEN.findall(folded.folded))
        if not tokens:
            raise ValueError(f"phrase {text!r} has no words")
        exact_tokens = tuple(TOKEN.findall(folded.plain)) if exact else None
        candidates = self._by_first.setdefault(tokens[0], [])
        candidates.append((tokens[1:], Phrase(group, id_, weight, exact_tokens)))
        candidates.sort(key=lambda item: -len(item[0]))

    def find(self, text: str) -> tuple[FoldedText, list[Hit]]:
        folded = fold_text(text)
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(folded.folded)]
        tokens = [folded.folded[s:e] for s, e in spans]
        by_first = self._by_first
        hits: list[Hit] = []
        for index in [i for i, token in enumerate(tokens) if token in by_first]:
            for rest, phrase in by_first[tokens[index]]:
                last = index + len(rest)
                if rest and tuple(tokens[index + 1 : last + 1]) != rest:
                    continue
                if phrase.exact is not None and not _same_case(folded.plain, spans, index, phrase.exact):
                    continue
                hits.append(Hit(phrase.group, phrase.id, phrase.weight, index, last, spans[index][0], spans[last][1]))
        return folded, hits


def _same_case(plain: str, spans: list[tuple[int, int]], index: int, exact: tuple[str, ...]) -> bool:
    return all(plain[slice(*spans[index + k])] == word for k, word in enumerate(exact))


def keep_longest(hits: list[Hit]) -> list[Hit]:
    """Within a group, a hit inside a longer one does not count again ("smuggling" in "migrant smuggling")."""
    kept: list[Hit] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for hit in sorted(hits, key=lambda h: (h.first, -(h.last - h.first))):
        spans = covered.setdefault(hit.group, [])
        if any(first <= hit.first and hit.last <= last for first, last in spans):
            continue
        spans.append((hit.first, hit.last))
        kept.append(hit)
    return kept
