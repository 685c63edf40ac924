"""Slack end to end: the app served over real HTTP, signed like Slack signs, against a fake Web API on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.app import App
from bot.models import Source, utcnow
from bot.platforms.slack.app import SlackAuthError, start_slack
from bot.runtime import Runtime
from bot.settings import Settings
from tests.fakeslack import FakeSlack, signed_headers
from tests.feedserver import FeedServer, rss
from tests.slackbot import BACKLOG, SECRET, SlackBot, wait_until


async def test_signed_search_is_answered_with_the_interpol_europol_seed(bot: SlackBot) -> None:
    started = time.monotonic()
    response = await bot.command("search cybercrime")
    assert response.status == 200 and time.monotonic() - started < 3.0
    await wait_until(lambda: bot.fake.responses)
    answer = bot.fake.responses[0]
    assert answer["response_type"] == "ephemeral"
    assert "Interpol and Europol Agree Joint Initiatives" in json.dumps(answer["blocks"])
    assert answer["text"]


@pytest.mark.parametrize("problem", ["unsigned", "stale", "wrong"])
async def test_bad_signatures_get_401_and_run_nothing(bot: SlackBot, problem: str) -> None:
    body = urlencode({"command": "/coop", "text": "subscribe europol", "team_id": "T1", "channel_id": "C1",
                      "user_id": "U1", "response_url": bot.fake.response_url()})
    headers = {
        "unsigned": {"Content-Type": "application/x-www-form-urlencoded"},
        "stale": signed_headers(SECRET, body, timestamp=int(time.time()) - 6 * 60),
        "wrong": signed_headers("not-the-secret", body),
    }[problem]
    async with aiohttp.ClientSession() as session:
        response = await session.post(bot.events, data=body, headers=headers)
    assert response.status == 401
    await asyncio.sleep(0.3)
    assert bot.fake.responses == []
    assert bot.runtime.store.subscriptions.active() == []


# Entity-encoded twice in the XML: the feed's text really contains "<!channel>" and a spoofed link.
HOSTILE_TITLE = "Alert &amp;lt;!channel&amp;gt; see &amp;lt;https://evil.example|Europol&amp;gt;"


async def test_subscribe_then_exactly_one_escaped_alert(bot: SlackBot) -> None:
    await bot.command("subscribe europol")
    await wait_until(lambda: bot.fake.responses)
    assert bot.fake.responses[0]["response_type"] == "in_channel"
    source = await bot.watch_feed()
    await bot.publish(source, ("new", HOSTILE_TITLE, "Contact &amp;lt;@U123&amp;gt; now"))
    await bot.poll_and_deliver(source)
    posts = bot.fake.called("chat.postMessage")
    assert len(posts) == 1 and posts[0]["channel"] == "C1"
    sent = json.dumps(posts[0])
    assert "<!channel>" not in sent and "<https://evil.example|" not in sent and "<@U123>" not in sent
    assert "&lt;!channel&gt;" in sent
    assert posts[0]["unfurl_links"] is False
    assert posts[0]["metadata"]["event_type"] == "coop_release"
    assert posts[0]["blocks"][-1]["elements"][0]["text"] == "Followed here: europol · /coop unsubscribe 1 to stop"


async def test_429_with_retry_after_then_success_posts_once(bot: SlackBot) -> None:
    await bot.command("subscribe europol")
    source = await bot.watch_feed()
    bot.fake.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    await bot.publish(source, ("new", "Europol news", "x"))
    assert bot.fake.called("chat.postMessage") == []
    await asyncio.sleep(1.1)
    await bot.app.worker.run_once()
    assert len(bot.fake.called("chat.postMessage")) == 1


async def _alert_then_correct(bot: SlackBot) -> Source:
    """C1 follows europol and got the alert for "Five arrests"; the feed now carries the correction."""
    await bot.command("subscribe europol")
    source = await bot.watch_feed()
    await bot.publish(source, ("new", "Five arrests", "Five."))
    bot.feeds.set("/feed", rss(("new", "Six arrests", "Six, not five."), BACKLOG))
    return source


async def test_an_edited_release_updates_the_message(bot: SlackBot) -> None:
    source = await _alert_then_correct(bot)
    await bot.poll_and_deliver(source)
    assert len(bot.fake.called("chat.postMessage")) == 1
    updates = bot.fake.called("chat.update")
    assert len(updates) == 1 and "Six arrests" in json.dumps(updates[0])


async def test_a_correction_to_a_release_of_a_digest_edits_the_digest_and_keeps_the_rest(bot: SlackBot) -> None:
    await bot.command("subscribe europol")
    source = await bot.watch_feed()
    burst = [(f"n{n}", f"Arrests in case {n}", f"Europol supported case {n}.") for n in range(7)]
    await bot.publish(source, *burst)
    (digest,) = bot.fake.called("chat.postMessage")
    assert "7 new releases" in json.dumps(digest)
    burst[3] = ("n3", "Arrests in case 3, corrected", "Europol supported case 3: nine arrests.")
    await bot.publish(source, *burst)
    (update,) = bot.fake.called("chat.update")
    shown = json.dumps(update)
    assert "7 new releases (updated)" in shown and "Arrests in case 3, corrected" in shown
    assert "Followed here: europol" in shown  # the edit still says why the digest came
    assert all(f"Arrests in case {n}" in shown for n in range(7))  # it used to hold the corrected release only
    assert update["channel"] == digest["channel"]


async def test_an_edit_that_landed_before_a_crash_is_not_made_twice(bot: SlackBot) -> None:
    source = await _alert_then_correct(bot)
    await bot.app.watcher.poll(source, force=True)
    store = bot.runtime.store
    (update,) = store.outbox.due(utcnow(), 10)
    release = store.releases.get(update.release_id)
    ref = store.outbox.sent_ref(update.release_id, "slack", "T1", "C1")
    assert release is not None and ref is not None
    store.outbox.mark_attempt([update.id])  # the crash: the edit reached Slack, the outbox never heard back
    await bot.app.platforms["slack"].edit_alert("T1", "C1", ref, [release], release)
    await bot.app.worker.run_once()
    assert len(bot.fake.called("chat.update")) == 1
    assert store.outbox.pending_count() == 0


async def test_channel_not_found_pauses_the_subscription(bot: SlackBot) -> None:
    await bot.command("subscribe europol", channel="CGONE")
    source = await bot.watch_feed()
    bot.fake.fail("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    bot.fake.fail("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    await bot.publish(source, ("new", "Europol news", "x"))
    subs = bot.runtime.store.subscriptions.for_channel("slack", "T1", "CGONE")
    assert subs[0].paused and subs[0].paused_reason == "channel_not_found"


async def test_buttons_do_what_they_say(bot: SlackBot) -> None:
    release = next(r for r in bot.runtime.store.releases.all() if r.publisher == "md-mia")
    assert (await bot.click("coop_subscribe", "frontex")).status == 200
    await wait_until(lambda: bot.runtime.store.subscriptions.for_channel("slack", "T1", "C1"))
    assert bot.runtime.store.subscriptions.for_channel("slack", "T1", "C1")[0].agencies == ["frontex"]
    await bot.click("coop_share", release.id)
    await wait_until(lambda: bot.fake.called("chat.postMessage"))
    assert "Leveraging global partnerships" in json.dumps(bot.fake.called("chat.postMessage")[0])
    before = len(bot.fake.responses)
    await bot.click("coop_more_like", release.id)
    await wait_until(lambda: len(bot.fake.responses) > before + 0)
    assert "Results for" in json.dumps(bot.fake.responses[-1])


async def test_invalid_auth_at_start_is_a_clear_error(servers: tuple[FakeSlack, FeedServer], tmp_path: Path) -> None:
    fake, _ = servers
    fake.fail("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    settings = Settings(COOP_DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}", COOP_SOURCES=tmp_path / "sources.toml",
                        SLACK_BOT_TOKEN="xoxb-bad", SLACK_SIGNING_SECRET=SECRET,
                        COOP_SLACK_API_URL=fake.api_url)
    runtime = Runtime.build(settings)
    app = App(runtime)
    with pytest.raises(SlackAuthError, match="invalid_auth"):
        await start_slack(settings, app.deps(), app.platforms, {})
    runtime.close()


def test_coop_run_exits_2_on_invalid_auth(servers: tuple[FakeSlack, FeedServer], tmp_path: Path) -> None:
    from tests.conftest import run_coop

    fake, _ = servers
    fake.fail("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    result = run_coop("run", env={"SLACK_BOT_TOKEN": "xoxb-bad", "SLACK_SIGNING_SECRET": SECRET,
                                  "COOP_SLACK_API_URL": fake.api_url, "COOP_HTTP_PORT": "0",
                                  "COOP_SOURCES": str(tmp_path / "sources.toml"),
                                  "COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert result.returncode == 2
    assert "invalid_auth" in result.stderr and "xoxb-bad" not in result.stderr


async def test_healthz_and_metrics(bot: SlackBot) -> None:
    async with aiohttp.ClientSession() as session:
        health = await session.get(f"http://127.0.0.1:{bot.port}/healthz")
        assert health.status == 200 and (await health.json())["status"] == "ok"
        await bot.command("help")
        metrics = await (await session.get(f"http://127.0.0.1:{bot.port}/metrics")).text()
    assert "coop_polls_total" in metrics and "coop_deliveries_total" in metrics
