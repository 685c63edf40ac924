"""The outbox and its worker: exactly once per channel, retries, rate limits, dead channels, digests, crashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery import MAX_DIGEST, DeliverySettings, DeliveryWorker, TransientError
from bot.models import Release, Schedule, Subscription, utcnow
from bot.runtime import Runtime
from bot.textutil import content_hash
from tests.fakeplatform import RecordingPlatform

FAST = DeliverySettings(digest_after=3, per_channel_interval=0, max_attempts=4, retry_base=0, batch=50)


def _release(n: int, text: str = "Europol supported the operation.") -> Release:
    title = f"Operation {n}"
    return Release(id=f"rel{n}", source_id="t", publisher="europol", title=title, text=text,
                   content_hash=content_hash(title, text))


def _subscribe(runtime: Runtime, *channels: str) -> None:
    for channel in channels:
        runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, agencies=["europol"]))
    runtime.ingestor.subscriptions_changed()


async def test_one_release_one_message_per_channel(runtime: Runtime) -> None:
    _subscribe(runtime, "C1", "C2")
    runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", areas=["cybercrime"]))
    runtime.ingestor.subscriptions_changed()
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1, "Europol took down a ransomware botnet."))
    runtime.ingestor.ingest(_release(1, "Europol took down a ransomware botnet."))  # same again: nothing new
    await worker.run_once()
    await worker.run_once()
    assert sorted(platform.posts) == [("C1", ["rel1"]), ("C2", ["rel1"])]


async def test_429_storm_is_retried_until_it_lands_exactly_once(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(fail_next=[TransientError("ratelimited", retry_after=0) for _ in range(3)])
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    for _ in range(5):
        await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]
    assert runtime.store.outbox.by_status() == {"sent": 1}


async def test_retry_after_is_honoured(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(fail_next=[TransientError("ratelimited", retry_after=3600)])
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    await worker.run_once()
    await worker.run_once()
    assert platform.posts == []  # not before the hour Slack asked for
    next_due = runtime.store.outbox.next_due_at()
    assert next_due is not None and (next_due - utcnow()).total_seconds() > 3500


async def test_transient_failures_give_up_after_max_attempts(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(fail_next=[TransientError("timeout") for _ in range(10)])
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    for _ in range(6):
        await worker.run_once()
    assert runtime.store.outbox.by_status() == {"given_up": 1}


async def test_an_outage_of_hours_loses_nothing_and_one_past_a_day_is_given_up(runtime: Runtime) -> None:
    _subscribe(runtime, "C1", "C2")
    now = [utcnow()]
    platform = RecordingPlatform(fail_next=[TransientError("HTTP 503") for _ in range(200)])
    worker = DeliveryWorker(runtime.store, {"fake": platform}, DeliverySettings(per_channel_interval=0),
                            clock=lambda: now[0])
    runtime.ingestor.ingest(_release(1))
    start, waits = now[0], []
    while now[0] - start < timedelta(hours=23):
        next_due = runtime.store.outbox.next_due_at()
        assert next_due is not None
        waits.append(next_due - now[0])
        now[0] = max(now[0], next_due)
        await worker.run_once()
    assert runtime.store.outbox.by_status() == {"pending": 2}  # 23 hours of failures: still to be sent
    assert max(waits) == timedelta(seconds=900) and waits[1] == timedelta(seconds=5)  # doubling, up to 15 minutes
    platform.fail_next = []  # the platform is back
    now[0] += timedelta(minutes=15)
    await worker.run_once()
    assert sorted(platform.posts) == [("C1", ["rel1"]), ("C2", ["rel1"])]
    platform.fail_next = [TransientError("HTTP 503") for _ in range(400)]
    runtime.ingestor.ingest(_release(2))
    for _ in range(200):
        now[0] += timedelta(minutes=15)
        await worker.run_once()
    assert runtime.store.outbox.by_status() == {"sent": 2, "given_up": 2}  # a day and more: not forever


async def test_a_gone_channel_is_paused_and_the_others_still_get_alerts(runtime: Runtime) -> None:
    _subscribe(runtime, "C1", "GONE")
    platform = RecordingPlatform(gone_channels={"GONE"})
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]
    gone = runtime.store.subscriptions.for_channel("fake", "", "GONE")
    assert gone[0].paused and gone[0].paused_reason == "channel_not_found"
    runtime.ingestor.ingest(_release(2))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"]), ("C1", ["rel2"])]  # nothing more is tried for the gone channel


async def _five_releases_at_once(runtime: Runtime) -> tuple[RecordingPlatform, DeliveryWorker]:
    """C1 follows europol; five of its releases arrive together and the worker sends them."""
    _subscribe(runtime, "C1")
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for n in range(5):
        runtime.ingestor.ingest(_release(n))
    await worker.run_once()
    return platform, worker


async def test_a_burst_becomes_one_digest(runtime: Runtime) -> None:
    platform, _ = await _five_releases_at_once(runtime)
    assert platform.posts == [("C1", ["rel0", "rel1", "rel2", "rel3", "rel4"])]


async def test_a_digest_that_landed_before_a_crash_is_not_sent_again(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(remembers=True)
    for n in range(5):
        runtime.ingestor.ingest(_release(n))
    due = runtime.store.outbox.due(utcnow(), 10)
    runtime.store.outbox.mark_attempt([d.id for d in due])  # the crash: attempted, landed, never marked sent
    platform.posts.append(("C1", [d.release_id for d in due]))
    runtime.ingestor.ingest(_release(9))  # and one more that never went out
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    await worker.run_once()
    assert platform.posts == [("C1", ["rel0", "rel1", "rel2", "rel3", "rel4"]), ("C1", ["rel9"])]
    assert runtime.store.outbox.pending_count() == 0


async def test_an_update_edits_the_delivered_message(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1, "Europol: five arrests."))
    await worker.run_once()
    runtime.ingestor.ingest(_release(1, "Europol: six arrests."))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]
    assert platform.edits == [("C1", "ref-1", ["rel1@2"])]


async def test_an_update_of_a_release_sent_in_a_digest_keeps_the_others_in_it(runtime: Runtime) -> None:
    # the edit used to replace the whole digest with the one corrected release: the other four vanished
    platform, worker = await _five_releases_at_once(runtime)
    runtime.ingestor.ingest(_release(2, "Europol supported the operation: six arrests."))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel0", "rel1", "rel2", "rel3", "rel4"])]
    assert platform.edits == [("C1", "ref-1", ["rel0@1", "rel1@1", "rel2@2", "rel3@1", "rel4@1"])]


async def test_per_channel_order_is_kept(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for n in (3, 1, 2):
        runtime.ingestor.ingest(_release(n))
        await worker.run_once()
    assert [ids for _, ids in platform.posts] == [["rel3"], ["rel1"], ["rel2"]]


async def test_unknown_platform_errors_do_not_stop_the_worker(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(fail_next=[RuntimeError("bug in a platform")])
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    await worker.run_once()
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]


async def test_a_burst_too_big_for_one_message_is_several_digests(runtime: Runtime) -> None:
    # Slack shows 24 releases in a message: a digest of 45 used to lose 21 of them from view
    _subscribe(runtime, "C1")
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for n in range(2 * MAX_DIGEST + 5):
        runtime.ingestor.ingest(_release(n))
    await worker.run_once()
    assert [len(ids) for _, ids in platform.posts] == [MAX_DIGEST, MAX_DIGEST, 5]
    assert [i for _, ids in platform.posts for i in ids] == [f"rel{n}" for n in range(2 * MAX_DIGEST + 5)]


async def test_a_daily_subscription_with_its_own_hour_goes_out_then(runtime: Runtime) -> None:
    tuesday_noon = datetime(2026, 11, 24, 12, tzinfo=UTC)
    runtime.ingestor.clock = lambda: tuesday_noon
    for channel, hour in (("C1", 18), ("C2", None), ("C3", 18), ("C3", 9)):
        runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, agencies=["europol"],
                                                     keywords=[] if hour != 9 else ["news"], hour=hour,
                                                     schedule=Schedule.DAILY))
    runtime.ingestor.subscriptions_changed()
    runtime.ingestor.ingest(_release(1, "Europol news."))
    platform = RecordingPlatform()

    async def run_at(when: datetime) -> None:
        await DeliveryWorker(runtime.store, {"fake": platform}, FAST, clock=lambda: when).run_once()

    await run_at(datetime(2026, 11, 24, 17, 59, tzinfo=UTC))
    assert platform.posts == []
    await run_at(datetime(2026, 11, 24, 18, tzinfo=UTC))
    assert sorted(platform.posts) == [("C1", ["rel1"]), ("C3", ["rel1"])]  # C3: the sooner of 18:00 and 09:00
    await run_at(datetime(2026, 11, 25, 8, tzinfo=UTC))
    assert platform.posts[2:] == [("C2", ["rel1"])]  # the operator's digest_hour
    assert runtime.store.outbox.pending_count() == 0


async def test_a_daily_subscription_holds_its_alerts_for_one_message_at_the_hour(runtime: Runtime) -> None:
    tuesday_noon = datetime(2026, 11, 24, 12, tzinfo=UTC)
    runtime.ingestor.clock = lambda: tuesday_noon
    runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", agencies=["europol"],
                                                 schedule=Schedule.DAILY))
    runtime.store.subscriptions.add(Subscription(platform="fake", channel="C2", agencies=["europol"],
                                                 schedule=Schedule.WEEKLY))
    runtime.store.subscriptions.add(Subscription(platform="fake", channel="C2", keywords=["urgent"]))
    runtime.ingestor.subscriptions_changed()
    platform = RecordingPlatform()
    for n in range(3):
        runtime.ingestor.ingest(_release(n))
    runtime.ingestor.ingest(_release(9, "Europol: urgent notice."))  # C2 follows the word as releases arrive

    async def run_at(when: datetime) -> None:
        await DeliveryWorker(runtime.store, {"fake": platform}, FAST, clock=lambda: when).run_once()

    await run_at(tuesday_noon)
    assert platform.posts == [("C2", ["rel9"])]
    await run_at(datetime(2026, 11, 25, 7, 59, tzinfo=UTC))
    assert len(platform.posts) == 1  # not before the hour
    await run_at(datetime(2026, 11, 25, 8, tzinfo=UTC))
    assert platform.posts[1:] == [("C1", ["rel0", "rel1", "rel2", "rel9"])]  # one message, under the digest size
    await run_at(datetime(2026, 11, 30, 8, tzinfo=UTC) - timedelta(seconds=1))
    assert len(platform.posts) == 2
    await run_at(datetime(2026, 11, 30, 8, tzinfo=UTC))
    assert platform.posts[2:] == [("C2", ["rel0", "rel1", "rel2"])]
    assert runtime.store.outbox.pending_count() == 0


def _daily_at_18(runtime: Runtime) -> tuple[dict[str, datetime], RecordingPlatform, DeliveryWorker]:
    """A channel with a daily subscription at 18:00 UTC, two releases waiting for it since Tuesday noon, and a clock
    the test moves."""
    clock = {"now": datetime(2026, 11, 24, 12, tzinfo=UTC)}
    runtime.ingestor.clock = lambda: clock["now"]
    runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", agencies=["europol"],
                                                 schedule=Schedule.DAILY, hour=18))
    runtime.ingestor.subscriptions_changed()
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST, clock=lambda: clock["now"])
    runtime.ingestor.ingest(_release(1, "Europol: five arrests."))
    runtime.ingestor.ingest(_release(2))
    return clock, platform, worker


async def test_a_correction_to_a_sent_digest_edits_it_at_once(runtime: Runtime) -> None:
    # Before, the edit waited for the next day's hour: a day with the wrong text in the channel.
    clock, platform, worker = _daily_at_18(runtime)
    clock["now"] = datetime(2026, 11, 24, 18, tzinfo=UTC)
    await worker.run_once()
    clock["now"] = datetime(2026, 11, 24, 19, tzinfo=UTC)
    runtime.ingestor.ingest(_release(1, "Europol: six arrests."))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1", "rel2"])]
    assert platform.edits == [("C1", "ref-1", ["rel1@2", "rel2@1"])]
    assert runtime.store.outbox.waiting("fake", "", "C1") == (0, None)  # nothing waits for tomorrow


async def test_a_correction_before_the_digest_goes_out_is_in_it(runtime: Runtime) -> None:
    clock, platform, worker = _daily_at_18(runtime)
    clock["now"] = datetime(2026, 11, 24, 13, tzinfo=UTC)
    runtime.ingestor.ingest(_release(1, "Europol: six arrests."))
    await worker.run_once()
    assert platform.posts == []
    clock["now"] = datetime(2026, 11, 24, 18, tzinfo=UTC)
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1", "rel2"])] and platform.edits == []  # no edit just after the post
    assert platform.posted[0].text == "Europol: six arrests."


async def test_a_correction_to_an_alert_that_may_have_landed_before_a_crash_is_not_lost(runtime: Runtime) -> None:
    _subscribe(runtime, "C1")
    platform = RecordingPlatform(remembers=True)
    runtime.ingestor.ingest(_release(1, "Europol: five arrests."))
    [first] = runtime.store.outbox.due(utcnow(), 10)
    runtime.store.outbox.mark_attempt([first.id])
    landed = runtime.store.releases.get("rel1")
    assert landed is not None
    await platform.post_alert("", "C1", [landed])  # the post landed, then coop died before marking it sent
    runtime.ingestor.ingest(_release(1, "Europol: six arrests."))
    await DeliveryWorker(runtime.store, {"fake": platform}, FAST).run_once()
    assert platform.posts == [("C1", ["rel1"])]
    assert platform.edits == [("C1", "ref-1", ["rel1@2"])]
