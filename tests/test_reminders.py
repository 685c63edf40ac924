"""A pause with no end is not forgotten: its channel is reminded once a week, with how many alerts wait."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.delivery import TransientError
from bot.models import HELD_UNTIL_RESUMED, Release, Subscription
from bot.reminders import PauseReminders
from bot.runtime import Runtime
from bot.store import Store
from bot.store.engine import migrate, open_engine
from bot.textutil import content_hash
from tests.fakeplatform import RecordingPlatform
from tests.test_store import _as_left_by

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
Notify = Callable[[str, str, str], Awaitable[None]]


def _release(n: int) -> Release:
    title, text = f"Operation {n}", "Europol supported the operation."
    return Release(id=f"rel{n}", source_id="t", publisher="europol", title=title, text=text,
                   content_hash=content_hash(title, text))


def _subscribe(runtime: Runtime, channel: str, until: datetime) -> int:
    sub, _ = runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, agencies=["europol"]))
    runtime.store.subscriptions.hold("fake", "", channel, [sub.id], until, START)
    runtime.ingestor.subscriptions_changed()
    return sub.id


async def test_a_pause_with_no_end_is_recalled_once_a_week_and_one_with_an_end_never(runtime: Runtime) -> None:
    _subscribe(runtime, "C1", HELD_UNTIL_RESUMED)
    _subscribe(runtime, "TIMED", START + timedelta(days=30))
    runtime.ingestor.ingest(_release(1)), runtime.ingestor.ingest(_release(2))
    now = [START + timedelta(days=6)]
    platform = RecordingPlatform()
    reminders = PauseReminders(runtime.store, {"fake": platform}, every_days=7, clock=lambda: now[0])
    for days in (6, 7.1, 8, 13, 14.1):
        now[0] = START + timedelta(days=days)
        await reminders.remind()
    assert [channel for channel, _ in platform.notices] == ["C1", "C1"]  # at a week and at two, not between
    first, second = (text for _, text in platform.notices)
    assert first == ("Alerts here are still paused, for 1 week now (since 02 Nov 2026): europol (subscription 1). "
                     "2 alerts wait: /coop resume sends them, /coop unsubscribe <id> ends a subscription.")
    assert second.startswith("Alerts here are still paused, for 2 weeks now (since 02 Nov 2026)")


async def test_a_resumed_channel_is_not_reminded_and_a_new_pause_counts_afresh(runtime: Runtime) -> None:
    sub_id = _subscribe(runtime, "C1", HELD_UNTIL_RESUMED)
    runtime.store.subscriptions.resume("fake", "", "C1", [sub_id])
    later = START + timedelta(days=10)
    runtime.store.subscriptions.hold("fake", "", "C1", [sub_id], HELD_UNTIL_RESUMED, later)
    platform = RecordingPlatform()
    now = [START + timedelta(days=15)]
    reminders = PauseReminders(runtime.store, {"fake": platform}, every_days=7, clock=lambda: now[0])
    await reminders.remind()
    assert platform.notices == []  # paused again five days ago
    now[0] = later + timedelta(days=7)
    await reminders.remind()
    assert len(platform.notices) == 1 and "No alert waits yet" in platform.notices[0][1]


async def test_a_reminder_that_could_not_be_posted_is_tried_again(runtime: Runtime) -> None:
    _subscribe(runtime, "C1", HELD_UNTIL_RESUMED)
    platform = RecordingPlatform()
    now = START + timedelta(days=8)
    off = PauseReminders(runtime.store, {"fake": platform}, every_days=0, clock=lambda: now)
    assert await off.remind() == 0 and platform.notices == []  # turned off: nothing, though one is due
    reminders = PauseReminders(runtime.store, {"fake": platform}, every_days=7, clock=lambda: now)
    platform.notify = _failing_once(platform.notify)  # type: ignore[method-assign,assignment]  # down a moment
    assert await reminders.remind() == 0
    assert await reminders.remind() == 1 and len(platform.notices) == 1


def _failing_once(notify: Notify) -> Notify:
    calls: list[str] = []

    async def flaky(workspace: str, channel: str, text: str) -> None:
        calls.append(channel)
        if len(calls) == 1:
            raise TransientError("HTTP 503")
        await notify(workspace, channel, text)
    return flaky


def test_a_pause_from_before_reminders_counts_from_the_upgrade(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine, "head")
    old = Store(engine)
    sub, _ = old.subscriptions.add(Subscription(platform="fake", channel="C1", agencies=["europol"]))
    old.subscriptions.hold("fake", "", "C1", [sub.id], HELD_UNTIL_RESUMED, START)
    with engine.begin() as conn:
        _as_left_by(conn, "0017")
    old.close()
    before = datetime.now(UTC)
    store = Store.open(db_url)
    [held] = store.subscriptions.for_channel("fake", "", "C1")
    assert held.held_since is not None and held.held_since >= before - timedelta(seconds=1)
    assert store.subscriptions.forgotten_pauses(before + timedelta(days=6), timedelta(days=7)) == []
    assert [s.id for s in store.subscriptions.forgotten_pauses(before + timedelta(days=8), timedelta(days=7))] == [1]
    store.close()
