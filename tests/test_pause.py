"""`pause` and `resume`: a channel's alerts wait for a while (or until resumed) and then come together; nothing that
matched meanwhile is lost."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import DeliverySettings, DeliveryWorker
from bot.models import Release
from bot.platforms.console import ConsolePlatform
from bot.runtime import Runtime
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.fakeplatform import RecordingPlatform

FAST = DeliverySettings(digest_after=3, per_channel_interval=0, max_attempts=4, retry_base=0, batch=50)
HERE = CommandContext(platform="fake", channel="C1", workspace="", user="U1")
MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


class Clock:
    """One time for the commands, the ingestor and the delivery worker, moved on by the test."""

    def __init__(self) -> None:
        self.now = MONDAY

    def __call__(self) -> datetime:
        return self.now


def _setup(runtime: Runtime) -> tuple[Deps, Clock, RecordingPlatform, DeliveryWorker]:
    clock = Clock()
    runtime.ingestor.clock = clock
    deps = Deps(store=runtime.store, taxonomy=runtime.taxonomy, ingestor=runtime.ingestor, now=clock)
    platform = RecordingPlatform()
    return deps, clock, platform, DeliveryWorker(runtime.store, {"fake": platform}, FAST, clock=clock)


def _release(n: int, publisher: str = "europol") -> Release:
    return Release(id=f"rel{n}", source_id="t", publisher=publisher, title=f"Operation {n}",
                   text=f"{publisher.capitalize()} supported the operation {n}.")


async def test_a_paused_channel_gets_what_matched_meanwhile_together_when_the_pause_ends(runtime: Runtime) -> None:
    deps, clock, platform, worker = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    reply = handle("pause 2d", HERE, deps)
    assert reply.text == ("Paused until Wed 25 Nov 09:00 UTC: europol (subscription 1). Alerts wait and come "
                          "together then; /coop resume brings them sooner.")
    assert reply.visibility is Visibility.CHANNEL
    for n in (1, 2):
        runtime.ingestor.ingest(_release(n))
    await worker.run_once()
    assert platform.posts == []
    assert handle("subscriptions", HERE, deps).lines == [
        "  1: europol (paused until Wed 25 Nov 09:00 UTC)",
        "2 alerts wait for the next digest, Wed 25 Nov 09:00 UTC."]
    clock.now += timedelta(days=2)
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1", "rel2"])]  # one message for both
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol"]
    runtime.ingestor.ingest(_release(3))
    await worker.run_once()
    assert platform.posts[-1] == ("C1", ["rel3"])  # as releases arrive again


async def test_a_pause_with_no_end_waits_for_resume(runtime: Runtime) -> None:
    deps, clock, platform, worker = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    assert handle("pause", HERE, deps).text.startswith("Paused: europol (subscription 1). Alerts wait until "
                                                       "someone says /coop resume")
    runtime.ingestor.ingest(_release(1))
    clock.now += timedelta(days=400)
    await worker.run_once()
    assert platform.posts == []
    assert handle("subscriptions", HERE, deps).lines == [
        "  1: europol (paused until resumed)",
        "1 alert waits for this channel's paused subscriptions to resume (/coop resume)."]
    reply = handle("resume", HERE, deps)
    assert (reply.text, reply.lines) == ("Resumed: alerts come again in this channel.",
                                         ["  1: europol: 1 alert waited and comes now"])
    await worker.run_once()
    assert platform.posts == [("C1", ["rel1"])]


async def test_pausing_one_subscription_leaves_the_others_and_a_release_both_match_comes_now(
        runtime: Runtime) -> None:
    deps, _, platform, worker = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    handle("subscribe eurojust", HERE, deps)
    assert handle("pause europol", HERE, deps).text.startswith("Paused: europol (subscription 1).")
    runtime.ingestor.ingest(_release(1, "eurojust"))
    runtime.ingestor.ingest(_release(2, "europol"))
    runtime.ingestor.ingest(Release(id="both", source_id="t", publisher="eurojust", title="Joint action",
                                    text="Eurojust and Europol supported the joint action."))
    await worker.run_once()
    assert sorted(ids for _, ids in platform.posts) == [["both"], ["rel1"]]
    assert handle("resume 1", HERE, deps).lines == ["  1: europol: 1 alert waited and comes now"]
    await worker.run_once()
    assert platform.posts[-1] == ("C1", ["rel2"])


@pytest.mark.parametrize(("resumed", "named", "own"), [("1", "europol", "rel1"), ("2", "eurojust", "rel2")])
async def test_a_release_two_paused_subscriptions_match_comes_when_either_resumes(
        runtime: Runtime, resumed: str, named: str, own: str) -> None:
    """The alert waits under one of the two; resuming either brings it, as it would have come under that one."""
    deps, _, platform, worker = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    handle("subscribe eurojust", HERE, deps)
    handle("pause", HERE, deps)
    runtime.ingestor.ingest(Release(id="both", source_id="t", publisher="eurojust", title="Joint action",
                                    text="Eurojust and Europol supported the joint action."))
    runtime.ingestor.ingest(_release(1, "europol"))
    runtime.ingestor.ingest(_release(2, "eurojust"))
    await worker.run_once()
    assert platform.posts == []
    assert handle(f"resume {resumed}", HERE, deps).lines == [f"  {resumed}: {named}: 2 alerts waited and come now"]
    await worker.run_once()
    assert platform.posts == [("C1", ["both", own])]
    assert handle("subscriptions", HERE, deps).lines[-1] == (
        "1 alert waits for this channel's paused subscriptions to resume (/coop resume).")


async def test_a_daily_subscription_paused_sends_its_digest_at_the_first_hour_after_the_pause(
        runtime: Runtime) -> None:
    deps, clock, platform, worker = _setup(runtime)
    handle("timezone Europe/Brussels", HERE, deps)
    handle("subscribe europol daily 18:00", HERE, deps)
    runtime.ingestor.ingest(_release(0))  # waits for today's digest, which the pause then holds too
    assert handle("pause until:2026-11-24", HERE, deps).text == (
        "Paused until Wed 25 Nov 00:00 Europe/Brussels: europol (subscription 1). Alerts wait and come together "
        "then (daily and weekly ones at their hour); /coop resume brings them sooner.")
    runtime.ingestor.ingest(_release(1))
    for day in (23, 24):  # Monday's and Tuesday's 18:30 in Brussels: paused, no digest
        clock.now = datetime(2026, 11, day, 17, 30, tzinfo=UTC)
        await worker.run_once()
    assert platform.posts == []
    clock.now = datetime(2026, 11, 25, 17, tzinfo=UTC)  # Wednesday 18:00 in Brussels
    await worker.run_once()
    assert platform.posts == [("C1", ["rel0", "rel1"])]
    assert platform.waited == {"ref-1": False}  # a digest: its note says its hour, not a pause


async def test_alerts_that_waited_for_the_end_of_a_pause_say_so(runtime: Runtime) -> None:
    deps, clock, _, _ = _setup(runtime)
    here = CommandContext(platform="console", channel="C1", user="U1")
    out = io.StringIO()
    worker = DeliveryWorker(runtime.store, {"console": ConsolePlatform(out)}, FAST, clock=clock)
    handle("subscribe europol", here, deps)
    handle("pause 2d", here, deps)
    for n in (1, 2):
        runtime.ingestor.ingest(_release(n))
    clock.now += timedelta(days=2)
    await worker.run_once()
    runtime.ingestor.ingest(_release(3))  # after the pause: as any other alert
    await worker.run_once()
    lines = out.getvalue().splitlines()
    assert lines[0] == "[DIGEST] 2 new releases"
    assert lines[7] == "  Waited for the end of a pause · Followed here: europol · /coop unsubscribe 1 to stop"
    assert lines[8].startswith("[NEW] Operation 3")
    assert lines[-1] == "  Followed here: europol · /coop unsubscribe 1 to stop"


def test_resume_of_a_daily_subscription_says_when_its_alerts_come(runtime: Runtime) -> None:
    deps, _, _, _ = _setup(runtime)
    handle("subscribe europol daily 18:00", HERE, deps)
    handle("pause 1w", HERE, deps)
    runtime.ingestor.ingest(_release(1))
    runtime.ingestor.ingest(_release(2))
    assert handle("resume europol daily", HERE, deps).lines == [
        "  1: europol: 2 alerts waited and come with the digest of Mon 23 Nov 18:00 UTC"]


def test_resume_brings_back_a_channel_coop_stopped(runtime: Runtime) -> None:
    deps, _, _, _ = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    runtime.store.subscriptions.pause_channel("fake", "", "C1", "channel_not_found")
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol (paused: channel_not_found)"]
    assert handle("resume", HERE, deps).lines == ["  1: europol: no alert waited"]
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol"]
    assert handle("resume", HERE, deps).text == "Nothing in this channel is paused. Pause its alerts with: /coop pause"


def test_pause_says_what_it_cannot_read(runtime: Runtime) -> None:
    deps, _, _, _ = _setup(runtime)
    assert handle("pause", HERE, deps).text == ("This channel has no subscriptions to pause. See them with: "
                                                "subscriptions")
    handle("subscribe europol", HERE, deps)
    refused = {text: handle(text, HERE, deps) for text in (
        "pause 0d", "pause until:2025", "pause 3d until:2027", "pause 7", "pause interpol", "resume 7")}
    assert all(reply.error for reply in refused.values())
    assert refused["pause 0d"].text.startswith("A pause ends later than now: pause 3d (h, d or w), or pause "
                                               "until:2026-12-24")
    assert refused["pause until:2025"].text.startswith("A pause ends later than now")
    assert refused["pause 3d until:2027"].text.startswith("Say how long once")
    assert refused["pause interpol"].text == "This channel has no such subscription. See them with: subscriptions"
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol"]  # nothing refused changed anything
    assert handle("resume 1", HERE, deps).text == "Subscription 1 (europol) is not paused."


def test_only_those_who_may_change_subscriptions_pause_or_resume(runtime: Runtime) -> None:
    deps, _, _, _ = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    guest = CommandContext(platform="fake", channel="C1", can_change_subscriptions=False, refusal="Ask a moderator.")
    assert handle("pause", guest, deps).text == "Ask a moderator."
    handle("mute", HERE, deps)  # an alias
    assert handle("resume", guest, deps).text == "Ask a moderator."
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol (paused until resumed)"]


def test_subscribing_again_ends_a_pause(runtime: Runtime) -> None:
    deps, _, _, _ = _setup(runtime)
    handle("subscribe europol", HERE, deps)
    handle("pause 3d", HERE, deps)
    handle("subscribe europol", HERE, deps)
    assert handle("subscriptions", HERE, deps).lines == ["  1: europol"]
