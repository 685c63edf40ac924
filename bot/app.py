"""`coop run`: the watcher, the delivery worker and every configured platform in one asyncio process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from bot.delivery import DeliverySettings, DeliveryWorker, Platform
from bot.platforms.console import ConsolePlatform, read_commands
from bot.runtime import Runtime
from handlers.dispatch import handle
from handlers.parser import strip_prefix

logger = logging.getLogger(__name__)


def delivery_settings(runtime: Runtime) -> DeliverySettings:
    return DeliverySettings(**runtime.defaults.delivery.model_dump())


async def run_app(runtime: Runtime) -> int:
    from bot.commands_cli import CONSOLE, make_deps

    if runtime.store.releases.count() == 0:
        counts = await asyncio.to_thread(runtime.seed)
        logger.info("empty store: imported %d seed releases", counts["new"])
    deps = make_deps(runtime)
    console = ConsolePlatform()
    platforms: dict[str, Platform] = {console.name: console}
    worker = DeliveryWorker(runtime.store, platforms, delivery_settings(runtime))
    stop = asyncio.Event()
    _on_signals(stop)

    async def answer(line: str) -> str:
        text = strip_prefix(line)
        if text is None:
            return "Commands start with /coop or !coop, for example: /coop search cybercrime"
        reply = await asyncio.to_thread(handle, text, CONSOLE, deps)
        worker.wake()
        return reply.plain()

    tasks = [asyncio.create_task(worker.run_forever())]
    print(f"coop is running: {runtime.store.releases.count()} releases, {len(runtime.sources)} sources. "
          "Type /coop help.", flush=True)
    reader = asyncio.create_task(read_commands(answer, sys.stdout))
    await asyncio.wait([reader, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
    await worker.run_once()
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return 0


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


async def poll_once(runtime: Runtime, source_id: str | None) -> int:
    print("coop poll: the watcher is not built yet", file=sys.stderr)
    return 1
