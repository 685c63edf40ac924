"""Web feeds: `GET /feed?q=<terms>` answers an Atom feed of the releases `latest <terms>` lists, with their tags as
categories, so that a feed reader, or a tool coop does not post to, can follow what coop tags."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from functools import partial

from aiohttp import web
from feedgen.feed import FeedGenerator

from bot import __version__
from bot.http_server import Handler, cached_response
from bot.models import utcnow
from handlers.context import Deps
from handlers.feed import feed_reply
from handlers.replies import Card, Reply

# XML 1.0 cannot carry these at all (lxml refuses them), and feed text is untrusted: they are dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CATEGORY_SCHEME = "urn:coop:"  # + agency, area, country, kind or language: the categories say which tag each is


def feed_route(deps: Deps) -> Handler:
    """The aiohttp handler of /feed: 200 with the feed, 304 when the reader has it already, 400 with what to write
    when a term names nothing."""

    async def serve(request: web.Request) -> web.StreamResponse:
        reply = await asyncio.to_thread(feed_reply, request.query.get("q", ""), deps)
        if reply.error:
            return web.Response(status=400, text=reply.text + "\n")
        # Behind a proxy the request's own address is the proxy's way in, not the one readers subscribed to.
        self_url = f"{deps.web_address}{request.raw_path}" if deps.web_address else str(request.url)
        identity = f"coop {__version__}\n{self_url}\n{reply.model_dump_json()}"
        return await cached_response(request, identity, partial(atom, reply, self_url), "application/atom+xml")

    return serve


def atom(reply: Reply, self_url: str) -> bytes:
    """The reply's cards as an Atom feed, newest first; the feed is as new as its newest release, so that the same
    releases give the same bytes (and ETag) on every request."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(_xml(reply.text))
    feed.link(href=self_url, rel="self")
    feed.generator("coop")
    feed.updated(max((card.date for card in reply.cards), default=None) or utcnow())
    for card in reply.cards:
        _add_entry(feed, card)
    result: bytes = feed.atom_str(pretty=True)
    return result


def _add_entry(feed: FeedGenerator, card: Card) -> None:
    entry = feed.add_entry(order="append")
    entry.id(f"urn:coop:release:{card.release_id}")
    entry.title(_xml(card.title))
    if card.url:
        entry.link(href=_xml(card.url))
    entry.published(_aware(card.date))
    entry.updated(_aware(card.date))
    entry.author(name=_xml(card.publisher))
    # content, not a summary: Atom needs one of content and a link, and seeds and chat-added pages may have no link
    entry.content(_xml("\n\n".join(part for part in (card.summary, card.facts) if part)), type="text")
    for agency, name in zip(card.agency_ids, card.agencies, strict=True):
        entry.category(term=agency, label=_xml(name), scheme=CATEGORY_SCHEME + "agency")
    for scheme, terms in (("kind", card.kinds), ("area", card.areas), ("country", card.countries),
                          ("language", [card.language])):
        for term in terms:
            entry.category(term=term, scheme=CATEGORY_SCHEME + scheme)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
