"""After an outage longer than alerts are retried: the operator sees what was given up and queues it again."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.delivery import DeliverySettings, DeliveryWorker, TransientError
from bot.models import Delivery, Release, Subscription, utcnow
from bot.runtime import Runtime
from bot.store import Store
from bot.store.engine import migrate, open_engine
from bot.textutil import content_hash
from tests.conftest import run_coop
from tests.fakeplatform import RecordingPlatform
from tests.test_store import _as_left_by

# Two tries and the alert is given up, as a day of failures would have it.
GIVE_UP_SOON = DeliverySettings(per_channel_interval=0, max_attempts=2, retry_base=0)


def _release(text: str = "Europol supported the operation.") -> Release:
    return Release(id="rel1", source_id="t", publisher="europol", title="Operation Alpha", text=text,
                   content_hash=content_hash("Operation Alpha", text))


def _subscribe(runtime: Runtime, *channels: str) -> dict[str, int]:
    ids = {}
    for channel in channels:
        sub, _ = runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, agencies=["europol"]))
        ids[channel] = sub.id
    runtime.ingestor.subscriptions_changed()
    return ids


async def _give_up(runtime: Runtime, platform: RecordingPlatform, release: Release) -> DeliveryWorker:
    worker = DeliveryWorker(runtime.store, {"fake": platform}, GIVE_UP_SOON)
    platform.fail_next = [TransientError("HTTP 503") for _ in range(20)]
    runtime.ingestor.ingest(release)
    for _ in range(3):
        await worker.run_once()
    platform.fail_next = []
    return worker


async def test_given_up_alerts_are_queued_again_where_their_subscription_still_is(runtime: Runtime) -> None:
    ids = _subscribe(runtime, "C1", "LEFT", "PAUSED")
    platform = RecordingPlatform()
    worker = await _give_up(runtime, platform, _release())
    assert runtime.store.outbox.by_status() == {"given_up": 3}
    runtime.store.subscriptions.remove("fake", "", "LEFT", ids["LEFT"])
    until = utcnow() + timedelta(days=2)
    runtime.store.subscriptions.hold("fake", "", "PAUSED", [ids["PAUSED"]], until, utcnow())
    done = runtime.ingestor.requeue_given_up()
    assert (done.queued, done.stayed) == ({("fake", "", "C1"): 1, ("fake", "", "PAUSED"): 1}, 1)
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]  # the paused channel gets it when its pause ends
    waiting = runtime.store.outbox.held("fake", "", "PAUSED")
    assert [d.next_attempt_at for d in waiting] == [until]
    assert runtime.store.outbox.by_status() == {"sent": 1, "pending": 1, "given_up": 1}


async def test_an_alert_given_up_after_it_landed_is_not_sent_twice(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(remembers=True)
    worker = await _give_up(runtime, platform, _release())
    platform.posts.append(("C1", ["rel1"]))  # a timeout that had in fact posted it
    runtime.ingestor.requeue_given_up("C1")
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]
    assert runtime.store.outbox.by_status() == {"sent": 1}


async def test_a_correction_of_a_given_up_alert_is_still_queued(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform()
    worker = await _give_up(runtime, platform, _release())
    runtime.ingestor.ingest(_release("Europol and Eurojust supported the operation."))
    await worker.run_once()
    assert [r.revision for r in platform.posted] == [2]  # the channel never had it: the corrected one comes


def test_the_operator_sees_what_was_given_up_and_queues_it_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    store = Store.open(url)
    store.releases.save(_release())
    sub, _ = store.subscriptions.add(Subscription(platform="slack", workspace="T1", channel="C1", agencies=["europol"]))
    store.outbox.enqueue([_delivery(sub.id, "C1")])
    store.outbox.mark_given_up([d.id for d in store.outbox.due(utcnow(), 10)], "gave up after 96 tries: HTTP 503")
    store.close()
    env = {"COOP_DATABASE_URL": url}
    shown = run_coop("deliveries", env=env)
    assert shown.returncode == 0
    assert "slack T1/C1: 1 given up\n  last error: gave up after 96 tries: HTTP 503\n" in shown.stdout
    assert "coop deliveries --retry queues them again" in shown.stdout
    retried = run_coop("deliveries", "--retry", "--channel", "C1", env=env)
    assert retried.returncode == 0 and "slack T1/C1: 1 queued again" in retried.stdout
    assert "slack T1/C1: 1 to send" in run_coop("deliveries", env=env).stdout
    assert "No alert to C1 was given up." in run_coop("deliveries", "--retry", "--channel", "C1", env=env).stdout


def test_the_operator_can_leave_alerts_given_up_long_ago(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    store = Store.open(url)
    store.releases.save(_release())
    subs = [store.subscriptions.add(Subscription(platform="slack", workspace="T1", channel=channel,
                                                 agencies=["europol"]))[0] for channel in ("C1", "C2")]
    store.outbox.enqueue([_delivery(subs[0].id, "C1"),
                          _delivery(subs[1].id, "C2", created=utcnow() - timedelta(days=30))])
    store.outbox.mark_given_up([d.id for d in store.outbox.due(utcnow(), 10)], "gave up after 96 tries: HTTP 503")
    store.close()
    env = {"COOP_DATABASE_URL": url}
    bad = run_coop("deliveries", "--retry", "--since", "last week", env=env)
    assert bad.returncode == 2 and "write --since 2024-01-31" in bad.stderr
    assert run_coop("deliveries", "--since", "2d", env=env).returncode == 2  # only with --retry
    retried = run_coop("deliveries", "--retry", "--since", "2d", env=env)
    assert retried.returncode == 0 and "slack T1/C1: 1 queued again" in retried.stdout
    assert "1 queued before" in retried.stdout and "C2" not in retried.stdout
    assert "slack T1/C2: 1 given up" in run_coop("deliveries", env=env).stdout


def _delivery(sub_id: int, channel: str, created: datetime | None = None) -> Delivery:
    return Delivery(release_id="rel1", platform="slack", workspace="T1", channel=channel, subscription_id=sub_id,
                    created_at=created or utcnow())


def test_a_store_from_before_tells_given_up_alerts_from_refused_ones(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine, "head")
    old = Store(engine)
    old.releases.save(_release())
    old.outbox.enqueue([_delivery(1, "C1"), _delivery(1, "GONE")])
    with engine.begin() as conn:  # both "failed", as 0016 left them
        conn.execute(text("UPDATE deliveries SET status = 'failed', last_error = 'gave up after 8 tries: timeout' "
                          "WHERE channel = 'C1'"))
        conn.execute(text("UPDATE deliveries SET status = 'failed', last_error = 'channel_not_found' "
                          "WHERE channel = 'GONE'"))
        _as_left_by(conn, "0016")
    old.close()
    store = Store.open(db_url)
    assert [d.channel for d in store.outbox.given_up()] == ["C1"]
    assert store.outbox.by_status() == {"given_up": 1, "failed": 1}
    store.close()


def test_the_backlog_tells_each_channel_what_waits_and_why(runtime: Runtime) -> None:
    now = utcnow()
    outbox = runtime.store.outbox
    runtime.store.releases.save(_release())
    for n, channel in enumerate(["DUE", "RETRY", "DIGEST", "UP", "GONE"]):
        outbox.enqueue([Delivery(release_id="rel1", platform="fake", channel=channel, subscription_id=n,
                                 held=channel == "DIGEST", next_attempt_at=now + timedelta(hours=channel == "DIGEST"))])
    by_channel = {d.channel: d.id for d in outbox.due(now, 10)}
    outbox.mark_retry([by_channel["RETRY"]], "ratelimited", now + timedelta(minutes=5), now)
    outbox.mark_given_up([by_channel["UP"]], "gave up after 96 tries: HTTP 503")
    outbox.fail_channel("fake", "", "GONE", "channel_not_found")
    seen = {entry.channel: (entry.to_send, entry.retrying, entry.waiting, entry.given_up, entry.refused,
                            entry.last_error) for entry in outbox.backlog()}
    assert seen == {"DUE": (1, 0, 0, 0, 0, None), "RETRY": (0, 1, 0, 0, 0, "ratelimited"),
                    "DIGEST": (0, 0, 1, 0, 0, None), "UP": (0, 0, 0, 1, 0, "gave up after 96 tries: HTTP 503"),
                    "GONE": (0, 0, 0, 0, 1, "channel_not_found")}
    [retrying] = [entry for entry in outbox.backlog() if entry.channel == "RETRY"]
    assert retrying.failing_since == now
