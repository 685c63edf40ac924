"""`export`: the links to a query's feed and spreadsheet, which open what `latest` lists, at coop's public address."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import aiohttp
import feedparser

from bot.platforms.export import export_route
from bot.platforms.feed import feed_route
from handlers.commands.links import NO_ADDRESS
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from tests.served import serving

HERE = CommandContext(platform="fake", channel="C1", workspace="", user="U1")
PUBLIC = "https://coop.example.org/news"


async def _get(url: str) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.read()


async def test_export_gives_links_that_open_the_feed_and_the_spreadsheet_of_its_terms(deps: Deps) -> None:
    deps.web_address = PUBLIC
    reply = handle("export europol -kind:training since:2024", HERE, deps)
    assert not reply.error and reply.text.startswith("Latest for Europol")
    feed_link, csv_link = (line for line in reply.lines if line.startswith("https://"))
    assert feed_link == f"{PUBLIC}/feed?q=europol+-kind%3Atraining+since%3A2024"
    assert csv_link == f"{PUBLIC}/export.csv?q=europol+-kind%3Atraining+since%3A2024"
    async with serving("/feed", feed_route(deps)) as served:
        status, body = await _get(served + "?" + urlsplit(feed_link).query)  # as the proxy would pass it on
    feed = feedparser.parse(body)
    assert status == 200 and [entry.title[:10] for entry in feed.entries] == ["Leveraging"]
    # its own address is the public one, as readers subscribed to it (":" and "%3A" are the same to them)
    assert {unquote(link.href) for link in feed.feed.links if link.rel == "self"} == {unquote(feed_link)}
    async with serving("/export.csv", export_route(deps)) as served:
        status, body = await _get(served + "?" + urlsplit(csv_link).query)
    assert status == 200 and body.decode("utf-8-sig").count("\n") == 2  # the header and the one release


def test_export_refuses_a_term_that_names_nothing_as_latest_does(deps: Deps) -> None:
    deps.web_address = PUBLIC
    reply = handle("export europolx", HERE, deps)
    assert reply.error and "Did you mean `europol`?" in reply.text
    assert reply.text == handle("latest europolx", HERE, deps).text
    assert handle("export country:XX", HERE, deps).text == handle("latest country:XX", HERE, deps).text


def test_export_without_a_public_address_says_who_can_set_it(deps: Deps) -> None:
    reply = handle("export europol", HERE, deps)
    assert reply.error and reply.text == NO_ADDRESS and "COOP_PUBLIC_URL" in reply.text
