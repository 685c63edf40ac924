"""Small text helpers every layer may use: folding, hashing, stable identifiers, dates in prose."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

# An aside in brackets with the space before it: "the Ministry (MIA) said" -> "the Ministry said". Titles made from
# a first sentence and summaries of a long one leave such asides out.
BRACKETED = re.compile(r"\s*\([^()]*\)")
# Month names by number in the languages the newsrooms write: English (with its abbreviations), French, Spanish,
# Italian, Romanian, Dutch, German and Portuguese, with and without accents. No name means two months in two languages.
_MONTH_NAMES = (
    ("january", "jan", "janvier", "enero", "gennaio", "ianuarie", "januari", "januar", "jänner", "janner", "janeiro"),
    ("february", "feb", "février", "fevrier", "febrero", "febbraio", "februarie", "februari", "februar", "fevereiro"),
    ("march", "mar", "mars", "marzo", "martie", "maart", "märz", "marz", "maerz", "março", "marco"),
    ("april", "apr", "avril", "abril", "aprile", "aprilie"),
    ("may", "mai", "mayo", "maggio", "mei", "maio"),
    ("june", "jun", "juin", "junio", "giugno", "iunie", "juni", "junho"),
    ("july", "jul", "juillet", "julio", "luglio", "iulie", "juli", "julho"),
    ("august", "aug", "août", "aout", "agosto", "augustus"),
    ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "septembrie", "setembro"),
    ("october", "oct", "octobre", "octubre", "ottobre", "octombrie", "oktober", "outubro"),
    ("november", "nov", "novembre", "noviembre", "noiembrie", "novembro"),
    ("december", "dec", "décembre", "decembre", "diciembre", "dicembre", "decembrie", "dezember", "dezembro"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_GLUED = re.compile(r"\.(?=[A-Z][a-z])")
# Words whose period ends an abbreviation, before a name or a number ("Mr. Smith", "Art. 9", "nr. 5").
_ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "No", "Nos", "Nr", "nr", "Art", "Arts", "Para", "para", "Gen",
    "Col", "Lt", "Sgt", "Insp", "Jr", "Sr", "Sra", "Dl", "dl", "Dna", "dna", "vs", "approx", "incl", "cf", "ca",
    "Fig", "Vol",
)
# Put right after a period: the period ends an abbreviation, not a sentence. An initial or any one-letter part
# ("Ronald K. Noble", "U.S. Department", "e.g. drugs") or a word of _ABBREVIATIONS. Feeds put these before names
# and numbers, so ending a sentence there cut "the U.S. Department of Justice" in two.
# Python's lookbehind is of fixed width: one per length.
_NOT_ABBREVIATION = r"(?<!\b[^\W\d_]\.)" + "".join(
    rf"(?<!\b(?:{'|'.join(word for word in _ABBREVIATIONS if len(word) == size)})\.)"
    for size in sorted({len(word) for word in _ABBREVIATIONS})
)
# Put right after a period: the period follows an ordinal number, as German and many other languages write them
# ("am 14. Mai", "die 34. Sitzung", Estonian "25. mail"), not the end of a sentence. A day number followed by a
# German month or a lowercase word, or any number of one or two digits after a German article or preposition.
# English "aged between 18 and 34. The suspects" still ends there.
GERMAN_MONTHS = ("Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                  "Oktober", "November", "Dezember")
_BEFORE_ORDINAL = ("am", "im", "ab", "vom", "zum", "zur", "die", "der", "den", "dem", "des", "das", "bis", "beim",
                   "seit", "ihrer", "ihres", "einer", "eines", "seiner", "seines", "dieser", "dieses")
_DAY_BEFORE_MONTH = (r"(?:(?<=\b\d\.)|(?<=\b\d\d\.))"
                     rf"(?=\s(?:{'|'.join(GERMAN_MONTHS)})\b|\s[a-zß-öø-ÿ])")
_AFTER_ARTICLE = "|".join(
    rf"(?<=\b(?:{'|'.join(word for word in _BEFORE_ORDINAL if len(word) == size)}) \d{{{digits}}}\.)"
    for size in sorted({len(word) for word in _BEFORE_ORDINAL})
    for digits in (1, 2)
)
# Most periods follow a letter: the digit is checked first, so they cost one look back.
NOT_AN_END = _NOT_ABBREVIATION + rf"(?!(?<=\d\.)(?:{_DAY_BEFORE_MONTH}|{_AFTER_ARTICLE}))"
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# "3 May 2024", "1st May", "1er juin 2024", "3 de junio de 2024", "3. März 2024"
_DAY_FIRST = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:\s*(?:-|–|and|to)\s*\d{{1,2}})?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


# A photo credit is neither the lead nor what a release is about ("© Europol" under a Eurojust release): "© -
# German Federal Police" on a line of its own, or glued by the feed to the sentence after it ("Photo credits: Czech
# PoliceMobile phones were seized"). It runs from its mark to the end of the line or to where a small letter meets
# the capital of the glued sentence; it has no period, so a sentence after it on its line stays. The pattern opens
# with the set of its first letters, which lets the regex engine skip to them: opened by "(?:©|\b(?:Photo )?", it
# tried every place of the text and took five times as long (100 µs on a 4 KB release with a credit).
_CREDIT = re.compile(
    r"[©PCc](?:(?<=©)|(?<!\w[PCc])(?:(?<=P)hoto [Cc]|(?<=[Cc]))redits?:)[^\n.]{0,100}?(?:[a-z)](?=[A-Z][a-z])|$)",
    re.MULTILINE,
)


def without_credits(text: str) -> str:
    if "©" in text or "edit:" in text or "edits:" in text:  # the regex stops at every "c": slow on every text
        return _CREDIT.sub("", text)
    return text


def unglue_sentences(text: str) -> str:
    """A period glued to the next sentence ("benefit.The successful") gets its space back: feeds join paragraphs
    that way. Lowercase after the capital keeps "U.S.A" and domain names as they are."""
    return _GLUED.sub(". ", text) if "." in text else text


def fold(text: str) -> str:
    """Lowercase with diacritics removed, so 'Europäische' and 'europaische' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def stable_id(*parts: str) -> str:
    """A short identifier that stays the same for the same source and identity key."""
    return content_hash(*parts)[:12]


def find_date(text: str) -> datetime | None:
    """The earliest date written in prose ("10 October 2017", "12 Oct 2011", "January 30 and 31, 2024", "3 de junio
    de 2024")."""
    found: list[tuple[int, datetime]] = []
    for pattern in (_DAY_FIRST, _MONTH_FIRST):
        for match in pattern.finditer(text):
            month = MONTHS[match.group("month").lower().rstrip(".")]
            try:
                when = datetime(int(match.group("year")), month, int(match.group("day")), tzinfo=UTC)
            except ValueError:
                continue
            found.append((match.start(), when))
            break
    return min(found)[1] if found else None


def truncate_words(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters, never cutting a word in half."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[: limit - len(ellipsis)]
    return cut.rstrip(" ,;:-–") + ellipsis
