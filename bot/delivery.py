"""The delivery worker: sends what the outbox holds, in order per channel, and marks it only once confirmed.

Crash safety: an attempt is recorded before the platform is called. A delivery found with attempts but not
marked sent may have landed before a crash, so the platform is asked first (Slack message metadata, Matrix
transaction ids) and the send is repeated only when it did not land.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.metrics import DELIVERIES
from bot.models import Delivery, Release, Schedule, Subscription, utcnow
from bot.store import Store
from bot.store.channels import Look
from bot.stories import stories_together

logger = logging.getLogger(__name__)
# Releases in one digest message: Slack shows 24 at most (50 blocks), so a bigger burst is several digests.
MAX_DIGEST = 20


class TransientError(Exception):
    """Try again later: rate limits, timeouts, 5xx. `retry_after` is what the platform asked for."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(Exception):
    """Never going to work: the channel is gone or the bot was removed from it."""


class AccountRefused(Exception):
    """A platform refused coop's credentials at start; the message says which variable to fix (exit status 2)."""


@dataclass(frozen=True)
class AlertStyle:
    """How an alert is shown in its channel: the channel's subscriptions it came through (named under it, so the
    channel can tell why it came, and whoever asked to be mentioned in their alerts is), and one line per release
    instead of a card (`format compact`)."""

    followed: Sequence[Subscription] = ()
    compact: bool = False
    waited: bool = False  # its releases waited for the end of a pause (or for `resume`)

    @property
    def named(self) -> Sequence[Subscription]:
        """The subscriptions the alert names under it: none in a compact alert, which is one line per release."""
        return () if self.compact else self.followed

    @property
    def mentions(self) -> list[str]:
        """The user IDs the alert mentions, each once: compact alerts too, as those people asked to be told."""
        return list(dict.fromkeys(user for sub in self.followed for user in sub.mentions))


CARD = AlertStyle()


@dataclass(frozen=True)
class ChannelView:
    """What the worker reads of a channel once a cycle, for all of its alerts then: the channel's choices about how
    they look, and its subscriptions (an alert names those it came through)."""

    look: Look
    subscriptions: dict[int, Subscription]

    def followed(self, ids: Iterable[int | None]) -> list[Subscription]:
        """The subscriptions with these IDs, each once, in order; one removed since is left out."""
        return [self.subscriptions[sub_id] for sub_id in dict.fromkeys(ids) if sub_id in self.subscriptions]


class Platform(Protocol):
    name: str
    prefix: str  # how commands are typed there ("/coop", "!coop"), for the hints coop posts

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        """Post a message; with `thread` (a sent message's reference), as a reply to that message."""
        ...

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        """Replace a sent message with `releases` (all it carried, at their latest revisions): `changed` is the
        release whose correction is the reason."""
        ...

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        """Whether this release was already posted here (in reply to `thread`, if given): the message's reference."""
        ...

    async def notify(self, workspace: str, channel: str, text: str) -> None: ...


@dataclass
class DeliverySettings:
    digest_after: int = 5
    per_channel_interval: float = 1.0
    max_attempts: int | None = None  # None: transient failures are given up only after give_up_after_hours
    retry_base: float = 5.0
    retry_max: float = 900.0
    give_up_after_hours: float = 24.0
    batch: int = 50


class DeliveryWorker:
    def __init__(self, store: Store, platforms: dict[str, Platform], settings: DeliverySettings,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock
        self.platforms = platforms
        self.settings = settings
        self._wake = asyncio.Event()
        self._last_post: dict[tuple[str, str, str], float] = {}

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, idle: float = 2.0) -> None:
        while True:
            try:
                sent = await self.run_once()
            except Exception:
                logger.exception("delivery cycle failed; retrying")
                sent = 0
            if not sent:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=idle)

    async def run_once(self) -> int:
        """Sends every delivery due now; returns how many were handled."""
        due = await asyncio.to_thread(self.store.outbox.due, self.clock(), self.settings.batch)
        by_channel: dict[tuple[str, str, str], list[Delivery]] = defaultdict(list)
        for delivery in due:
            by_channel[(delivery.platform, delivery.workspace, delivery.channel)].append(delivery)
        results = await asyncio.gather(*(self._send_channel(key, items) for key, items in by_channel.items()))
        return sum(results)

    async def _send_channel(self, key: tuple[str, str, str], items: list[Delivery]) -> int:
        platform = self.platforms.get(key[0])
        if platform is None:
            return 0
        here = await asyncio.to_thread(self._view, key)
        items = await self._settle_landed(platform, key, items, here)
        new = [d for d in items if d.revision == 1]
        updates = [d for d in items if d.revision > 1]
        # Alerts held for a daily or weekly hour are one message, as a burst is.
        if len(new) > self.settings.digest_after or len(new) > 1 and all(d.held for d in new):
            for start in range(0, len(new), MAX_DIGEST):
                await self._deliver(platform, key, new[start : start + MAX_DIGEST], here)
            new = []
        for delivery in [*new, *updates]:
            await self._deliver(platform, key, [delivery], here)
        return len(items)

    async def _deliver(self, platform: Platform, key: tuple[str, str, str], batch: list[Delivery],
                       here: ChannelView) -> None:
        _, workspace, channel = key
        releases = await asyncio.to_thread(self._releases, batch)
        if not releases:
            return
        ids = [d.id for d in batch]
        await self._pace(key)
        try:
            ref = await self._send(platform, key, batch, releases, here)
        except TransientError as error:
            DELIVERIES.labels(platform.name, "retry").inc(len(batch))
            await asyncio.to_thread(self._retry, batch, str(error), error.retry_after)
            return
        except PermanentError as error:
            DELIVERIES.labels(platform.name, "permanent_failure").inc(len(batch))
            await asyncio.to_thread(self._give_up_channel, key, str(error))
            await self._tell_subscriber(platform, workspace, channel, str(error))
            return
        except Exception as error:
            logger.exception("sending to %s failed", key)
            await asyncio.to_thread(self._retry, batch, f"unexpected: {error}", None)
            return
        await asyncio.to_thread(self.store.outbox.mark_sent, ids, ref)
        DELIVERIES.labels(platform.name, "sent").inc(len(batch))

    async def _send(self, platform: Platform, key: tuple[str, str, str], batch: list[Delivery],
                    releases: list[Release], here: ChannelView) -> str:
        _, workspace, channel = key
        followed = here.followed(d.subscription_id for d in batch)
        # An instant subscription's alert is held only by a pause; a daily or weekly one's says its hour already
        waited = all(d.held for d in batch) and all(sub.schedule is Schedule.INSTANT for sub in followed)
        style = AlertStyle(followed, here.look.compact, waited)
        if len(batch) == 1:
            delivery, release = batch[0], releases[0]
            await asyncio.to_thread(self.store.outbox.mark_attempt, [delivery.id])
            if delivery.revision > 1:
                previous = await asyncio.to_thread(
                    self.store.outbox.sent_ref, release.id, platform.name, workspace, channel
                )
                if previous:
                    carried, sub_ids = await asyncio.to_thread(self._carried, platform.name, workspace, channel,
                                                               previous)
                    return await platform.edit_alert(workspace, channel, previous, carried or [release], release,
                                                     replace(style, followed=here.followed(sub_ids)))
            thread = await asyncio.to_thread(self._story_thread, key, delivery, release, here.look.threads)
            return await platform.post_alert(workspace, channel, [release], thread, style)
        await asyncio.to_thread(self.store.outbox.mark_attempt, [d.id for d in batch])
        return await platform.post_alert(workspace, channel, stories_together(releases), style=style)

    async def _settle_landed(self, platform: Platform, key: tuple[str, str, str], items: list[Delivery],
                             here: ChannelView) -> list[Delivery]:
        """After a crash: an attempted delivery that did land (alone or in a digest) is marked sent, not resent."""
        _, workspace, channel = key
        remaining = []
        for delivery in items:
            release = None
            if delivery.attempts:
                release = await asyncio.to_thread(self.store.releases.get, delivery.release_id)
            if release is None:
                remaining.append(delivery)
                continue
            thread = await asyncio.to_thread(self._story_thread, key, delivery, release, here.look.threads)
            try:
                landed = await platform.find_sent(workspace, channel, release, thread)
            except TransientError as error:  # cannot tell now: resending could post twice, so wait
                await asyncio.to_thread(self._retry, [delivery], str(error), error.retry_after)
                continue
            if landed:
                await asyncio.to_thread(self.store.outbox.mark_sent, [delivery.id], landed)
            else:
                remaining.append(delivery)
        return remaining

    def _story_thread(self, key: tuple[str, str, str], delivery: Delivery, release: Release,
                      threads: bool) -> str | None:
        """The message an instant alert replies to: the channel's first about the same story, so a second
        newsroom's release on an operation the channel already heard of does not fill the channel again. An alert
        held for a daily or weekly hour stands alone, where it is read, and so does every alert of a channel that
        turned threads off."""
        if delivery.held or release.story is None or not threads:
            return None
        return self.store.outbox.story_message(release.story, release.id, *key)

    def _view(self, key: tuple[str, str, str]) -> ChannelView:
        subs = self.store.subscriptions.for_channel(*key)
        return ChannelView(self.store.channels.look(*key), {sub.id: sub for sub in subs})

    def _carried(self, platform: str, workspace: str, channel: str,
                 message_ref: str) -> tuple[list[Release], list[int | None]]:
        """Every release a sent message carried, at its latest revision, and the subscriptions they came through:
        editing a digest for one correction must not drop the others from it."""
        ids, sub_ids = self.store.outbox.contents_of_message(platform, workspace, channel, message_ref)
        found = [self.store.releases.get(release_id) for release_id in ids]
        return stories_together([r for r in found if r is not None]), sub_ids

    def _releases(self, batch: list[Delivery]) -> list[Release]:
        found = [self.store.releases.get(d.release_id) for d in batch]
        return [r for r in found if r is not None]

    def _retry(self, batch: list[Delivery], error: str, retry_after: float | None) -> None:
        """Try again later, with waits that double up to `retry_max`, for as long as `give_up_after_hours` from the
        first failure: a platform down for hours loses no alert, and one that never recovers is given up."""
        now, limit = self.clock(), self.settings.max_attempts
        for delivery in batch:
            tries = delivery.attempts + 1
            failing = now - (delivery.failing_since or now)
            if failing >= timedelta(hours=self.settings.give_up_after_hours) or (limit is not None and tries >= limit):
                DELIVERIES.labels(delivery.platform, "given_up").inc()
                logger.warning("gave up delivery %s to %s after %d tries: %s", delivery.id, delivery.channel, tries,
                               error)
                self.store.outbox.mark_given_up([delivery.id], f"gave up after {tries} tries: {error}")
                continue
            backoff = min(self.settings.retry_base * 2 ** min(delivery.attempts, 30), self.settings.retry_max)
            wait = max(backoff, retry_after or 0.0)
            self.store.outbox.mark_retry([delivery.id], error, now + timedelta(seconds=wait), now)

    def _give_up_channel(self, key: tuple[str, str, str], error: str) -> None:
        platform, workspace, channel = key
        self.store.outbox.fail_channel(platform, workspace, channel, error)
        self.store.subscriptions.pause_channel(platform, workspace, channel, error)
        logger.warning("paused subscriptions of %s/%s/%s: %s", platform, workspace, channel, error)

    async def _tell_subscriber(self, platform: Platform, workspace: str, channel: str, error: str) -> None:
        try:
            await platform.notify(workspace, channel, f"coop paused this channel's alerts: {error}")
        except Exception:
            logger.info("could not tell %s about the pause (expected when the channel is gone)", channel)

    async def _pace(self, key: tuple[str, str, str]) -> None:
        loop = asyncio.get_running_loop()
        wait = self._last_post.get(key, 0.0) + self.settings.per_channel_interval - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_post[key] = loop.time()
