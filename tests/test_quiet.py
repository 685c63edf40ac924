"""A source that answers every poll but has stopped bringing news: its silence, against its own pace, is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import update

from bot.activity import SourceActivity
from bot.commands_cli import make_deps
from bot.config import WatcherDefaults
from bot.runtime import Runtime
from bot.store.schema import releases
from handlers.dispatch import handle
from tests.conftest import CHANNEL
from tests.feedserver import FeedServer, rss
from tests.watching import source_at, watcher_for

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _every(days: float, count: int = 6, silent: float = 0) -> SourceActivity:
    newest = NOW - timedelta(days=silent)
    return SourceActivity(last_new=newest, newest=newest, oldest=newest - timedelta(days=days * (count - 1)),
                          dated=count)


@pytest.mark.parametrize(("activity", "quiet_days"), [
    (_every(2, silent=15), 15),  # every 2 days: 14 days (the minimum) is already far longer
    (_every(2, silent=13), None),  # under the minimum
    (_every(10, silent=30), None),  # a slow newsroom: four of its gaps are 40 days
    (_every(10, silent=41), 41),
    (_every(2, count=3, silent=60), None),  # three dated releases tell no pace
    (SourceActivity(last_new=NOW - timedelta(days=60)), None),  # nor do undated ones
])
def test_a_source_is_quiet_only_for_far_longer_than_its_own_pace(activity: SourceActivity,
                                                                 quiet_days: int | None) -> None:
    quiet = activity.quiet_for(NOW, WatcherDefaults(quiet_min_days=14, quiet_gaps=4))
    assert (quiet.days if quiet else None) == quiet_days
    assert activity.quiet_for(NOW, WatcherDefaults(quiet_min_days=0)) is None  # 0: never


def _feed(days_ago: list[float], now: datetime) -> str:
    items = [(f"q{ago}", f"Release {ago}", "Europol supported arrests.", format_datetime(now - timedelta(days=ago)))
             for ago in days_ago]
    return rss(*items)


def _coop_saw_everything_days_ago(runtime: Runtime, days: float) -> None:
    with runtime.store.engine.begin() as conn:
        conn.execute(update(releases).values(first_seen=datetime.now(UTC) - timedelta(days=days)))


async def test_a_feed_that_stopped_bringing_news_is_told_to_the_admin_once(runtime: Runtime,
                                                                          server: FeedServer) -> None:
    now = datetime.now(UTC)
    server.set("/feed", _feed([21, 23, 25, 27, 29, 31], now))  # every two days, until three weeks ago
    notices: list[str] = []
    watcher, source = watcher_for(runtime, notices), source_at(server, "frozen", "/feed")
    await watcher.poll(source)
    _coop_saw_everything_days_ago(runtime, 20)  # and nothing new since, though the feed answers
    assert (await watcher.poll(source, force=True)).unchanged
    assert notices == [f"Source frozen: nothing new for 20 days, though it usually publishes every 2 days. Its feed "
                       f"may have moved or stopped: {source.url}"]
    await watcher.poll(source, force=True)
    await watcher.close()
    restarted = watcher_for(runtime, notices)
    await restarted.poll(source, force=True)
    assert len(notices) == 1  # once, not at every poll or start
    deps = make_deps(runtime)
    deps.sources = [source]
    health = handle("sources", CHANNEL, deps).lines
    assert health[0].startswith("  frozen: quiet: nothing new for 20 days, though it usually publishes every 2 days")
    server.set("/feed", _feed([0, 21, 23, 25, 27, 29, 31], now))
    await restarted.poll(source, force=True)
    assert notices[1:] == ["Source frozen brings new releases again."]
    _coop_saw_everything_days_ago(runtime, 25)  # each silence is told once, against the pace known then
    await restarted.poll(source, force=True)
    assert notices[2].startswith("Source frozen: nothing new for 25 days, though it usually publishes every 5 days")
    await restarted.close()


async def test_a_slow_newsroom_silent_for_three_weeks_is_at_its_own_pace(runtime: Runtime,
                                                                         server: FeedServer) -> None:
    now = datetime.now(UTC)
    server.set("/feed", _feed([21, 31, 41, 51, 61, 71], now))  # every ten days, the last three weeks ago
    notices: list[str] = []
    watcher, source = watcher_for(runtime, notices), source_at(server, "slow", "/feed")
    await watcher.poll(source)
    _coop_saw_everything_days_ago(runtime, 21)  # past the 14 days, but not four of its gaps (40 days)
    await watcher.poll(source, force=True)
    await watcher.close()
    assert notices == []
    deps = make_deps(runtime)
    deps.sources = [source]
    [line] = handle("sources", CHANNEL, deps).lines
    assert "quiet" not in line
    assert f"newest release {now - timedelta(days=21):%Y-%m-%d}; about 0.7 a week" in line
