"""Finds every taxonomy phrase in a text in one pass over its words (a word trie), folded and whole-word.

Speed matters here (thousands of releases a second), so the text is folded once (case, diacritics, typographic
punctuation), cut into sentences by one regular expression and into words by a byte translation table: all of
it C-level work. Words are bytes; phrases are folded the same way, so both sides always agree.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from itertools import chain, compress, count, pairwise, repeat
from typing import NamedTuple

_LINKS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ENDS = [(p + w, p + "\x00") for p in ".!?" for w in " \t\r"] + [("\n", "\x00")]
# In the word stream a sentence end becomes its own word, \x01, which no phrase contains: phrases never match
# across sentences, and the sentence of a hit is the number of \x01 words before it.
SENTENCE_MARK = b"\x01"
TITLE_MARK = "\x02"
_ENDS_BYTES = [(a.encode(), a.encode()[:-1] + b" \x01 ") for a, _ in _ENDS]
_COMBINING = {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}
_TYPOGRAPHY = [("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'),
               ("\u00ab", '"'), ("\u00bb", '"'), ("\u2013", "-"), ("\u2014", "-"), ("\u2011", "-"),
               ("\u2026", "..."), ("\u00a0", " "), ("\u202f", " "), ("\u2022", " "), ("\u00b7", " ")]
# Letters, digits, '_' and every byte of a non-ASCII character are word bytes; everything else separates words.
_WORD_BYTES = bytes(c if chr(c).isalnum() and c < 128 or c in (1, 2, 95) or c >= 128 else 32 for c in range(256))


class Phrase(NamedTuple):
    group: str
    id: str
    weight: float
    exact: tuple[bytes, ...] | None
    key: bytes


class Hit(NamedTuple):
    group: str
    id: str
    weight: float
    first: int
    last: int
    sentence: int
    key: bytes


def fold_plain(text: str) -> str:
    """The text without links, typographic punctuation or diacritics, case kept ("Europäische" -> "Europaische")."""
    text = plain_punctuation(text)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.translate(_COMBINING) if decomposed != text else text


def plain_punctuation(text: str) -> str:
    """Links blanked and typographic punctuation made plain, accents kept: sentences fall where folding puts them."""
    if "@" in text or "http" in text or "www." in text:
        text = _LINKS.sub(" ", text)
    if text.isascii():
        return text
    for fancy, plain in _TYPOGRAPHY:
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


def words(text: str) -> list[bytes]:
    """Folded words of a text, the unit every phrase and keyword is compared in."""
    return fold_plain(text).lower().encode().translate(_WORD_BYTES).split()


@dataclass
class Scan:
    """A folded text as one stream of words with sentence marks, and where those marks are."""

    plain: str
    tokens: list[bytes]
    marks: list[int]
    original: str  # the text as given: evidence quotes it, accents included
    _sentences: list[str] | None = None
    _written: list[bytes] | None = None

    def written(self) -> list[bytes]:
        """The same words as `tokens`, as written (case kept): lowercasing moves no word boundary."""
        if self._written is None:
            self._written = _tokenize(self.plain.encode())
        return self._written

    def sentence_ids(self) -> list[int]:
        """The sentence of every word (a mark belongs to the sentence it ends), built without a per-word loop."""
        bounds = [-1, *self.marks, len(self.tokens) - 1]
        lengths = [b - a for a, b in pairwise(bounds)]
        return list(chain.from_iterable(map(repeat, count(), lengths)))

    def sentence_text(self, index: int) -> str:
        """A sentence as written, accents included (evidence is read by people)."""
        if self._sentences is None:
            self._sentences = split_sentences(plain_punctuation(self.original))
        return self._sentences[index] if index < len(self._sentences) else ""

    def title_end(self) -> int:
        """Words before the title mark (the classifier puts one between title and body), or 0."""
        mark = TITLE_MARK.encode()
        return self.tokens.index(mark) if mark in self.tokens else 0


def split_sentences(text: str) -> list[str]:
    """A sentence ends at a line break or at . ! ? before a space; str.replace is far faster than a regex here."""
    for end, marked in _ENDS:
        if end in text:
            text = text.replace(end, marked)
    return text.split("\x00")


def _tokenize(folded: bytes) -> list[bytes]:
    for end, marked in _ENDS_BYTES:
        if end[:1] in folded and end in folded:  # most releases have no "!", "?", tab or CR at all
            folded = folded.replace(end, marked)
    return folded.translate(_WORD_BYTES).split()


def scan(text: str) -> Scan:
    plain = fold_plain(text)
    tokens = _tokenize(plain.lower().encode())
    return Scan(plain, tokens, _positions(tokens, SENTENCE_MARK), text)


def _positions(tokens: list[bytes], token: bytes) -> list[int]:
    """Where a token occurs: list.index scans in C, so the loop turns once per occurrence, not once per word."""
    found: list[int] = []
    at = -1
    with contextlib.suppress(ValueError):
        while True:
            at = tokens.index(token, at + 1)
            found.append(at)
    return found


class _Node:
    __slots__ = ("children", "phrases")

    def __init__(self) -> None:
        self.children: dict[bytes, _Node] = {}
        self.phrases: list[Phrase] = []


class PhraseMatcher:
    """A trie over words: walking it from each word costs the length of the match, not the number of phrases."""

    def __init__(self) -> None:
        self._root: dict[bytes, _Node] = {}

    def add(self, text: str, group: str, id_: str, weight: float = 1.0, exact: bool = False) -> None:
        tokens = words(text)
        if not tokens:
            raise ValueError(f"phrase {text!r} has no words")
        exact_tokens = tuple(fold_plain(text).encode().translate(_WORD_BYTES).split()) if exact else None
        node = self._root.setdefault(tokens[0], _Node())
        for token in tokens[1:]:
            node = node.children.setdefault(token, _Node())
        node.phrases.append(Phrase(group, id_, weight, exact_tokens, b" ".join(tokens)))

    def find(self, text: str) -> tuple[Scan, list[Hit]]:
        scanned = scan(text)
        tokens, root, size = scanned.tokens, self._root, len(scanned.tokens)
        hits: list[Hit] = []
        sentence_ids = scanned.sentence_ids()
        for index in list(compress(count(), map(root.__contains__, tokens))):
            node: _Node | None = root[tokens[index]]
            last, sentence = index, sentence_ids[index]
            while node is not None:
                for phrase in node.phrases:
                    exact = phrase.exact
                    if exact is None or tuple(scanned.written()[index : index + len(exact)]) == exact:
                        hits.append(Hit(phrase.group, phrase.id, phrase.weight, index, last, sentence, phrase.key))
                last += 1
                node = node.children.get(tokens[last]) if node.children and last < size else None
        return scanned, hits


def keep_longest(hits: list[Hit]) -> list[Hit]:
    """Within a group, a hit inside a longer one does not count again ("smuggling" in "migrant smuggling")."""
    kept: list[Hit] = []
    reach: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: (h.first, -h.last)):
        if reach.get(hit.group, -1) >= hit.last:
            continue
        reach[hit.group] = hit.last
        kept.append(hit)
    return kept
