"""A real HTTP server on loopback serving feed files and pages, changeable while tests run.

It runs its own event loop in a thread, so it serves both in-process tests and `coop` subprocesses.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.loopback import LoopbackServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False


class FeedServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.downloads: dict[str, int] = {}  # requests answered with a body, not a 304

    def set(self, path: str, body: bytes | str = b"", **options: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            await asyncio.sleep(route.delay)
        etag = '"' + hashlib.sha1(route.body).hexdigest() + '"'
        if route.status == 200 and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag, **route.headers}
        self.downloads[request.path] = self.downloads.get(request.path, 0) + 1
        body = route.body
        if route.gzip:
            body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
        return web.Response(status=route.status, body=body, headers=headers, content_type=route.content_type)

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        return app


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def rss(*items: tuple[str, ...], guid_prefix: str = "", pub_date: str | None = None) -> str:
    """An RSS 2.0 document; each item is (guid, title, description[, pubDate])."""
    body = []
    for guid, title, description, *own_date in items:
        when = own_date[0] if own_date else pub_date
        date = f"<pubDate>{when}</pubDate>" if when else ""
        body.append(
            f"<item><title>{title}</title><link>https://news.example.org/{guid}</link>"
            f"<guid>{guid_prefix}{guid}</guid><description>{description}</description>{date}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test newsroom</title>'
        + "".join(body)
        + "</channel></rss>"
    )


def atom(*items: tuple[str, str, str], updated: str = "2024-05-01T10:00:00Z") -> str:
    entries = "".join(
        f"<entry><id>{guid}</id><title>{title}</title><link href='https://news.example.org/{guid}'/>"
        f"<updated>{updated}</updated><summary>{summary}</summary></entry>"
        for guid, title, summary in items
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'
