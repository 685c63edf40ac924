"""Slack OAuth: installed into a second workspace through the real install pages, then used with its own token."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.app import App
from bot.http_server import Handler, start_http
from bot.models import Release, Subscription
from bot.platforms.slack.app import start_slack
from bot.runtime import Runtime
from bot.settings import Settings
from bot.textutil import content_hash
from tests.fakeslack import FakeSlack, fake_slack, signed_headers

SECRET = "oauth-signing-secret"


@dataclass
class OAuthBot:
    runtime: Runtime
    app: App
    fake: FakeSlack
    base: str
    last_redirect: tuple[dict[str, str], dict[str, str]] = ({}, {})

    async def install(self, session: aiohttp.ClientSession, code: str = "code-1") -> aiohttp.ClientResponse:
        """What a workspace admin does: open the install page, approve at Slack, come back with a code."""
        page = await session.get(f"{self.base}/slack/install")
        state = re.search(r"state=([\w-]+)", await page.text())
        assert page.status == 200 and state, await page.text()
        # the state cookie is marked Secure (Slack apps are served over TLS); a browser behind TLS sends it back
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in page.cookies.items())
        self.last_redirect = {"code": code, "state": state[1]}, {"Cookie": cookie}
        return await self.come_back(session)

    async def come_back(self, session: aiohttp.ClientSession) -> aiohttp.ClientResponse:
        """Slack sending the installer back to coop with the last install's code, state and cookie."""
        params, headers = self.last_redirect
        response = await session.get(f"{self.base}/slack/oauth_redirect", params=params, headers=headers)
        await response.read()
        return response

    def publish(self, team: str, channel: str, release_id: str) -> None:
        """A channel of `team` follows europol, and a Europol release arrives."""
        self.runtime.store.subscriptions.add(Subscription(platform="slack", workspace=team, channel=channel,
                                                          agencies=["europol"]))
        self.runtime.ingestor.subscriptions_changed()
        title, text = f"Europol news {release_id}", "Europol supported the action."
        self.runtime.ingestor.ingest(Release(id=release_id, source_id="t", publisher="europol", title=title,
                                             text=text, content_hash=content_hash(title, text)))

    async def command(self, text: str, team: str, channel: str) -> int:
        body = urlencode({"command": "/coop", "text": text, "team_id": team, "channel_id": channel,
                          "user_id": "U2", "response_url": self.fake.response_url(), "trigger_id": "1.2"})
        async with aiohttp.ClientSession() as session, session.post(
                f"{self.base}/slack/events", data=body, headers=signed_headers(SECRET, body)) as response:
            return response.status


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[OAuthBot]:
    with fake_slack() as fake:
        (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
        settings = Settings(COOP_DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}",
                            COOP_SOURCES=tmp_path / "sources.toml", SLACK_CLIENT_ID="111.222",
                            SLACK_CLIENT_SECRET="client-secret", SLACK_SIGNING_SECRET=SECRET,
                            COOP_SLACK_API_URL=fake.api_url)
        runtime = Runtime.build(settings)
        runtime.seed()
        app = App(runtime)
        app.worker.settings.per_channel_interval = 0
        routes: dict[str, Handler] = {}
        await start_slack(settings, app.deps(), app.platforms, routes)
        runner, port = await start_http("127.0.0.1", 0, routes)
        yield OAuthBot(runtime, app, fake, f"http://127.0.0.1:{port}")
        await runner.cleanup()
        await app.watcher.close()
        runtime.close()


async def test_an_install_stores_the_workspace_token_and_coop_then_works_there(bot: OAuthBot) -> None:
    async with aiohttp.ClientSession() as session:
        response = await bot.install(session)
    assert response.status == 200
    exchange = bot.fake.called("oauth.v2.access")
    assert len(exchange) == 1 and exchange[0]["code"] == "code-1"
    install = bot.runtime.store.slack_installations.find("T2")
    assert install is not None and install.bot_token == "xoxb-T2"

    assert await bot.command("search cybercrime", team="T2", channel="C2") == 200
    for _ in range(100):
        if bot.fake.responses:
            break
        await asyncio.sleep(0.05)
    assert "INTERPOL AND EUROPOL" in json.dumps(bot.fake.responses).upper()  # answered in the new workspace
    bot.publish("T2", "C2", "new-1")
    await bot.app.worker.run_once()
    posts = bot.fake.called("chat.postMessage")
    assert [(p["channel"], p["_token"]) for p in posts] == [("C2", "xoxb-T2")]  # the workspace's own token


async def test_uninstalling_removes_the_workspace_token(bot: OAuthBot) -> None:
    async with aiohttp.ClientSession() as session:
        await bot.install(session)
    assert bot.runtime.store.slack_installations.find("T2") is not None
    body = json.dumps({"type": "event_callback", "team_id": "T2", "api_app_id": "A1", "event_id": "Ev1",
                       "event_time": 1, "event": {"type": "app_uninstalled"}})
    headers = signed_headers(SECRET, body, content_type="application/json")
    async with aiohttp.ClientSession() as session, session.post(f"{bot.base}/slack/events", data=body,
                                                                headers=headers) as response:
        assert response.status == 200
    for _ in range(100):
        if bot.runtime.store.slack_installations.find("T2") is None:
            break
        await asyncio.sleep(0.05)
    assert bot.runtime.store.slack_installations.find("T2") is None


async def test_a_forged_state_installs_nothing(bot: OAuthBot) -> None:
    async with aiohttp.ClientSession() as session:
        forged = await session.get(f"{bot.base}/slack/oauth_redirect", params={"code": "c", "state": "made-up"})
        await forged.read()
    assert forged.status >= 400
    assert bot.fake.called("oauth.v2.access") == []
    assert bot.runtime.store.slack_installations.find("T2") is None


async def test_a_state_is_good_for_one_install_only(bot: OAuthBot) -> None:
    async with aiohttp.ClientSession() as session:
        assert (await bot.install(session)).status == 200
        replayed = await bot.come_back(session)
    assert replayed.status >= 400
    assert len(bot.fake.called("oauth.v2.access")) == 1


async def test_a_workspace_that_never_installed_pauses_its_subscriptions(bot: OAuthBot) -> None:
    bot.publish("T9", "C9", "new-2")
    await bot.app.worker.run_once()
    subs = bot.runtime.store.subscriptions.for_channel("slack", "T9", "C9")
    assert subs[0].paused and "has not installed coop" in (subs[0].paused_reason or "")
    assert bot.fake.called("chat.postMessage") == []
