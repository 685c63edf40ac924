"""Every alert says which of the channel's subscriptions it came through, and how to stop it: on Slack, Matrix and
the console, in digests and after edits too."""

from __future__ import annotations

import io
import json

from bot.delivery import AlertStyle, DeliverySettings, DeliveryWorker
from bot.models import Release, Subscription
from bot.platforms.console import ConsolePlatform
from bot.platforms.matrix.render import alert_content
from bot.platforms.slack.blocks import alert_message
from bot.runtime import Runtime
from bot.textutil import content_hash
from handlers.replies import followed_line
from tests.fakeplatform import RecordingPlatform

FAST = DeliverySettings(digest_after=3, per_channel_interval=0, max_attempts=4, retry_base=0, batch=50)


def _release(n: int, publisher: str, text: str = "") -> Release:
    title, text = f"Operation {n}", text or f"{publisher.capitalize()} supported the operation."
    return Release(id=f"rel{n}", source_id="t", publisher=publisher, title=title, text=text,
                   content_hash=content_hash(title, text))


def _follow(runtime: Runtime, **terms: list[str]) -> Subscription:
    sub, _ = runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", **terms))
    runtime.ingestor.subscriptions_changed()
    return sub


async def test_an_alert_names_the_subscription_it_came_through(runtime: Runtime) -> None:
    _follow(runtime, agencies=["europol"])
    eurojust = _follow(runtime, agencies=["eurojust"])
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1, "eurojust"))
    await worker.run_once()
    assert platform.followed == {"ref-1": [eurojust.id]}


async def test_a_digest_names_each_subscription_once_and_an_edit_keeps_them(runtime: Runtime) -> None:
    europol, eurojust = _follow(runtime, agencies=["europol"]), _follow(runtime, agencies=["eurojust"])
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for n, publisher in enumerate(["europol", "eurojust", "europol", "europol"]):
        runtime.ingestor.ingest(_release(n, publisher))
    await worker.run_once()
    assert platform.posts == [("C1", ["rel0", "rel1", "rel2", "rel3"])]
    assert platform.followed == {"ref-1": [europol.id, eurojust.id]}
    runtime.ingestor.ingest(_release(3, "europol", "Europol supported the operation: six arrests."))
    await worker.run_once()
    assert platform.edits and platform.followed["ref-1"] == [europol.id, eurojust.id]


async def test_a_subscription_removed_before_its_alert_went_is_not_named(runtime: Runtime) -> None:
    europol = _follow(runtime, agencies=["europol"])
    platform = RecordingPlatform()
    runtime.ingestor.ingest(_release(1, "europol"))
    runtime.store.subscriptions.remove("fake", "", "C1", europol.id)
    await DeliveryWorker(runtime.store, {"fake": platform}, FAST).run_once()
    assert platform.posts == [("C1", ["rel1"])] and platform.followed == {"ref-1": []}


def test_each_platform_shows_the_note_with_its_own_command_and_escapes_it(seeded: Runtime) -> None:
    release = next(iter(seeded.store.releases.all()))
    hostile = Subscription(id=3, platform="x", channel="C1", keywords=["<!channel> <b>x</b>"])
    slack = alert_message([release], seeded.taxonomy, note="Followed here: x · /coop unsubscribe 3 to stop")
    assert slack["blocks"][-1]["elements"][0]["text"] == "Followed here: x · /coop unsubscribe 3 to stop"
    line = followed_line([hostile], "/coop")
    assert line == 'Followed here: "<!channel> <b>x</b>" · /coop unsubscribe 3 to stop'
    shown = json.dumps(alert_message([release, release], seeded.taxonomy, note=line))
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    matrix = alert_content([release], seeded.taxonomy, note=followed_line([hostile], "!coop"))
    assert matrix["body"].endswith('Followed here: "<!channel> <b>x</b>" · !coop unsubscribe 3 to stop')
    assert "<b>x</b>" not in matrix["formatted_body"] and "<i>Followed here:" in matrix["formatted_body"]


async def test_the_console_prints_the_note_under_the_alert(seeded: Runtime) -> None:
    out = io.StringIO()
    release = next(iter(seeded.store.releases.all()))
    subs = [Subscription(id=1, platform="console", channel="c", agencies=["europol"]),
            Subscription(id=2, platform="console", channel="c", countries=["MD"])]
    await ConsolePlatform(out).post_alert("", "c", [release], style=AlertStyle(subs[:1]))
    await ConsolePlatform(out).post_alert("", "c", [release, release], style=AlertStyle(subs))
    lines = out.getvalue().splitlines()
    assert "  Followed here: europol · /coop unsubscribe 1 to stop" in lines
    assert lines[-1] == "  Followed here: europol; MD · /coop subscriptions to see them"
