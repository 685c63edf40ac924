"""coop's Home tab in Slack: opening it shows what coop holds, the week's count, the newest releases and what to
type, published for the person who opened it."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import aiohttp

from bot.models import Release, utcnow
from bot.settings import PROJECT_ROOT
from tests.fakeslack import signed_headers
from tests.slackbot import SECRET, SlackBot, wait_until


async def _home_opened(bot: SlackBot, user: str, tab: str = "home") -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"Ev{user}{tab}",
                       "event_time": 1, "event": {"type": "app_home_opened", "user": user, "channel": "D1",
                                                  "tab": tab}})
    headers = signed_headers(SECRET, body, content_type="application/json")
    async with aiohttp.ClientSession() as session, session.post(bot.events, data=body, headers=headers) as response:
        assert response.status == 200


def _published_text(call: dict[str, Any]) -> str:
    view = json.loads(call["view"]) if isinstance(call["view"], str) else call["view"]
    assert view["type"] == "home"
    return json.dumps(view["blocks"], ensure_ascii=False)


async def test_opening_the_home_tab_shows_the_newest_releases_and_what_to_type(bot: SlackBot) -> None:
    await _home_opened(bot, "U7")
    await wait_until(lambda: bot.fake.called("views.publish"))
    call = bot.fake.called("views.publish")[0]
    assert call["user_id"] == "U7"
    text = _published_text(call)
    assert "3 releases" in text and "Nothing new in the last 7 days" in text  # the seeds are from 2011 to 2024
    assert text.index("Leveraging global partnerships") < text.index("Interpol and Europol Agree")  # newest first
    assert "`/coop search cybercrime`" in text and "`/coop help: every command`" in text
    assert "coop_share" not in text  # a button in the Home tab has no channel to answer in


async def test_the_home_tab_counts_the_last_seven_days_by_crime_area(bot: SlackBot) -> None:
    bot.runtime.ingestor.ingest(Release(
        id="home00000001", source_id="europol", publisher="europol", url="https://example.org/r/1",
        title="Europol takes down a ransomware gang", published=utcnow(),
        text="Europol supported the German police against a ransomware gang. Servers were seized."), announce=False)
    await _home_opened(bot, "U7")
    await wait_until(lambda: bot.fake.called("views.publish"))
    text = _published_text(bot.fake.called("views.publish")[0])
    assert "4 releases" in text and "Last 7 days: 1 release; most on cybercrime 1" in text
    assert text.index("Europol takes down a ransomware gang") < text.index("Leveraging global partnerships")


async def test_the_home_tab_lists_the_readers_own_subscriptions_by_channel(bot: SlackBot) -> None:
    commands = [("subscribe europol", "C1", "U7"), ("notify", "C1", "U7"), ("subscribe md daily", "C2", "U1"),
                ("notify", "C2", "U7"), ("subscribe olaf", "C3", "U1")]
    for n, (text, channel, user) in enumerate(commands, start=1):
        await bot.command(text, channel=channel, user=user)
        await wait_until(lambda n=n: len(bot.fake.responses) >= n)
    await _home_opened(bot, "U7")
    await _home_opened(bot, "U9")
    await wait_until(lambda: len(bot.fake.called("views.publish")) == 2)
    views = {call["user_id"]: _published_text(call) for call in bot.fake.called("views.publish")}
    assert "*Your subscriptions*" in views["U7"]
    assert "<#C1>\\n1: europol · set up by you, mentions you" in views["U7"]
    assert "<#C2>\\n2: MD, once a day at 08:00 UTC · mentions you" in views["U7"]
    assert "<#C3>" not in views["U7"] and "olaf" not in views["U7"]
    assert "None of coop's subscriptions is yours yet" in views["U9"] and "<#C" not in views["U9"]


async def test_the_messages_tab_publishes_nothing(bot: SlackBot) -> None:
    await _home_opened(bot, "U8", tab="messages")
    await _home_opened(bot, "U9")
    await wait_until(lambda: bot.fake.called("views.publish"))
    await asyncio.sleep(0.3)  # the listeners run after Slack is answered: give the first one time to misbehave
    assert [call["user_id"] for call in bot.fake.called("views.publish")] == ["U9"]


def test_the_manifest_turns_the_home_tab_on_and_subscribes_to_its_event() -> None:
    manifest = (PROJECT_ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    assert re.search(r"app_home:.*\n\s+home_tab_enabled: true", manifest)
    events = manifest.split("bot_events:\n", 1)[1].split("interactivity:", 1)[0]
    assert re.findall(r"^\s+- (\w+)", events, re.MULTILINE) == ["link_shared", "app_home_opened", "member_left_channel"]
