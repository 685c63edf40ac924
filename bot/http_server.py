"""The HTTP server of `coop run`: /healthz, /metrics, and whatever routes a platform adds (Slack's events)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.metrics import CONTENT_TYPE, Health, exposition, health_registry

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _metrics(health: Callable[[], Health] | None) -> Handler:
    registry = health_registry(health) if health is not None else None

    async def metrics(request: web.Request) -> web.Response:
        response = web.Response(body=await asyncio.to_thread(exposition, registry))
        response.content_type = CONTENT_TYPE
        return response

    return metrics


async def cached_response(request: web.Request, identity: str, build: Callable[[], bytes], content_type: str,
                          headers: dict[str, str] | None = None) -> web.Response:
    """200 with the body `build` makes, or 304 when the client has that body already (If-None-Match). The ETag is
    made from `identity`, all that the body is made of, so that a client with the body costs no building; the body
    is built in a thread, off the event loop. The ETag is weak: the same identity may give other bytes (an empty
    feed's date is the time of the request), never another content."""
    etag = f'W/"{hashlib.sha256(identity.encode()).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers={"ETag": etag})
    body = await asyncio.to_thread(build)
    response = web.Response(body=body, headers={"ETag": etag, "Cache-Control": "max-age=300", **(headers or {})})
    response.content_type, response.charset = content_type, "utf-8"
    return response


async def start_http(host: str, port: int, routes: dict[str, Handler],
                     health: Callable[[], Health] | None = None) -> tuple[web.AppRunner, int]:
    """Starts serving; returns the runner (to stop it) and the port really bound (port 0 picks a free one).
    `health` is read at each scrape of /metrics, in a thread."""
    app = web.Application(client_max_size=1_000_000)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/metrics", _metrics(health))
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)  # POST for events, GET for the Slack install pages
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sockets = getattr(site._server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    return runner, int(bound)
