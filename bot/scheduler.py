"""Polling on a schedule with APScheduler 3: one job per source, jittered, coalesced, never overlapping."""

from __future__ import annotations

import asyncio
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.models import Source, utcnow
from bot.watcher import Watcher

logger = logging.getLogger(__name__)
SHUTDOWN_GRACE = 5.0  # seconds; under the 10 s a container gets between SIGTERM and SIGKILL


class PollScheduler:
    def __init__(self, watcher: Watcher, jitter: float) -> None:
        self.watcher = watcher
        self.jitter = jitter
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._polling: set[asyncio.Task[object]] = set()

    def start(self, sources: list[Source]) -> None:
        for source in sources:
            self.add(source)
        self.scheduler.start()

    def add(self, source: Source) -> None:
        self.scheduler.add_job(
            self._poll,
            "interval",
            args=[source],
            id=f"poll:{source.id}",
            seconds=source.interval,
            jitter=self.jitter,
            coalesce=True,  # a backlog of missed runs is one run, not a burst
            max_instances=1,  # a slow source is never polled twice at once
            misfire_grace_time=source.interval,
            next_run_time=utcnow(),
            replace_existing=True,
        )

    def remove(self, source_id: str) -> None:
        job = self.scheduler.get_job(f"poll:{source_id}")
        if job is not None:
            job.remove()

    async def _poll(self, source: Source) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._polling.add(task)
        try:
            report = await self.watcher.poll(source)
        except asyncio.CancelledError:  # coop is stopping: the job ends here, not in APScheduler's error log
            logger.debug("poll of %s stopped: coop is stopping", source.id)
            return
        finally:
            self._polling.discard(task)
        # The watcher has already warned of an error; an unchanged feed every few minutes is not news either, and
        # on the console each line would land between the user's commands and their answers.
        quiet = report.error or report.skipped or report.unchanged
        logger.log(logging.DEBUG if quiet else logging.INFO, "poll %s", report.line())

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """No new polls; the polls under way get `grace` seconds to finish what they store, then are stopped."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        if self._polling:
            await asyncio.wait(set(self._polling), timeout=grace)
        late = set(self._polling)
        self.scheduler.shutdown(wait=False)  # cancels the polls still under way; each ends quietly in _poll
        await asyncio.gather(*late, return_exceptions=True)
