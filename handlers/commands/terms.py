"""Shared by search, latest and subscribe: words and facets into tags and search terms."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta

from bot.language import language_name
from bot.store.dialect import SearchFilter, SearchTerm
from handlers.context import Deps
from handlers.parser import ParsedCommand, Word
from handlers.replies import Action

DATE_KEYS = ("since", "until")
FACET_KINDS = {"agency": "agency", "area": "area", "country": "country"}
QUALIFIERS = ("kind", "language")  # facets a reply names after what it lists: "for Europol, kind agreement"
FACET_EXAMPLES = {"agency": "europol", "area": "cybercrime", "country": "MD", "kind": "agreement", "lang": "fr",
                  "since": "2024-06", "until": "2024-06", "page": "2"}
# "today", "yesterday" or a count of days, weeks, months or years back: since:7d, since:2w, since:3m, since:1y
_RELATIVE = re.compile(r"(?P<word>today|yesterday)|(?P<count>\d{1,4})(?P<unit>[dwmy])")
# each way of writing a date, and how much it covers
_WRITTEN = (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year"), ("%d.%m.%Y", "day"), ("%d/%m/%Y", "day"))
MAX_NAME_WORDS = 8  # "European Union Agency for Law Enforcement Cooperation"


class TermError(ValueError):
    """A term the user typed that coop cannot read; the message says how to fix it."""


def parse_date(text: str, now: datetime, written: str = "since:") -> datetime:
    """A date as written (2024-06-30, 2024-06, 2024, 30.06.2024), or one counted back from today: today,
    yesterday, 7d, 2w, 3m, 1y (days, weeks, calendar months, years), from the start of that day (UTC). An error
    shows how to write one, after `written` ("since:" in chat, "--since " on the command line)."""
    return parse_period(text, now, written)[0]


def parse_period(text: str, now: datetime, written: str = "since:") -> tuple[datetime, datetime]:
    """The start of a date as written and the end (exclusive) of the day, month or year it names: 2024 is the
    whole year, so until:2024 takes December's releases too."""
    for pattern, step in _WRITTEN:
        try:
            start = datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        return start, _after(start, step)
    day = _counted_back(text, now, written)
    return day, day + timedelta(days=1)


def _after(start: datetime, step: str) -> datetime:
    if step == "day":
        return start + timedelta(days=1)
    if step == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _counted_back(text: str, now: datetime, written: str) -> datetime:
    back = _RELATIVE.fullmatch(text.strip().lower())
    if back is None:
        raise TermError(f"“{text}” is not a date; write {written}2024-01-31 (or {written}2024-01, {written}2024), "
                        f"or count back: {written}7d, {written}2w, {written}3m, {written}yesterday")
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if back["word"]:
        return today - timedelta(days=1 if back["word"] == "yesterday" else 0)
    count, unit = int(back["count"]), back["unit"]
    if unit in ("d", "w"):
        return today - timedelta(days=count * (7 if unit == "w" else 1))
    year, month = divmod(today.year * 12 + today.month - 1 - count * (12 if unit == "y" else 1), 12)
    if year < 1:
        raise TermError(f"{written}{text} goes back too far; write a date instead, for example {written}1990")
    return today.replace(year=year, month=month + 1, day=min(today.day, monthrange(year, month + 1)[1]))


def build_filter(command: ParsedCommand, deps: Deps) -> SearchFilter:
    wanted = facet_filter(command, deps)
    for group in _any_of(named_words(command.included, deps)):
        terms = [_search_term(word.text, word.quoted, deps) for word in group]
        wanted.terms.append(terms[0] if len(terms) == 1 else _either(terms))
    for word in command.excluded:
        wanted.excluded.append(_excluded_term(word, deps))
    return wanted


def _any_of(words: list[Word]) -> list[list[Word]]:
    """Words joined by OR (in capitals, as search engines take it) are one group, any of which will do; an OR with
    nothing on one side is dropped."""
    groups: list[list[Word]] = []
    joined = False
    for word in words:
        if word.text == "OR" and not word.quoted:
            joined = bool(groups)
        elif joined:
            groups[-1].append(word)
            joined = False
        else:
            groups.append([word])
    return groups


def _either(terms: list[SearchTerm]) -> SearchTerm:
    text = " OR ".join(term.text for term in terms)
    tags = [tag for term in terms for tag in term.tags]
    return SearchTerm(text=text, tags=tags, word_first=any(t.word_first for t in terms), alternatives=terms)


def _excluded_term(word: Word, deps: Deps) -> SearchTerm:
    """-europol leaves out releases tagged with Europol or naming it; -cocaine those that say cocaine (not every
    drug-trafficking release); -"press conference" those with the phrase."""
    term = None if word.quoted else deps.resolver.resolve(word.text)
    return SearchTerm(text=word.text, phrase=word.quoted, tags=[(term.kind, term.id)] if term else [])


def named_words(words: list[Word], deps: Deps) -> list[Word]:
    """Consecutive unquoted words that together name an agency, an area, a country or a crime ("united kingdom",
    "money laundering", "eu lisa") as one word, the longest name first; the other words as they were typed."""
    grouped: list[Word] = []
    start = 0
    while start < len(words):
        size = _name_length(words, start, deps)
        grouped.append(words[start] if size == 1 else Word(" ".join(w.text for w in words[start : start + size])))
        start += size
    return grouped


def _name_length(words: list[Word], start: int, deps: Deps) -> int:
    for size in range(min(MAX_NAME_WORDS, len(words) - start), 1, -1):
        span = words[start : start + size]
        if not any(w.quoted for w in span) and deps.resolver.names_something(" ".join(w.text for w in span)):
            return size
    return 1


def facet_filter(command: ParsedCommand, deps: Deps) -> SearchFilter:
    """The command's key:value facets (agency, area, country, kind, since) as hard filters, and those typed with a
    "-" (-kind:training) as tags to leave out."""
    wanted = SearchFilter()
    for key, values in command.facets.items():
        for typed in values:
            value = _value(key, typed)
            if key == "since":
                wanted.since = parse_date(value, deps.now())
            elif key == "until":
                wanted.until = parse_period(value, deps.now(), "until:")[1]
            elif key != "page":
                wanted.facets.append(_facet_tag(key, value, deps))
    _check_order(command, wanted)
    for key, values in command.excluded_facets.items():
        if key in DATE_KEYS + ("page",):
            raise TermError(f"-{key}: cannot be left out; write {key}:{FACET_EXAMPLES[key]}")
        wanted.excluded += [SearchTerm(text="", tags=[_facet_tag(key, _value(key, value), deps)]) for value in values]
    return wanted


def _check_order(command: ParsedCommand, wanted: SearchFilter) -> None:
    if wanted.since is not None and wanted.until is not None and wanted.until <= wanted.since:
        raise TermError(f"until:{command.facets['until'][-1]} ends before since:{command.facets['since'][-1]} "
                        "begins; write the earlier date in since: and the later one in until:")


def _value(key: str, value: str) -> str:
    if not value.strip():
        raise TermError(f"{key}: needs a value right after it, for example {key}:{FACET_EXAMPLES[key]}")
    return value


def _facet_tag(key: str, value: str, deps: Deps) -> tuple[str, str]:
    """agency:, area:, country: or kind: and its value as the tag it names; a message saying how to fix it if none."""
    if key == "kind":
        kind = deps.resolver.kind(value)
        if kind is None:
            raise TermError(deps.resolver.unknown_kind(value))
        return ("kind", kind)
    if key == "lang":
        language = deps.resolver.language(value)
        if language is None:
            raise TermError(deps.resolver.unknown_language(value))
        return ("language", language)
    term = deps.resolver.resolve(value, FACET_KINDS[key])
    if term is None:
        raise TermError(deps.resolver.unknown_message(value, FACET_KINDS[key]))
    return (term.kind, term.id)


def _search_term(text: str, quoted: bool, deps: Deps) -> SearchTerm:
    """A word that names a tag finds it; a word of a crime area finds the area's releases too, after those that
    name the word; a quoted word is only the word."""
    if quoted:
        return SearchTerm(text=text, phrase=True)
    several = " " in text  # a name of several words (named_words) is found as that phrase
    term = deps.resolver.resolve(text)
    if term is not None:
        return SearchTerm(text=text, phrase=several, tags=[(term.kind, term.id)])
    crime = deps.resolver.crime_named(text)
    if crime is not None:
        return SearchTerm(text=text, phrase=several, tags=[(crime.kind, crime.id)], word_first=True)
    return SearchTerm(text=text)


def typed_query(command: ParsedCommand) -> str:
    """What the user typed after the subcommand, less page:N."""
    return " ".join(p for p in command.raw.split(" ")[1:] if not p.startswith("page:"))


def next_page(command: ParsedCommand, page: int, label: str) -> Action:
    """The button (or, in plain text, the command to type) for the page after `page` of the same command."""
    value = " ".join(part for part in (command.name, typed_query(command), f"page:{page + 1}") if part)
    return Action(kind="page", label=label, value=value)


def page_of(command: ParsedCommand) -> int:
    values = command.facets.get("page", ["1"])
    try:
        return max(1, int(values[-1]))
    except ValueError as error:
        raise TermError(f"page:{values[-1]} is not a page number; write page:2") from error


def add_names(command: ParsedCommand, wanted: SearchFilter, deps: Deps, words: bool = False) -> None:
    """Each word names an agency, an area, a country or a publisher ("latest md-mia"); with `words` (latest), a
    word that names none, or a quoted one, must be in the text instead. A word typed with "-" is left out (latest
    -europol)."""
    publishers = deps.store.releases.publishers()
    for word in named_words(command.included, deps):
        found = _tag_or_text(word, publishers, words, deps)
        if isinstance(found, SearchTerm):
            wanted.terms.append(found)
        else:
            wanted.facets.append(found)
    for word in command.excluded:
        found = _tag_or_text(word, publishers, words, deps)
        wanted.excluded.append(found if isinstance(found, SearchTerm) else SearchTerm(text="", tags=[found]))


def _tag_or_text(word: Word, publishers: set[str], words: bool, deps: Deps) -> tuple[str, str] | SearchTerm:
    """The tag a word names, or (with `words`) the word to find in the text; a TermError saying what to write."""
    term = None if word.quoted else deps.resolver.resolve(word.text)
    if term is not None:
        return (term.kind, term.id)
    if not word.quoted and word.text.lower() in publishers:
        return ("publisher", word.text.lower())
    hint = _date_hint(word.text, deps)
    if words and (word.quoted or word.excluded or not hint):
        return SearchTerm(text=word.text, phrase=word.quoted or " " in word.text)
    if words:
        raise TermError(f"“{word.text}” looks like a date.{hint}; to look for it in the text, quote it: "
                        f'"{word.text}"')
    raise TermError(deps.resolver.unknown_message(word.text) + hint)


def _date_hint(text: str, deps: Deps) -> str:
    """"latest 2024" and "latest 7d" are most likely meant as a date."""
    try:
        parse_date(text, deps.now())
    except TermError:
        return ""
    return f" For releases since a date, write since:{text}"


def scope_of(wanted: SearchFilter, deps: Deps) -> str:
    """What the reply says it lists, whatever form the user typed: "md" is "Moldova", "EUROPOL" is "Europol"."""
    named = [tag_name(kind, id_, deps) for kind, id_ in wanted.facets if kind not in QUALIFIERS]
    scope = f" for {' and '.join(named)}" if named else ""
    scope += "".join(f", {tag_name(kind, id_, deps)}" for kind, id_ in wanted.facets if kind in QUALIFIERS)
    said = [f"“{term.text}”" for term in wanted.terms if not term.tags]
    scope += f" mentioning {' and '.join(said)}" if said else ""
    scope += "".join(f", not {tag_name(kind, id_, deps)}" for term in wanted.excluded for kind, id_ in term.tags)
    scope += "".join(f", not mentioning “{term.text}”" for term in wanted.excluded if not term.tags)
    return scope + period_of(wanted)


def period_of(wanted: SearchFilter) -> str:
    """", since 01 Jan 2024", ", until 31 Dec 2023" or ", from 01 Jan 2023 to 31 Dec 2023": the days included."""
    last = wanted.until - timedelta(days=1) if wanted.until else None
    if wanted.since and last:
        return f", from {wanted.since:%d %b %Y} to {last:%d %b %Y}"
    if last:
        return f", until {last:%d %b %Y}"
    return f", since {wanted.since:%d %b %Y}" if wanted.since else ""


def tag_name(kind: str, id_: str, deps: Deps) -> str:
    if kind == "kind":
        return f"kind {id_}"
    if kind == "language":
        return f"in {language_name(id_)}"
    if kind == "country":
        return deps.taxonomy.country_name(id_)
    return deps.taxonomy.area_name(id_) if kind == "area" else deps.taxonomy.agency_name(id_)
