"""`format compact`: a channel that gets many alerts has one line per release instead of a card, on every platform."""

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
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.conftest import CHANNEL
from tests.fakeplatform import RecordingPlatform
from tests.slackbot import SlackBot

FAST = DeliverySettings(digest_after=3, per_channel_interval=0, max_attempts=4, retry_base=0, batch=50)
HOSTILE = "Raid <!channel> <b>x</b> & <https://evil.example|Europol>"


def _release(n: int, text: str = "Europol supported the operation.", title: str = "") -> Release:
    title = title or f"Operation {n}"
    return Release(id=f"rel{n}", source_id="t", publisher="europol", title=title, text=text,
                   url=f"https://europol.example/{n}", content_hash=content_hash(title, text))


def test_format_says_and_changes_how_alerts_look(deps: Deps) -> None:
    assert handle("format", CHANNEL, deps).text.startswith("Alerts in this channel are full cards")
    changed = handle("format compact", CHANNEL, deps)
    assert changed.text.startswith("Alerts in this channel are compact: one line per release")
    assert changed.visibility is Visibility.CHANNEL
    assert handle("style", CHANNEL, deps).text.startswith("Alerts in this channel are compact")
    assert handle("format full", CHANNEL, deps).text.startswith("Alerts in this channel are full cards")
    refused = handle("format huge", CHANNEL, deps)
    assert refused.error and refused.text == "format takes full or compact, for example: /coop format compact"
    guest = CommandContext(platform="console", channel="C1", workspace="T1", can_change_subscriptions=False,
                           refusal="Ask a moderator.")
    assert handle("format compact", guest, deps).text == "Ask a moderator."
    assert not deps.store.channels.look("console", "T1", "C1").compact


async def test_only_the_compact_channel_gets_compact_alerts_and_edits(runtime: Runtime) -> None:
    for channel in ("C1", "C2"):
        runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, agencies=["europol"]))
    runtime.ingestor.subscriptions_changed()
    runtime.store.channels.set_compact("fake", "", "C2", True)
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(_release(1))
    await worker.run_once()
    compact = {channel: platform.compact[f"ref-{n + 1}"] for n, (channel, _) in enumerate(platform.posts)}
    assert compact == {"C1": False, "C2": True}
    runtime.ingestor.ingest(_release(1, "Europol supported the operation: six arrests."))
    await worker.run_once()
    assert sorted((channel, platform.compact[ref]) for channel, ref, _ in platform.edits) == [("C1", False),
                                                                                            ("C2", True)]


async def test_a_compact_alert_is_one_line_on_each_platform_with_the_feed_text_escaped(seeded: Runtime) -> None:
    release = seeded.ingestor.prepare(_release(1, title=HOSTILE))
    europol = Subscription(id=1, platform="x", channel="C1", agencies=["europol"])
    assert AlertStyle([europol], compact=True).named == () and AlertStyle([europol]).named == [europol]
    slack = alert_message([release], seeded.taxonomy, compact=True)
    (block,) = slack["blocks"]  # no summary, no buttons
    assert block["type"] == "section" and block["text"]["text"].count("\n") == 0
    assert block["text"]["text"].startswith("*<https://europol.example/1|Raid &lt;!channel&gt; &lt;b&gt;x&lt;/b&gt; "
                                            "&amp; &lt;https://evil.example|Europol&gt;>* · Europol · ")
    matrix = alert_content([release], seeded.taxonomy, compact=True)
    first, address = matrix["body"].split("\n")
    assert first.startswith(f"New: {HOSTILE} · Europol · ") and address == "https://europol.example/1"
    assert "<!channel>" not in matrix["formatted_body"] and "&lt;b&gt;x" in matrix["formatted_body"]
    assert "<br>" not in matrix["formatted_body"]
    out = io.StringIO()
    await ConsolePlatform(out).post_alert("", "c", [release], style=AlertStyle(compact=True))
    (line,) = out.getvalue().splitlines()
    assert line.startswith(f"[NEW] {HOSTILE} · ") and line.endswith("(rel1)")


def test_a_compact_digest_is_a_list_of_lines(seeded: Runtime) -> None:
    releases = [seeded.ingestor.prepare(_release(n)) for n in range(12)]
    slack = alert_message(releases, seeded.taxonomy, compact=True)
    assert len(slack["blocks"]) == 1
    text = slack["blocks"][0]["text"]["text"]
    assert text.splitlines()[0] == "*12 new releases*" and len(text.splitlines()) == 13
    assert all(line.startswith("• *<https://europol.example/") for line in text.splitlines()[1:])
    matrix = alert_content(releases, seeded.taxonomy, compact=True)
    assert matrix["formatted_body"].count("<li>") == 12 and matrix["body"].count("\n• ") == 12
    long = [seeded.ingestor.prepare(_release(n, title="Long title " * 25)) for n in range(20)]
    sections = alert_message(long, seeded.taxonomy, compact=True)["blocks"]
    assert len(sections) > 1 and all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert sum(s["text"]["text"].count("• ") for s in sections) == 20  # every release, none cut


async def test_a_compact_slack_channel_gets_one_line_alerts_end_to_end(bot: SlackBot) -> None:
    await bot.command("subscribe europol")
    await bot.command("format compact")
    source = await bot.watch_feed()
    await bot.publish(source, ("new", "Europol news", "Europol supported an action day."))
    (post,) = bot.fake.called("chat.postMessage")
    assert [block["type"] for block in post["blocks"]] == ["section"]
    assert "Europol news" in json.dumps(post["blocks"]) and "Followed here" not in json.dumps(post)


def test_subscriptions_say_when_alerts_here_are_compact_or_never_threaded(deps: Deps) -> None:
    handle("subscribe europol", CHANNEL, deps)
    assert handle("subscriptions", CHANNEL, deps).lines == ["  1: europol"]  # the defaults go without saying
    handle("format compact", CHANNEL, deps)
    assert handle("subscriptions", CHANNEL, deps).lines[-1] == (
        "Alerts here come one line per release (/coop format full for cards).")
    handle("threads off", CHANNEL, deps)
    assert handle("subscriptions", CHANNEL, deps).lines[-1] == (
        "Alerts here come one line per release (/coop format full for cards) and never in a story's thread "
        "(/coop threads on).")
