"""The Slack app as the tests run it: served over real HTTP, signed like Slack signs, against a fake Web API and a
feed server on loopback. Its fixtures (`servers`, `bot`) are registered for every test by conftest.py."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.app import App
from bot.http_server import Handler, start_http
from bot.models import Source
from bot.platforms.slack.app import start_slack
from bot.runtime import Runtime
from bot.settings import Settings
from tests.fakeslack import FakeSlack, fake_slack, signed_headers
from tests.feedserver import FeedServer, feed_server, rss

SECRET = "test-signing-secret"
BACKLOG = ("old", "Old", "Old text")  # what the feed held before coop first read it


@dataclass
class SlackBot:
    runtime: Runtime
    app: App
    fake: FakeSlack
    feeds: FeedServer
    port: int

    @property
    def events(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def command(self, text: str, channel: str = "C1", user: str = "U1", headers: dict[str, str] | None = None
                      ) -> aiohttp.ClientResponse:
        body = urlencode({"command": "/coop", "text": text, "team_id": "T1", "channel_id": channel,
                          "user_id": user, "response_url": self.fake.response_url(), "trigger_id": "1.2"})
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.events, data=body, headers=headers or signed_headers(SECRET, body))
            await response.read()
            return response

    async def click(self, action_id: str, value: str, channel: str = "C1") -> aiohttp.ClientResponse:
        payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}, "channel": {"id": channel},
                   "response_url": self.fake.response_url(), "trigger_id": "1.2", "container": {},
                   "actions": [{"action_id": action_id, "value": value, "type": "button", "block_id": "b"}]}
        body = urlencode({"payload": json.dumps(payload)})
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.events, data=body, headers=signed_headers(SECRET, body))
            await response.read()
            return response

    async def poll_and_deliver(self, source: Source) -> None:
        await self.app.watcher.poll(source, force=True)
        await self.app.worker.run_once()

    async def watch_feed(self) -> Source:
        """Europol's feed on loopback, polled once: its backlog is stored without alerts, as on a first sync."""
        source = Source(id="loop", publisher="europol", url=self.feeds.url("/feed"))
        self.feeds.set("/feed", rss(BACKLOG))
        await self.poll_and_deliver(source)
        return source

    async def publish(self, source: Source, *items: tuple[str, str, str]) -> None:
        """The feed now carries these items (guid, title, text) above its backlog; polled, and alerts sent."""
        self.feeds.set("/feed", rss(*items, BACKLOG))
        await self.poll_and_deliver(source)


@pytest.fixture
def servers() -> Iterator[tuple[FakeSlack, FeedServer]]:
    with fake_slack() as fake, feed_server() as feeds:
        yield fake, feeds


@pytest.fixture
async def bot(servers: tuple[FakeSlack, FeedServer], tmp_path: Path) -> AsyncIterator[SlackBot]:
    fake, feeds = servers
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    settings = Settings(COOP_DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}", COOP_SOURCES=tmp_path / "sources.toml",
                        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET, COOP_SLACK_API_URL=fake.api_url,
                        COOP_HTTP_PORT=0)
    runtime = Runtime.build(settings)
    runtime.seed()
    runtime.defaults.delivery.retry_base = 0
    runtime.defaults.delivery.per_channel_interval = 0
    app = App(runtime)
    app.worker.settings.retry_base = 0
    app.worker.settings.per_channel_interval = 0
    routes: dict[str, Handler] = {}
    await start_slack(settings, app.deps(), app.platforms, routes)
    runner, port = await start_http("127.0.0.1", 0, routes)
    yield SlackBot(runtime, app, fake, feeds, port)
    await runner.cleanup()
    await app.watcher.close()
    runtime.close()


async def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out waiting")
