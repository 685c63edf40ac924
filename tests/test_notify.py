"""`notify`: whoever asks is mentioned in a subscription's alerts, so those alerts notify them; each person only
for themselves, on Slack, Matrix and the console, in digests and compact alerts, and never again for a correction."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import aiohttp

from bot.delivery import AlertStyle, DeliverySettings, DeliveryWorker
from bot.models import Release, Subscription
from bot.platforms.console import ConsolePlatform
from bot.platforms.matrix.render import alert_content, edit_content
from bot.platforms.slack.blocks import alert_message
from bot.runtime import Runtime
from bot.textutil import content_hash
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from tests.conftest import CHANNEL
from tests.fakeplatform import RecordingPlatform
from tests.fakeslack import signed_headers
from tests.slackbot import SECRET, SlackBot, wait_until

FAST = DeliverySettings(digest_after=3, per_channel_interval=0, max_attempts=4, retry_base=0, batch=50)
BOB = replace(CHANNEL, user="U2")


def _release(n: int, publisher: str = "europol", text: str = "") -> Release:
    title, text = f"Operation {n}", text or f"{publisher.capitalize()} supported the operation."
    return Release(id=f"rel{n}", source_id="t", publisher=publisher, title=title, text=text,
                   url=f"https://news.example/{n}", content_hash=content_hash(title, text))


def _mentions(deps: Deps) -> dict[int, list[str]]:
    return {sub.id: sub.mentions for sub in deps.store.subscriptions.for_channel("console", "T1", "C1")}


def test_notify_mentions_whoever_asked_and_off_stops_it(deps: Deps) -> None:
    handle("subscribe europol", CHANNEL, deps), handle("subscribe md", CHANNEL, deps)
    said = handle("notify 1", CHANNEL, deps)
    assert said.text == ("You will be mentioned in the alerts of europol (subscription 1), so they notify you. "
                         "To stop: /coop notify 1 off")
    handle("ping me", BOB, deps)  # every subscription of the channel, for the one who asked
    assert _mentions(deps) == {1: ["U1", "U2"], 2: ["U2"]}
    handle("notify 1", CHANNEL, deps)  # asking twice mentions once
    assert handle("subscriptions", CHANNEL, deps).lines == ["  1: europol · mentions you and 1 other",
                                                            "  2: MD · mentions 1 person"]
    off = handle("notify md off", BOB, deps)
    assert off.text == "You will no longer be mentioned in the alerts of MD (subscription 2)."
    handle("notify off", CHANNEL, deps)
    assert _mentions(deps) == {1: ["U2"], 2: []}
    assert handle("subscriptions", BOB, deps).lines == ["  1: europol · mentions you", "  2: MD"]


def test_notify_refuses_what_it_cannot_do_and_changes_nothing(deps: Deps) -> None:
    empty = handle("notify", CHANNEL, deps)
    assert empty.error and empty.text == "This channel has no subscriptions to be mentioned in. Try: subscribe europol"
    handle("subscribe europol", CHANNEL, deps)
    nobody = handle("notify", CommandContext(platform="console", channel="C1", workspace="T1"), deps)
    assert nobody.error and "cannot tell who is asking" in nobody.text
    unknown = handle("notify 7", CHANNEL, deps)
    assert unknown.error and unknown.text == "This channel has no such subscription. See them with: subscriptions"
    assert _mentions(deps) == {1: []}


async def test_alerts_mention_each_person_once_in_digests_compact_alerts_and_edits(runtime: Runtime) -> None:
    europol, _ = runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", agencies=["europol"]))
    eurojust, _ = runtime.store.subscriptions.add(Subscription(platform="fake", channel="C1", agencies=["eurojust"]))
    runtime.store.subscriptions.mention("fake", "", "C1", [europol.id, eurojust.id], "U1", True)
    runtime.store.subscriptions.mention("fake", "", "C1", [eurojust.id], "U2", True)
    runtime.ingestor.subscriptions_changed()
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    await worker.run_once()
    assert platform.mentions == {"ref-1": ["U1"]}
    runtime.store.channels.set_compact("fake", "", "C1", True)
    for n, publisher in enumerate(["europol", "eurojust", "eurojust", "europol"], start=2):
        runtime.ingestor.ingest(_release(n, publisher))
    await worker.run_once()
    assert platform.posts[1] == ("C1", ["rel2", "rel3", "rel4", "rel5"]) and platform.mentions["ref-2"] == ["U1", "U2"]
    runtime.ingestor.ingest(_release(1, text="Europol supported the operation: six arrests."))
    await worker.run_once()
    assert platform.edits and platform.mentions["ref-1"] == ["U1"]


def test_slack_mentions_only_user_ids_under_the_alert_and_in_its_notification(seeded: Runtime) -> None:
    release = next(iter(seeded.store.releases.all()))
    message = alert_message([release], seeded.taxonomy, note="Followed here: x", mentions=["U1", "W2", "U3><!channel"])
    assert message["blocks"][-1]["elements"][0]["text"] == "Followed here: x · cc <@U1> <@W2>"
    assert message["text"].endswith(" · cc <@U1> <@W2>") and "<!channel>" not in json.dumps(message)
    compact = alert_message([release, release], seeded.taxonomy, compact=True, mentions=["U1"])
    assert compact["blocks"][1]["elements"][0]["text"] == "cc <@U1>"  # under the heading, where no cut can drop it
    assert "<@" not in json.dumps(alert_message([release], seeded.taxonomy, note="Followed here: x"))


def test_matrix_mentions_are_pills_that_notify_and_an_edit_does_not_notify_again(seeded: Runtime) -> None:
    release = next(iter(seeded.store.releases.all()))
    content = alert_content([release], seeded.taxonomy, note="Followed here: x",
                            mentions=["@alice:example.org", "@room", '@x:y"><script>'])
    assert content["m.mentions"] == {"user_ids": ["@alice:example.org"]}
    assert content["msgtype"] == "m.text"  # default push rules never notify for a notice
    assert content["body"].endswith("Followed here: x · cc @alice:example.org")
    assert content["formatted_body"].endswith(
        '<i>Followed here: x</i> · cc <a href="https://matrix.to/#/@alice:example.org">@alice:example.org</a>')
    assert "<script>" not in content["formatted_body"]
    edit = edit_content("$first", [release], seeded.taxonomy, mentions=["@alice:example.org"])
    assert edit["m.mentions"] == {} and edit["m.new_content"]["m.mentions"] == {"user_ids": ["@alice:example.org"]}
    plain = alert_content([release], seeded.taxonomy)
    assert (plain["msgtype"], plain["m.mentions"]) == ("m.notice", {})


async def test_the_console_prints_whom_an_alert_mentions(seeded: Runtime) -> None:
    out = io.StringIO()
    release = next(iter(seeded.store.releases.all()))
    sub = Subscription(id=1, platform="console", channel="c", agencies=["europol"], mentions=["console"])
    await ConsolePlatform(out).post_alert("", "c", [release], style=AlertStyle([sub]))
    await ConsolePlatform(out).post_alert("", "c", [release], style=AlertStyle([sub], compact=True))
    lines = out.getvalue().splitlines()
    assert "  Followed here: europol · /coop unsubscribe 1 to stop · cc @console" in lines
    assert lines[-1] == "  cc @console"


async def test_a_slack_alert_mentions_whoever_said_notify_end_to_end(bot: SlackBot) -> None:
    await bot.command("subscribe europol", user="U1")
    await bot.command("notify", user="U7")
    source = await bot.watch_feed()
    await bot.publish(source, ("new", "Europol news", "Europol supported an action day."))
    (post,) = bot.fake.called("chat.postMessage")
    assert "cc <@U7>" in post["text"] and "<@U1>" not in json.dumps(post)
    assert post["blocks"][-1]["elements"][0]["text"].endswith("/coop unsubscribe 1 to stop · cc <@U7>")


async def test_a_slack_member_who_leaves_the_channel_is_no_longer_mentioned_there(bot: SlackBot) -> None:
    await bot.command("subscribe europol", user="U1")
    await bot.command("notify", user="U7")
    await bot.command("notify", user="U8")
    await bot.command("subscribe europol", user="U1", channel="C2")
    await bot.command("notify", user="U7", channel="C2")
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "EvLeft",
                       "event_time": 1, "event": {"type": "member_left_channel", "user": "U7", "channel": "C1",
                                                  "channel_type": "C", "team": "T1"}})
    async with aiohttp.ClientSession() as session, session.post(
            bot.events, data=body, headers=signed_headers(SECRET, body, content_type="application/json")) as response:
        assert response.status == 200
    subs = bot.runtime.store.subscriptions
    await wait_until(lambda: subs.for_channel("slack", "T1", "C1")[0].mentions == ["U8"])
    assert subs.for_channel("slack", "T1", "C2")[0].mentions == ["U7"]  # still in the other channel
