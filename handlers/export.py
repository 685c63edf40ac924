"""A spreadsheet export's query, read as `latest` reads its terms: every release it matches, newest first, as rows
of plain values that the web server writes as CSV and `coop search --json` as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.models import Release, Tags
from handlers.commands.terms import TermError
from handlers.context import Deps
from handlers.feed import query_filter

# Rows an export may have (Eurojust's feed gave 162 releases in the development set's thirteen months). A query
# that matches more is refused, never cut, so an export holds every release it names: its full-text terms look at
# every match, not the newest 1,000 that chat lookups read.
EXPORT_SIZE = 2000
COLUMNS = ("id", "date", "publisher", "title", "url", "agencies", "crime_areas", "countries",
           "countries_mentioned", "cooperation", "language", "story", "summary", "facts")


@dataclass(frozen=True)
class Export:
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""  # what to write instead, when the query names nothing or matches too much


def export_rows(query: str, deps: Deps) -> Export:
    """Every release with every term of `query`, newest first, as `release_record`s."""
    try:
        wanted = query_filter(query, deps, what="An export")
    except TermError as error:
        return Export(error=str(error))
    found = deps.store.releases.search_at_most(replace(wanted, every_match=True), EXPORT_SIZE)
    if found is None:
        return Export(error=f"More than {EXPORT_SIZE:,} releases match; an export holds at most {EXPORT_SIZE:,}. "
                            "Narrow it with since: and until: (since:2024 until:2024), or with more terms.")
    return Export(rows=[release_record(release) for release in found])


def tag_record(tags: Tags) -> dict[str, list[str]]:
    """Tags by their canonical IDs, as every export and JSON output names them. `countries` are those the release
    is about; the ones it only names come apart, so nothing is lost."""
    return {"agencies": tags.agency_ids(), "crime_areas": tags.area_ids(), "countries": tags.involved_country_codes(),
            "countries_mentioned": tags.mentioned_country_codes(), "cooperation": tags.cooperation_ids()}


def release_record(release: Release) -> dict[str, Any]:
    """A release as plain values, its tags as `tag_record` gives them."""
    return {
        "id": release.id,
        "title": release.title,
        "publisher": release.publisher,
        "url": release.url,
        "published": release.published.isoformat() if release.published else None,
        "date": f"{release.date:%Y-%m-%d}",  # the day a spreadsheet sorts by: published, or else when coop found it
        "summary": release.summary,
        "facts": release.facts,
        **tag_record(release.tags),
        "language": release.language,
        "story": release.story,
    }
