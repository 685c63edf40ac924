"""Slack as a delivery platform for the outbox: post, edit, check whether a send landed, tell a channel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import CARD, AlertStyle, PermanentError, TransientError
from bot.models import Release
from bot.platforms.slack.blocks import SLASH_COMMAND, alert_message
from bot.platforms.slack.text import escape
from bot.store import Store
from bot.taxonomy import Taxonomy
from handlers.replies import followed_line

# The channel is gone or the bot cannot post there: retrying will not help, the subscription is paused.
PERMANENT = {"not_in_channel", "channel_not_found", "is_archived", "account_inactive", "invalid_auth",
             "token_revoked", "missing_scope", "restricted_action", "team_access_not_granted"}
HISTORY_LOOKBACK = 100


def client_for(token: str, base_url: str | None) -> AsyncWebClient:
    if base_url:
        return AsyncWebClient(token=token, base_url=base_url.rstrip("/") + "/")
    return AsyncWebClient(token=token)


async def call(request: Awaitable[Any]) -> Any:
    """A Web API call with Slack's failures translated for the outbox (429 and 5xx retry, gone stops)."""
    try:
        return await request
    except SlackApiError as error:
        response = error.response
        data = response.data if response is not None and isinstance(response.data, dict) else {}
        code = str(data.get("error", ""))
        if response is not None and response.status_code == 429:
            retry_after = float(response.headers.get("Retry-After", response.headers.get("retry-after", 1)))
            raise TransientError("ratelimited", retry_after=retry_after) from error
        if code in PERMANENT:
            raise PermanentError(code) from error
        raise TransientError(code or f"HTTP {response.status_code if response is not None else '?'}") from error
    except (aiohttp.ClientError, TimeoutError) as error:
        raise TransientError(f"Slack unreachable: {error}") from error


def _ts(message_ref: str) -> str:
    """The message's timestamp, Slack's ID for it, from our reference to it ("C123:1712345678.000100")."""
    return message_ref.partition(":")[2]


class InstalledClients:
    """OAuth mode: a Web API client per workspace, with the bot token its install left in the store."""

    def __init__(self, store: Store, base_url: str | None) -> None:
        self.store = store
        self.base_url = base_url
        self._clients: dict[str, AsyncWebClient] = {}

    async def __call__(self, workspace: str) -> AsyncWebClient:
        install = await asyncio.to_thread(self.store.slack_installations.find, workspace)
        if install is None:
            raise PermanentError(f"workspace {workspace} has not installed coop (or uninstalled it)")
        client = self._clients.get(workspace)
        if client is None or client.token != install.bot_token:  # a reinstall brings a new token
            client = self._clients[workspace] = client_for(install.bot_token, self.base_url)
        return client


class SlackPlatform:
    name = "slack"
    prefix = SLASH_COMMAND

    def __init__(self, client: AsyncWebClient, taxonomy: Taxonomy,
                 clients: Callable[[str], Awaitable[AsyncWebClient]] | None = None) -> None:
        self.client = client
        self.taxonomy = taxonomy
        self.clients = clients

    async def client_of(self, workspace: str) -> AsyncWebClient:
        return await self.clients(workspace) if self.clients else self.client

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        message = alert_message(releases, self.taxonomy, note=followed_line(style.named, SLASH_COMMAND, style.waited),
                                compact=style.compact, mentions=style.mentions)
        if thread:
            message["thread_ts"] = _ts(thread)
        client = await self.client_of(workspace)
        response = await call(client.chat_postMessage(channel=channel, **message))
        return f"{response['channel']}:{response['ts']}"

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        channel_id, _, ts = message_ref.partition(":")
        message = alert_message(releases, self.taxonomy, updated=True, note=followed_line(style.named, SLASH_COMMAND),
                                compact=style.compact, mentions=style.mentions)
        message.pop("unfurl_links"), message.pop("unfurl_media")
        await call((await self.client_of(workspace)).chat_update(channel=channel_id, ts=ts, **message))
        return message_ref

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        """After a crash: was this release already posted? Our messages carry its ID in their metadata. A reply is
        not in the channel's history, only in its thread's."""
        client = await self.client_of(workspace)
        if thread:
            request = client.conversations_replies(channel=channel, ts=_ts(thread), limit=HISTORY_LOOKBACK,
                                                   include_all_metadata=True)
        else:
            request = client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True)
        response = await call(request)
        for message in response.get("messages", []):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            same_revision = int(payload.get("revision", 1)) >= release.revision  # an update may still be due
            if release.id in str(payload.get("release_ids", "")).split(",") and same_revision:
                return f"{channel}:{message['ts']}"
        return None

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        await call((await self.client_of(workspace)).chat_postMessage(channel=channel, text=escape(text)))
