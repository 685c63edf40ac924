"""Reminders of forgotten pauses: a channel whose alerts have waited for `resume` for a week is told so, once a
week, with how many alerts wait. A pause with an end needs none: its alerts come when it ends."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.delivery import PermanentError, Platform, TransientError
from bot.models import Subscription, utcnow
from bot.store import Store

logger = logging.getLogger(__name__)
CHECK_EVERY = 3600.0  # seconds: a reminder is due at most an hour late


class PauseReminders:
    def __init__(self, store: Store, platforms: dict[str, Platform], every_days: float,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.platforms = platforms
        self.every = timedelta(days=every_days)
        self.clock = clock

    async def run_forever(self, interval: float = CHECK_EVERY) -> None:
        while self.every:
            try:
                await self.remind()
            except Exception:
                logger.exception("pause reminders failed; trying again in an hour")
            await asyncio.sleep(interval)

    async def remind(self) -> int:
        """Tells each channel with a pause older than a week (and not told for a week) that its alerts wait."""
        if not self.every:
            return 0
        now = self.clock()
        subs = await asyncio.to_thread(self.store.subscriptions.forgotten_pauses, now, self.every)
        by_channel: dict[tuple[str, str, str], list[Subscription]] = defaultdict(list)
        for sub in subs:
            by_channel[(sub.platform, sub.workspace, sub.channel)].append(sub)
        told = 0
        for key, paused in by_channel.items():
            platform = self.platforms.get(key[0])
            if platform is not None and await self._tell(platform, key, paused, now):
                told += 1
        return told

    async def _tell(self, platform: Platform, key: tuple[str, str, str], paused: list[Subscription],
                    now: datetime) -> bool:
        waiting, _ = await asyncio.to_thread(self.store.outbox.waiting, *key)
        try:
            await platform.notify(key[1], key[2], reminder_text(paused, waiting, now, platform.prefix))
        except TransientError:
            return False  # the next hour
        except PermanentError as error:  # the channel is gone; delivery pauses it at the next alert
            logger.info("no pause reminder for %s: %s", key, error)
        await asyncio.to_thread(self.store.subscriptions.reminded, [sub.id for sub in paused], now)
        return True


def reminder_text(paused: list[Subscription], waiting: int, now: datetime, prefix: str) -> str:
    since = min(sub.held_since or now for sub in paused)
    weeks = max(1, (now - since) // timedelta(weeks=1))
    which = ", ".join(sub.named() for sub in paused)
    alerts = f"{waiting} alert{'s' if waiting != 1 else ''} wait" if waiting else "No alert waits yet"
    return (f"Alerts here are still paused, for {weeks} week{'s' if weeks > 1 else ''} now (since {since:%d %b %Y}): "
            f"{which}. {alerts}: {prefix} resume sends them, {prefix} unsubscribe <id> ends a subscription.")
