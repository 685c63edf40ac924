"""A poll cycle over many loopback feeds, most unchanged, against raw fetches of the same URLs."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp

from bot.models import Source
from bot.runtime import Runtime
from bot.settings import Settings
from bot.watcher import Watcher
from tests.feedserver import feed_server, rss


def run(folder: Path, feeds: int) -> dict[str, float]:
    sources_file = folder / "sources.toml"
    sources_file.write_text("sources = []\n", encoding="utf-8")
    runtime = Runtime.build(Settings(COOP_DATABASE_URL=f"sqlite:///{folder / 'poll.sqlite3'}",
                                     COOP_SOURCES=sources_file))
    with feed_server() as server:
        for n in range(feeds):
            server.set(f"/f{n}", rss((f"{n}-a", f"Release {n}", "Europol supported arrests in Spain.")))
        sources = [Source(id=f"f{n}", publisher="europol", url=server.url(f"/f{n}")) for n in range(feeds)]
        figures = asyncio.run(_measure(runtime, server, sources))
    runtime.close()
    return figures


async def _measure(runtime: Runtime, server: object, sources: list[Source]) -> dict[str, float]:
    watcher = Watcher(runtime)
    limit = asyncio.Semaphore(runtime.defaults.fetch.concurrency)

    async def poll(source: Source) -> None:
        async with limit:
            await watcher.poll(source, force=True)

    await asyncio.gather(*(poll(s) for s in sources))  # first sync
    changed = sources[: len(sources) // 10]
    for n in range(len(changed)):
        server.set(f"/f{n}", rss((f"{n}-b", f"New {n}", "Eurojust coordinated a JIT."),  # type: ignore[attr-defined]
                                 (f"{n}-a", f"Release {n}", "Europol supported arrests in Spain.")))
    started = time.perf_counter()
    await asyncio.gather(*(poll(s) for s in sources))
    cycle = time.perf_counter() - started
    unchanged = sources[len(changed):]
    started = time.perf_counter()
    await asyncio.gather(*(poll(s) for s in unchanged))
    per_unchanged = (time.perf_counter() - started) / len(unchanged)
    await watcher.close()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:
        async def raw(source: Source) -> None:
            async with limit, session.get(source.url) as response:
                await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(raw(s) for s in unchanged))
        per_raw = (time.perf_counter() - started) / len(unchanged)
    return {
        f"poll_cycle_s_{len(sources)}": round(cycle, 2),
        "unchanged_feed_ms": round(per_unchanged * 1000, 3),
        "raw_fetch_ms": round(per_raw * 1000, 3),
        "unchanged_feed_cost_ratio": round(per_unchanged / per_raw, 2),
    }
