"""Finds every taxonomy phrase in a text in one pass: an Aho-Corasick automaton over folded, whole words.

Speed matters here (thousands of releases a second), so all per-character work is C-level: the text is folded
once (case, diacritics, typographic punctuation), its sentence ends are marked, its words are cut
by a byte translation table and joined with two spaces, and pyahocorasick walks that string once, returning
leftmost-longest matches. Phrases are keys of the same shape (" word  word "), so a match always covers whole
words, and the double space lets two neighbouring words both match. Python runs once per match, not per word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick

from bot.textutil import NOT_AN_END, unglue_sentences

_LINKS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A sentence ends at a line break or at . ! ? before a space, a tab or a carriage return, but not at the period
# of an abbreviation ("the U.S. Department of Justice", "Art. 9") or of an ordinal number ("am 14. Mai").
_STOPS, _BLANKS = ".!?", " \t\r"
_ENDS = {
    stop + blank: re.compile(re.escape(stop) + (NOT_AN_END if stop == "." else "") + re.escape(blank))
    for stop in _STOPS
    for blank in _BLANKS
}
# In the word stream a sentence end becomes its own word, \x01, which no phrase contains: phrases never match
# across sentences, and the sentence of a hit is the number of \x01 words before it.
SENTENCE_MARK = "\x01"
TITLE_MARK = "\x02"
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in range(0x10000) if unicodedata.combining(chr(cp))) + "]+"
)
_TYPOGRAPHY = [("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'),
               ("\u00ab", '"'), ("\u00bb", '"'), ("\u2013", "-"), ("\u2014", "-"), ("\u2011", "-"),
               ("\u2026", "..."), ("\u00a0", " "), ("\u202f", " "), ("\u2022", " "), ("\u00b7", " ")]
# Letters, digits, '_' and every byte of a non-ASCII character are word bytes; everything else separates words.
# \x01 and \x02 are the marks; the same bytes in a feed are blanked before marking (see plain_punctuation).
_WORD_BYTES = bytes(c if chr(c).isalnum() and c < 128 or c in (1, 2, 95) or c >= 128 else 32 for c in range(256))
_MARKS = ("\x01", "\x02")
_SPACES = re.compile(" {2,}")
GAP = "  "  # between words in the matched string and in every key
# pyahocorasick's leftmost-longest search drops a shorter match still pending when the string ends inside a longer
# partial one (" beta  alpha " with keys " alpha " and " beta  alpha  alpha "): a character no key has ends it.
END = "\x03"
_SECOND = itemgetter(1)


class Phrase(NamedTuple):
    """One taxonomy phrase; `exact` is its written form when case matters, `offset` where it starts in a key."""

    group: str
    id: str
    weight: float
    exact: str | None
    key: str
    number: int  # the same for every copy of a phrase, and quicker to hash than the phrase
    offset: int = 0


# group -> the groups inside whose longer phrases its phrases do not count
Hidden = dict[str, frozenset[str]]
# (phrase, sentence, start in the matched string): a plain tuple, as a release has a hundred of them; the zone
# of a hit (Scan.zone) is worked out only for the hits that are scored
Hit = tuple[Phrase, int, int]
TITLE, LEAD, BODY = 0, 1, 2  # zones


def fold_plain(text: str) -> str:
    """The text without links, typographic punctuation or diacritics, case kept ("Europäische" -> "Europaische")."""
    return without_diacritics(plain_punctuation(text))


def without_diacritics(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return _COMBINING.sub("", decomposed) if decomposed != text else text


def plain_punctuation(text: str) -> str:
    """Links blanked and typographic punctuation made plain, accents kept: sentences fall where folding puts them."""
    # Searching for one character is many times quicker than for a string: look for "/" and "." first.
    if "@" in text or ("/" in text and "http" in text) or ("." in text and "www." in text):
        text = _LINKS.sub(" ", text)
    for mark in _MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    if text.isascii():
        return text
    for fancy, plain in _TYPOGRAPHY:
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


def words(text: str) -> list[bytes]:
    """Folded words of a text, the unit every phrase and keyword is compared in."""
    return fold_plain(text).lower().encode().translate(_WORD_BYTES).split()


def key_of(text: str) -> str:
    """The matched-string form of a phrase: folded words, two spaces apart, a space at each end. A suspended hyphen
    ("Grenz- und Küstenwache") is two separators, as the hyphen and the space are in the matched string."""
    if "- " not in text:
        return _as_key(w.decode() for w in words(text))
    return " " + (GAP * 2).join(key_of(part).strip() for part in text.split("- ")) + " "


def _as_key(parts: Iterable[str]) -> str:
    """Words in the shape of the matched string: two spaces apart, a space at each end."""
    return " " + GAP.join(parts) + " "


@dataclass
class Scan:
    """A folded text as one string of words with sentence marks, as written and lowercased."""

    written: str  # "  Word  Word  \x01  Word  ": every word between two-space gaps
    lowered: str
    marked: str  # the text as given, plain punctuation, sentence ends marked: evidence quotes it, accents included
    title_end: int  # where the title mark is in the matched string, or 0
    lead_end: int  # where the first word after the lead starts
    _sentences: list[str] | None = None

    def zone(self, start: int) -> int:
        """TITLE, LEAD or BODY: where a hit starting at `start` stands."""
        return TITLE if start < self.title_end else LEAD if start + 1 < self.lead_end else BODY

    def sentence_text(self, index: int) -> str:
        """A sentence as written, accents included (evidence is read by people)."""
        if self._sentences is None:
            self._sentences = self.marked.split(SENTENCE_MARK)
        return self._sentences[index] if index < len(self._sentences) else ""


def _mark_ends(text: str) -> str:
    """A sentence mark, between spaces, after every sentence end. Single characters are looked for first (most
    releases have no "!", "?", tab or CR), and the pairs are replaced by a regex: str.replace and `in` are slow
    for a two-character needle that ends in a space, as spaces are everywhere."""
    present = [blank for blank in _BLANKS if blank in text]
    for stop in _STOPS:
        if stop in text:
            for blank in present:
                text = _ENDS[stop + blank].sub(f"{stop} {SENTENCE_MARK} ", text)
    return text.replace("\n", f" {SENTENCE_MARK} ") if "\n" in text else text


def scan(text: str, title: str = "", lead_words: int = 60) -> Scan:
    """The matched string of a release: its title (when given) is sentence 0, a title mark sentence 1, and the
    lead is the first `lead_words` words from that mark (or from the start)."""
    punctuated = plain_punctuation(text)
    if title:
        punctuated = f"{plain_punctuation(title)}\n{TITLE_MARK}\n{punctuated}"
    if "  " in punctuated:  # spaces of any length are one separator; punctuation and a space are two
        punctuated = _SPACES.sub(" ", punctuated)
    marked = _mark_ends(unglue_sentences(punctuated))
    folded = without_diacritics(marked).encode()
    # Every separator becomes two spaces, so a word is always between spaces and neighbours can both match; the
    # words of a phrase must be one separator apart ("drug-trafficking", not "drug, trafficking").
    written = (b" " + folded.translate(_WORD_BYTES) + b" ").replace(b" ", GAP.encode()).decode()
    title_end = max(written.find(TITLE_MARK), 0)  # the feed's own \x02 were blanked: this one is ours
    lead = _lead_pattern(lead_words).match(written, title_end or 1)
    return Scan(written, written.lower(), marked, title_end, lead.end() if lead else len(written))


@functools.lru_cache(maxsize=4)
def _lead_pattern(lead_words: int) -> re.Pattern[str]:
    return re.compile(r"\s*(?:\S+\s+){" + str(lead_words) + "}")


class PhraseMatcher:
    """Phrases by key; `find` returns every phrase a text names, the longest at each place, with its sentence."""

    def __init__(self, hidden: Hidden | None = None, groups: Iterable[str] = ()) -> None:
        """`groups`: those `find` answers for even when a taxonomy gives them no phrase (an empty list)."""
        self._hidden = hidden or {}
        self._phrases: dict[str, list[Phrase]] = {}
        self._declared = frozenset(groups)
        self._groups: set[str] = set()  # set by compile: the groups `find` answers for
        self._count = 0
        self._automaton: Any = None

    def add(self, text: str, group: str, id_: str, weight: float = 1.0, exact: bool = False) -> None:
        key = key_of(text)
        if not key.strip():
            raise ValueError(f"phrase {text!r} has no words")
        written = _as_key(w.decode() for w in fold_plain(text).encode().translate(_WORD_BYTES).split())
        phrase = Phrase(group, id_, weight, written if exact else None, key, self._count)
        self._count += 1
        self._phrases.setdefault(key, []).append(phrase)
        self._automaton = None

    def find(self, text: str, title: str = "", lead_words: int = 60) -> tuple[Scan, dict[str, list[Hit]]]:
        """Hits by group, in text order."""
        scanned = scan(text, title, lead_words)
        automaton = self._automaton or self.compile()
        written = scanned.written
        groups: dict[str, list[Hit]] = {group: [] for group in self._groups}
        sentence = 0
        for end, value in _longest_matches(automaton, scanned.lowered):
            if value is None:
                sentence += 1
                continue
            start = end - value[0]
            plain = value[2]
            if plain is not None:  # most keys: one phrase, whatever its case
                groups[plain[1]].append((plain[0], sentence, start))
                continue
            for phrase, group, exact, offset in value[1]:
                if exact is None or written.startswith(exact, start + offset):
                    groups[group].append((phrase, sentence, start + offset))
        return scanned, groups

    def compile(self) -> Any:
        """Builds the automaton (done on the first `find` otherwise); adding a phrase later rebuilds it."""
        automaton = ahocorasick.Automaton()
        for key in [*self._phrases, *_overlaps(self._phrases)]:
            inside = tuple((p, p.group, p.exact, p.offset) for p in _inside(key, self._phrases, self._hidden))
            single = inside[0] if len(inside) == 1 and inside[0][2] is None and inside[0][3] == 0 else None
            automaton.add_word(key, (len(key) - 1, inside, single))
        automaton.add_word(f" {SENTENCE_MARK} ", None)
        automaton.make_automaton()
        self._groups = {phrase.group for phrases in self._phrases.values() for phrase in phrases} | self._declared
        self._automaton = automaton
        return automaton


def _overlaps(keys: Iterable[str]) -> set[str]:
    """Keys for two phrases that overlap ("signed a memorandum" + "memorandum of understanding"): the longest match
    at a place would hide the second one, so their union is a key of its own that stands for both. Chains of
    three are left out: they multiply keys and almost never occur."""
    spans = {tuple(key.split()) for key in keys}
    starting: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for span in spans:
        for size in range(1, len(span)):
            starting[span[:size]].append(span)
    unions = {span[:at] + other for span in spans for at in range(1, len(span)) for other in starting[span[at:]]}
    return {_as_key(union) for union in unions - spans}


def _inside(key: str, phrases: dict[str, list[Phrase]], hidden: Hidden) -> list[Phrase]:
    """The phrases a match of `key` stands for: its own, and those inside it that a longer one does not cover.

    The automaton reports only the longest match at a place, so what lies inside a key is decided here, once,
    the way a scan of every match would: within a group the longer phrase wins ("migrant smuggling" over
    "smuggling"), two overlapping phrases of one tag name it once ("illicit trafficking of cultural" and "cultural
    goods" in "illicit trafficking of cultural goods"), an exclusion removes its own group and ID, and other
    groups keep their phrases, except where `hidden` says a group's phrases do not count inside a longer phrase
    of certain groups ("organised" is a role word in "Eurojust organised a meeting", not in the crime area
    "organised crime").
    """
    parts = key.strip().split(GAP)
    offsets = [sum(len(part) + len(GAP) for part in parts[:i]) for i in range(len(parts))]
    found: list[tuple[int, int, Phrase]] = []
    for first in range(len(parts)):
        for last in range(first, len(parts)):
            inner = _as_key(parts[first : last + 1])
            for phrase in phrases.get(inner, ()):
                found.append((first, last, phrase._replace(offset=offsets[first])))
    return _keep_outermost(found, hidden)


def _keep_outermost(found: list[tuple[int, int, Phrase]], hidden: Hidden) -> list[Phrase]:
    excluded = [(f, last, p.group.removeprefix("exclude-"), p.id) for f, last, p in found
                if p.group.startswith("exclude-")]
    kept: list[Phrase] = []
    reach: dict[str, int] = {}
    named: dict[tuple[str, str], int] = {}
    for first, last, phrase in sorted(found, key=lambda item: (item[0], -item[1])):
        if phrase.group.startswith("exclude-") or any(
            f <= first and last <= end and (group, id_) == (phrase.group, phrase.id) for f, end, group, id_ in excluded
        ):
            continue
        if reach.get(phrase.group, -1) >= last or phrase.group in hidden and any(
            f <= first and last <= end and end - f > last - first and p.group in hidden[phrase.group]
            for f, end, p in found
        ):
            continue
        if named.get((phrase.group, phrase.id), -1) >= first:
            continue
        reach[phrase.group] = named[(phrase.group, phrase.id)] = last
        kept.append(phrase)
    return kept


class WordSet:
    """Which of a set of labelled words a matched string contains, found in one C-level pass."""

    def __init__(self, labelled: Iterable[tuple[str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for label, word in labelled:
            self._automaton.add_word(key_of(word), (label, word))
        self._automaton.make_automaton()

    def present(self, matched: str) -> set[tuple[str, str]]:
        """(label, word) for every word of the set that occurs (a lowercased string from `scan`)."""
        return set(map(_SECOND, _longest_matches(self._automaton, matched)))


def _longest_matches(automaton: Any, matched: str) -> Any:
    """(end, value) of the longest key at each place, left to right; every search of the module goes through here."""
    return automaton.iter_long(matched + END)
