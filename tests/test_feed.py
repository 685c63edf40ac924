"""Web feeds of coop's tagged releases, fetched over loopback as a feed reader fetches them and read by feedparser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest

from bot.models import Release
from bot.platforms.feed import atom, feed_route
from bot.runtime import Runtime
from handlers.context import Deps
from handlers.feed import FEED_SIZE, MAX_QUERY
from handlers.replies import Reply
from tests.served import fetch, serving


@pytest.fixture
async def feed_url(deps: Deps) -> AsyncIterator[str]:
    async with serving("/feed", feed_route(deps)) as url:
        yield url


def _entries(body: bytes) -> list[Any]:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return list(parsed.entries)


async def test_a_feed_lists_the_releases_latest_lists_with_their_tags(feed_url: str) -> None:
    status, headers, body = await fetch(feed_url, "europol")
    assert status == 200 and headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert feedparser.parse(body).feed.title == "coop: latest for Europol"
    entries = _entries(body)
    assert [entry.title[:10] for entry in entries] == ["Leveraging", "Interpol a"]  # newest first
    moldova = entries[0]
    assert moldova.published == "2024-01-30T00:00:00+00:00"
    tags = {(tag.scheme, tag.term) for tag in moldova.tags}
    assert {("urn:coop:agency", "europol"), ("urn:coop:country", "MD"), ("urn:coop:kind", "meeting"),
            ("urn:coop:area", "drug-trafficking"), ("urn:coop:language", "en")} <= tags
    summary, facts = moldova.content[0].value.split("\n\n")  # the summary, then the facts line
    assert summary.startswith("A delegation of the Ministry of Internal Affairs is taking part in the Joint")
    assert facts == ("Moldova's Ministry of Internal Affairs with Europol · meeting · organised crime, "
                     "drug trafficking, cbrn · MD")


async def test_a_feed_takes_every_term_latest_takes(feed_url: str) -> None:
    everything = _entries((await fetch(feed_url, ""))[2])
    assert len(everything) == 3
    agreements = _entries((await fetch(feed_url, "kind:agreement -interpol since:2012"))[2])
    assert [entry.title[:7] for entry in agreements] == ["Michèle"]


async def test_a_query_that_names_nothing_is_refused_with_what_to_write(feed_url: str) -> None:
    status, _, body = await fetch(feed_url, "country:atlantis")
    assert status == 400 and "atlantis" in body.decode()
    status, _, body = await fetch(feed_url, "europol until:soon")
    assert status == 400 and "until:2024-01-31" in body.decode()
    status, _, body = await fetch(feed_url, "x" * (MAX_QUERY + 1))
    assert status == 400 and f"at most {MAX_QUERY} characters" in body.decode()
    assert (await fetch(feed_url, "europol page:2"))[0] == 400


async def test_a_reader_that_has_the_feed_gets_304_until_a_release_comes(feed_url: str, seeded: Runtime) -> None:
    _, headers, _ = await fetch(feed_url, "europol")
    status, again, body = await fetch(feed_url, "europol", {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    seeded.ingestor.ingest(_release("Europol and Eurojust take down a ransomware gang"), announce=False)
    status, _, body = await fetch(feed_url, "europol", {"If-None-Match": headers["etag"]})
    assert status == 200 and _entries(body)[0].title == "Europol and Eurojust take down a ransomware gang"


async def test_a_reader_that_has_the_feed_costs_no_building_of_it(feed_url: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    def counted_atom(reply: Reply, self_url: str) -> bytes:
        built.append(self_url)
        return atom(reply, self_url)

    monkeypatch.setattr("bot.platforms.feed.atom", counted_atom)
    _, headers, _ = await fetch(feed_url, "europol")
    assert headers["etag"].startswith('W/"') and len(built) == 1
    assert (await fetch(feed_url, "europol", {"If-None-Match": headers["etag"]}))[0] == 304
    assert len(built) == 1  # the ETag came from the releases, before any XML
    assert (await fetch(feed_url, "interpol", {"If-None-Match": headers["etag"]}))[0] == 200  # another query


async def test_feed_text_cannot_break_the_xml_or_inject_markup(feed_url: str, seeded: Runtime) -> None:
    title = "Europol <script>alert(1)</script> ]]> & \x0bcontrol\x00 characters"
    seeded.ingestor.ingest(_release(title), announce=False)
    status, _, body = await fetch(feed_url, "europol")
    assert status == 200 and b"<script>" not in body
    assert _entries(body)[0].title == "Europol <script>alert(1)</script> ]]> & control characters"


def _release(title: str) -> Release:
    return Release(id="feedtest0001", source_id="europol", publisher="europol", url="https://example.org/r/1",
                   title=title, published=datetime(2024, 2, 14, tzinfo=UTC),
                   text="Europol supported the investigation. Servers were seized in Germany and the Netherlands.")


async def test_a_feed_has_the_newest_releases_up_to_its_size(feed_url: str, seeded: Runtime) -> None:
    for day in range(1, FEED_SIZE + 2):
        seeded.ingestor.ingest(_release(f"Europol action day {day}").model_copy(
            update={"id": f"day{day:04d}", "url": f"https://example.org/r/{day}",
                    "published": datetime(2024, 3, 1, tzinfo=UTC) + timedelta(hours=day)}), announce=False)
    entries = _entries((await fetch(feed_url, "europol"))[2])
    assert len(entries) == FEED_SIZE
    assert entries[0].title == f"Europol action day {FEED_SIZE + 1}" and entries[-1].title == "Europol action day 2"
