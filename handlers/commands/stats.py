"""`stats`: what the stored releases are about, counted by tag, and how many came each month; with words, the
releases that say them ("stats ransomware since:2023": how often ransomware came up, and with whom)."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.commands.latest import misspelt_reply
from handlers.commands.terms import TermError, add_names, facet_filter, scope_of
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply

TOP = 8  # tags named per line; the rest are counted
LINES = (("area", "Crime areas"), ("agency", "Agencies"), ("country", "Countries"), ("kind", "Kinds"),
         ("publisher", "Publishers"), ("language", "Languages"))
SAYS_NOTHING_ALONE = ("publisher", "language")  # a line of one publisher, or of one language, says nothing
BARS = "▁▂▃▄▅▆▇█"
MAX_BARS = 36
NONE = "·"  # a month with no release: a space would vanish where HTML collapses spaces (Matrix)


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    try:
        wanted = facet_filter(command, deps)
        add_names(command, wanted, deps, words=True)
    except TermError as error:
        return Reply(text=str(error), error=True)
    wanted.every_match = True  # a count over the years must hold every release that says a word, not the newest
    tags, months = deps.store.releases.counts(wanted)
    scope = scope_of(wanted, deps)
    total = sum(count for _, count in months)
    if not total:
        return misspelt_reply(wanted, deps) or Reply(text=f"No releases{scope}.")
    asked = set(wanted.facets)
    alone = {kind for kind in SAYS_NOTHING_ALONE if len({v for k, v, _ in tags if k == kind}) == 1}
    lines = [line for kind, label in LINES if kind not in alone
             and (line := _tag_line(label, [(v, n) for k, v, n in tags if k == kind and (k, v) not in asked]))]
    until = (wanted.until - timedelta(days=1)).date() if wanted.until else None
    lines.append(month_line(months, wanted.since.date() if wanted.since else None, until))
    return Reply(text=f"{total} release{'s' if total != 1 else ''}{scope}:", lines=lines)


def _tag_line(label: str, counted: list[tuple[str, int]]) -> str:
    if not counted:
        return ""
    shown = " · ".join(f"{value} {count}" for value, count in counted[:TOP])
    more = f" · and {len(counted) - TOP} more" if len(counted) > TOP else ""
    return f"{label}: {shown}{more}"


def month_line(months: list[tuple[str, int]], since: date | None = None, until: date | None = None) -> str:
    """A bar for every month from the first (or the one of `since`) to the last (or the one of `until`), empty
    months too, and the busiest one; a bar a year when that is more than MAX_BARS months."""
    first = since.replace(day=1) if since else _month(months[0][0])
    last = until.replace(day=1) if until else _month(months[-1][0])
    span = [date(year, month, 1) for year in range(first.year, last.year + 1) for month in range(1, 13)
            if first <= date(year, month, 1) <= last]
    counts: dict[str, int] = dict(months)
    unit, label = "By month", "%b %Y"
    if len(span) > MAX_BARS:
        unit, label = "By year", "%Y"
        span = sorted({day.replace(month=1) for day in span})
        counts = {}
        for month, count in months:
            counts[month[:4]] = counts.get(month[:4], 0) + count
    values = [counts.get(day.strftime("%Y" if unit == "By year" else "%Y-%m"), 0) for day in span]
    top = max(values)
    bars = "".join(BARS[(len(BARS) - 1) * value // top] if value else NONE for value in values)
    period = span[0].strftime(label) + ("" if len(span) == 1 else f" – {span[-1].strftime(label)}")
    return f"{unit}, {period}: {bars} (most in {span[values.index(top)].strftime(label)}: {top})"


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)
