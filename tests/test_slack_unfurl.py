"""A link to a release pasted in Slack unfolds into coop's card for it: the tags and the summary, as coop knows it."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Any

import aiohttp

from bot.models import Release
from bot.platforms.slack.app import BOT_SCOPES
from bot.settings import PROJECT_ROOT
from tests.fakeslack import signed_headers
from tests.slackbot import SECRET, SlackBot, wait_until

URL = "https://www.europol.europa.eu/media-press/newsroom/news/ransomware-gang-taken-down"
RELEASE = Release(id="unfurl00001", source_id="europol", publisher="europol", url=URL,
                  title="Europol and Eurojust take down a ransomware gang", published=datetime(2024, 2, 14, tzinfo=UTC),
                  text="Europol and Eurojust supported the German and Dutch authorities in an action day against a "
                       "ransomware gang. Servers were seized in Germany and the Netherlands.")


async def _link_shared(bot: SlackBot, event: dict[str, Any]) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "Ev9",
                       "event_time": 1, "event": {"type": "link_shared", "user": "U1", **event}})
    headers = signed_headers(SECRET, body, content_type="application/json")
    async with aiohttp.ClientSession() as session, session.post(bot.events, data=body, headers=headers) as response:
        assert response.status == 200


async def test_a_pasted_link_to_a_stored_release_unfolds_into_its_card(bot: SlackBot) -> None:
    bot.runtime.ingestor.ingest(RELEASE, announce=False)
    other = "https://example.org/not-a-release"
    await _link_shared(bot, {"channel": "C1", "message_ts": "1700000000.000100",
                             "links": [{"domain": "europol.europa.eu", "url": URL + "?utm_source=x"},
                                       {"domain": "example.org", "url": other}]})
    await wait_until(lambda: bot.fake.called("chat.unfurl"))
    call = bot.fake.called("chat.unfurl")[0]
    assert (call["channel"], call["ts"]) == ("C1", "1700000000.000100")
    unfurls = json.loads(call["unfurls"]) if isinstance(call["unfurls"], str) else call["unfurls"]
    assert list(unfurls) == [URL + "?utm_source=x"]  # the link as pasted; the other one keeps Slack's preview
    text = json.dumps(unfurls)
    assert "ransomware gang" in text and "Europol, Eurojust" in text and "cybercrime" in text
    assert "coop_share" not in text  # sharing a link that is already in the channel would post it twice


async def test_a_message_with_no_link_coop_knows_is_left_to_slack(bot: SlackBot) -> None:
    bot.runtime.ingestor.ingest(RELEASE, announce=False)
    await _link_shared(bot, {"channel": "C1", "message_ts": "1700000000.000200",
                             "links": [{"domain": "europol.europa.eu", "url": URL + "-not-stored"}]})
    await _link_shared(bot, {"channel": "C1", "message_ts": "1700000000.000300", "links": []})
    await _link_shared(bot, {"channel": "C1", "message_ts": "1700000000.000400",
                             "links": [{"domain": "europol.europa.eu", "url": URL}]})
    await wait_until(lambda: bot.fake.called("chat.unfurl"))
    await asyncio.sleep(0.3)  # the listeners run after Slack is answered: give the first two time to misbehave
    assert [call["ts"] for call in bot.fake.called("chat.unfurl")] == ["1700000000.000400"]


async def test_a_link_in_a_message_being_written_unfolds_by_its_unfurl_id(bot: SlackBot) -> None:
    bot.runtime.ingestor.ingest(RELEASE, announce=False)
    await _link_shared(bot, {"channel": "COMPOSER", "message_ts": "U1-abc", "unfurl_id": "Uf1", "source": "composer",
                             "links": [{"domain": "europol.europa.eu", "url": URL}]})
    await wait_until(lambda: bot.fake.called("chat.unfurl"))
    call = bot.fake.called("chat.unfurl")[0]
    assert (call["unfurl_id"], call["source"]) == ("Uf1", "composer") and "ts" not in call


def test_the_manifest_asks_for_the_scopes_and_events_the_app_uses() -> None:
    # an install from the manifest and an OAuth install must grant the same: unfurling needs links:read and write
    manifest = (PROJECT_ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    bot_scopes = manifest.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    assert re.findall(r"^\s+- ([\w:.]+)", bot_scopes, re.MULTILINE) == BOT_SCOPES
    assert re.search(r"bot_events:\n\s+- link_shared", manifest)
