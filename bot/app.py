"""`coop run`: the watcher, the delivery worker and every configured platform in one asyncio process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.chat_sources import ChatSources, saved_chat_sources
from bot.delivery import AccountRefused, DeliverySettings, DeliveryWorker, Platform
from bot.health import read_health
from bot.http_server import Handler, start_http
from bot.platforms.console import ConsolePlatform, read_commands
from bot.platforms.export import export_route
from bot.platforms.feed import feed_route
from bot.reminders import PauseReminders
from bot.runtime import Runtime
from bot.scheduler import PollScheduler
from bot.watcher import Watcher
from handlers.context import Deps
from handlers.dispatch import handle
from handlers.parser import strip_prefix

if TYPE_CHECKING:
    from bot.platforms.matrix.app import MatrixRunning

logger = logging.getLogger(__name__)


def delivery_settings(runtime: Runtime) -> DeliverySettings:
    # digest_hour is the ingestor's, pause_reminder_days the reminders'
    return DeliverySettings(**runtime.defaults.delivery.model_dump(exclude={"digest_hour", "pause_reminder_days"}))


@dataclass
class App:
    """Everything `coop run` holds while it runs."""

    runtime: Runtime
    platforms: dict[str, Platform] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.worker = DeliveryWorker(self.runtime.store, self.platforms, delivery_settings(self.runtime))
        self.watcher = Watcher(self.runtime, notify_admin=self.notify_admin, on_queued=self.worker.wake)
        self.scheduler = PollScheduler(self.watcher, self.runtime.defaults.watcher.jitter)
        self.reminders = PauseReminders(self.runtime.store, self.platforms,
                                        self.runtime.defaults.delivery.pause_reminder_days)

    async def notify_admin(self, text: str) -> None:
        target = self.runtime.defaults.watcher.admin_channel
        platform_name, _, rest = target.partition(":")
        workspace, _, channel = rest.partition(":")
        platform = self.platforms.get(platform_name)
        if platform is None or not channel:
            logger.warning("admin notice (no admin_channel configured): %s", text)
            return
        try:
            await platform.notify(workspace, channel, text)
        except Exception:
            logger.exception("could not post the admin notice: %s", text)

    def deps(self) -> Deps:
        from bot.commands_cli import make_deps

        deps = make_deps(self.runtime)
        deps.source_admin = ChatSources(self.runtime.store, self.runtime.sources, self.scheduler,
                                        asyncio.get_running_loop())
        return deps

    async def start(self) -> list[asyncio.Task[None]]:
        retagged = await asyncio.to_thread(self.runtime.ingestor.reclassify_if_changed)
        if retagged:
            logger.info("%d stored releases tagged again", retagged)
        if self.runtime.store.releases.count() == 0:
            counts = await asyncio.to_thread(self.runtime.seed)
            logger.info("empty store: imported %d seed releases", counts["new"])
        self.runtime.sources.extend(saved_chat_sources(self.runtime.store))
        self.scheduler.start(self.runtime.sources)
        return [asyncio.create_task(self.worker.run_forever()), asyncio.create_task(self.reminders.run_forever())]

    async def stop(self, tasks: list[asyncio.Task[None]]) -> None:
        await self.scheduler.shutdown()  # before the watcher's HTTP session closes under the polls
        await self.worker.run_once()  # finish what is due rather than leave it for the next start
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.watcher.close()


async def run_app(runtime: Runtime) -> int:
    app = App(runtime)
    deps = app.deps()
    deps.web_address = runtime.settings.public_url
    routes: dict[str, Handler] = {"/feed": feed_route(deps), "/export.csv": export_route(deps)}
    try:
        matrix = await _start_chat_platforms(app, deps, routes)
    except AccountRefused as error:
        print(f"coop: {error}", file=sys.stderr)
        return 2
    console = None if app.platforms else ConsolePlatform()
    if console is not None:
        app.platforms[console.name] = console
    health = partial(read_health, runtime.store, lambda: runtime.sources, runtime.defaults.watcher)
    runner, port = await start_http(runtime.settings.http_host, runtime.settings.http_port, routes, health)
    tasks = await app.start()
    address = f"http://{runtime.settings.http_host}:{port}"
    if console is not None and deps.web_address is None:  # the console's user is on this machine
        deps.web_address = address
    print(f"coop is running: {runtime.store.releases.count()} releases, {len(runtime.sources)} sources, "
          f"platforms: {', '.join(app.platforms)}, {address}/healthz, feeds at {address}/feed?q=<terms>, "
          f"spreadsheets at {address}/export.csv?q=<terms>"
          + (". Type /coop help." if console else ""), flush=True)
    await _until_stopped(app, deps, console)
    if matrix is not None:
        await matrix.stop()
    await app.stop(tasks)
    await runner.cleanup()
    return 0


async def _start_chat_platforms(app: App, deps: Deps, routes: dict[str, Handler]) -> MatrixRunning | None:
    """Slack and Matrix where their credentials are set; each checks its account first and raises if refused."""
    # Imported only when configured: each SDK costs a few hundred milliseconds of start-up
    settings = app.runtime.settings
    if settings.slack_enabled:
        from bot.platforms.slack.app import start_slack

        await start_slack(settings, deps, app.platforms, routes)
    if not settings.matrix_enabled:
        return None
    from bot.platforms.matrix.app import start_matrix

    return await start_matrix(settings, deps, app.runtime.store.kv, app.runtime.defaults.matrix, app.platforms,
                              app.worker.wake)


async def _until_stopped(app: App, deps: Deps, console: ConsolePlatform | None) -> None:
    """Until SIGINT/SIGTERM, or the end of the console's input."""
    stop = asyncio.Event()
    _on_signals(stop)
    waiters: list[asyncio.Task[Any]] = [asyncio.create_task(stop.wait())]
    if console is not None:
        waiters.append(asyncio.create_task(read_commands(_console_answer(app, deps), sys.stdout)))
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()


def _console_answer(app: App, deps: Deps) -> Callable[[str], Awaitable[str]]:
    from bot.commands_cli import CONSOLE

    async def answer(line: str) -> str:
        text = strip_prefix(line)
        if text is None:
            return "Commands start with /coop or !coop, for example: /coop search cybercrime"
        reply = await asyncio.to_thread(handle, text, CONSOLE, deps)
        app.worker.wake()
        return reply.plain(CONSOLE.prefix)

    return answer


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


async def poll_once(runtime: Runtime, source_id: str | None) -> int:
    # What is stored is tagged by one classifier: the old releases are tagged again first when it changed, and a
    # new store notes it, so that `coop run` does not tag what this poll stores a second time.
    await asyncio.to_thread(runtime.ingestor.reclassify_if_changed)
    return await Watcher(runtime).poll_cli(source_id)
