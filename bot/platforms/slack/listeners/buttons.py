"""The buttons on release cards: share to channel, more like this, subscribe to the agency, more results."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.blocks import alert_message, reply_message
from bot.platforms.slack.listeners.answer import Answers
from bot.platforms.slack.listeners.context import command_context, from_action_body
from handlers.context import Deps
from handlers.replies import Reply


def more_like(release_id: str, deps: Deps) -> str:
    """A search for the release's own tags: its first area and its lead agency."""
    release = deps.store.releases.get(release_id)
    if release is None:
        return f"show {release_id}"
    terms = [f"area:{a}" for a in release.tags.area_ids()[:1]] + [f"agency:{a}" for a in release.tags.agency_ids()[:1]]
    return "search " + " ".join(terms) if terms else f"search {release.title}"


def register(app: AsyncApp, deps: Deps, answer: Answers) -> None:
    @app.action(re.compile("^coop_(share|more_like|subscribe|page)$"))
    async def coop_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond,
                          client: AsyncWebClient) -> None:
        await ack()
        team, channel, user = from_action_body(body)
        ctx = command_context(team, channel, user)
        kind, value = action["action_id"].removeprefix("coop_"), str(action.get("value", ""))
        if kind == "share":
            release = await asyncio.to_thread(deps.store.releases.get, value)
            if release is None:
                await respond(**reply_message(Reply(text="That release is no longer in the store.", error=True)))
                return
            await client.chat_postMessage(channel=channel, **alert_message([release], deps.taxonomy))
            return
        text = {"more_like": lambda: more_like(value, deps), "subscribe": lambda: f"subscribe agency:{value}",
                "page": lambda: value}[kind]()
        await respond(**await answer(text, ctx))
