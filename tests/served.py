"""coop's own web routes (feeds, exports) served on loopback for a test, and fetched as a client fetches them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from bot.http_server import Handler, start_http


@asynccontextmanager
async def serving(path: str, handler: Handler) -> AsyncIterator[str]:
    """coop's HTTP server with this one route, on a free port; yields the route's address."""
    runner, port = await start_http("127.0.0.1", 0, {path: handler})
    try:
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        await runner.cleanup()


async def fetch(url: str, query: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET url?q=query: the status, the headers (names in lower case) and the body."""
    async with aiohttp.ClientSession() as session, session.get(url, params={"q": query}, headers=headers) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, await response.read()
