"""Extractive summaries: the lead sentences a busy reader needs, and a one-line facts string."""

from __future__ import annotations

import re

from bot.models import AgencyRole, Tags
from bot.taxonomy import Taxonomy
from bot.textutil import (
    BRACKETED,
    GERMAN_MONTHS,
    MONTHS,
    NOT_AN_END,
    truncate_words,
    unglue_sentences,
    without_credits,
)

SUMMARY_LIMIT = 300
# A dateline: a place in capitals or "The Hague", a date, or both; a place in other case only with a date ("The
# Hague, 3 May 2024 -", "Brussels, 12.03.2024 -"), as "Europol - the EU's agency -" starts a sentence. An agency
# in brackets may follow ("VIENNA, 3 May (UNODC) -").
# Months a capitalised word does not cover, for other languages' datelines ("La Haye, le 3 juin 2024 -", "La Haya, 3
# de junio de 2024 -", "Den Haag, 3. März 2024 -"): French, Spanish, Italian, Romanian, Dutch and Portuguese write
# them in lowercase, German "März" has an umlaut. The longest first, so "martie" is not read as "mar".
_OTHER_MONTHS = "|".join([*GERMAN_MONTHS, *sorted(MONTHS, key=len, reverse=True)])
_DATE = (
    rf"(?:(?:(?:le|el|den|am)\s+)?\d{{1,2}}(?:\.?(?:\s+de)?\s+(?:[A-Z][a-z]+|{_OTHER_MONTHS})\.?(?:\s+de)?|[./]\d{{1,2}}[./])"
    r"(?:\s*\d{4})?|[A-Z][a-z]+\.?\s+\d{1,2}(?:,?\s+\d{4})?)"
)
# A joint release names each newsroom's place ("Wiesbaden/The Hague, 3 May 2024 -"); some put the dateline in
# brackets with no dash ("(The Hague, 3 May 2024) Europol supported").
_PLACES = r"[A-Z][\w'-]+(?:\s[A-Z][\w'-]+){0,2}(?:\s?/\s?[A-Z][\w'-]+(?:\s[A-Z][\w'-]+){0,2})*"
_DATELINE = re.compile(
    rf"^(?:(?:(?:[A-Z][A-Z .'/-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'-]{{1,30}}?)?|The Hague)(?:,\s*{_DATE})?"
    rf"|{_PLACES},\s*{_DATE}|{_DATE})(?:\s*\([A-Z][A-Za-z]{{1,12}}\))?\s*[–—-]\s+"
    rf"|\((?:{_PLACES},\s*)?{_DATE}\)\s+)"
)
_SENTENCE = re.compile(r"(?<=[.!?])" + NOT_AN_END + r"[\"”’]?\s+(?=[\"“‘A-Z0-9])")
_BOILERPLATE = re.compile(r"^(?:Background|Notes? to editors|Press contact|For more information)\b", re.IGNORECASE)
_MIN_SENTENCE = 30
# A photo caption glued to the sentence that repeats it ("Ms Ana PopMs Ana Pop has taken up her duties"): the
# same words twice, back to back, at the start of the text.
_CAPTION_GLUED = re.compile(r"^(\S.{3,80}?)(?=\1)")
# A caption glued to a sentence that does not repeat it: people's names ("Ms Ana Pop and Mr Ion RusThe Minister
# visited"), or a heading-like line before a word that starts sentences ("Support to justice for UkraineOn 4 May").
# Names only after a title: "Operation EncroChat" is a name in camel case, not "Operation Encro" and a glue.
_NAME = r"[A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)*"
_CAPTION_BEFORE = re.compile(
    rf"^(?:(?:Mr|Ms|Mrs|Dr)\.?\s{_NAME}(?:\s(?:and\s|&\s)?(?:(?:Mr|Ms|Mrs|Dr)\.?\s)?{_NAME})+(?<=[a-z])"
    r"|[^.!?:]{3,100}?[a-z](?=(?:The|On|In|At|During|Today|Yesterday|This|Following|After)\s))(?=[A-Z][a-z])"
)
# What a reader misses least when the first sentence is too long, dropped in this order until it fits: asides in
# brackets (an acronym spelled out, a project's full name), then who heads a delegation or chairs a meeting
# (", headed by the Deputy Secretary General, Ion Popescu,"); what is left may then fit whole, and if not, more
# of the main clause does.
_ASIDES = [
    BRACKETED,
    re.compile(r",\s(?:headed|led|chaired|accompanied|represented)\sby\s[^,]+"  # ", headed by the Minister"
               r"(?:,\s[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)+)?,(?=\s)"),  # ", Ion Popescu," and the comma that closes it
]


def summarize(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Whole lead sentences up to `limit` characters; a first sentence too long loses its asides (_ASIDES) and, if
    still too long, is cut at a word boundary."""
    chosen: list[str] = []
    length = 0
    for sentence in _lead_sentences(text):
        extra = len(sentence) + (1 if chosen else 0)
        if length + extra > limit:
            break
        chosen.append(sentence)
        length += extra
    if chosen:
        return " ".join(chosen)
    first = next(iter(_lead_sentences(text)), "")
    for aside in _ASIDES:
        if len(first) <= limit:
            break
        first = aside.sub("", first)
    return truncate_words(first, limit)


def _lead_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    text = without_credits(text)
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if not paragraph or _BOILERPLATE.match(paragraph):
            if sentences and paragraph:
                break
            continue
        paragraph = _DATELINE.sub("", unglue_sentences(paragraph))
        if not sentences:
            paragraph = _CAPTION_BEFORE.sub("", _CAPTION_GLUED.sub("", paragraph))
        sentences.extend(s for s in _SENTENCE.split(paragraph) if len(s) >= _MIN_SENTENCE or sentences)
    return sentences


def facts_line(tags: Tags, taxonomy: Taxonomy, publisher: str) -> str:
    """Who with whom, what kind, where: 'Eurojust with EEAS · agreement · NL'."""
    leads = [a.id for a in tags.agencies if a.role in (AgencyRole.PUBLISHER, AgencyRole.PARTY)]
    if publisher in taxonomy.publishers:  # a national body reporting its own part
        leads.insert(0, publisher)
    others = [a.id for a in tags.agencies if a.role is AgencyRole.MENTIONED]
    names = [taxonomy.agency_name(i) for i in (leads or others[:1] or [publisher])]
    who = names[0] + (" with " + ", ".join(names[1:]) if len(names) > 1 else "")
    parts = [who]
    if tags.cooperation:
        parts.append(", ".join(tags.cooperation_ids()))
    if tags.crime_areas:
        parts.append(", ".join(taxonomy.area_name(a).lower() for a in tags.area_ids()[:3]))
    if involved := tags.involved_country_codes():
        parts.append(", ".join(involved[:6]))
    return " · ".join(parts)
