"""/coop: acknowledged at once, answered through respond (ephemeral lookups, in-channel subscription changes)."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import COMMAND_SECONDS
from bot.platforms.slack.blocks import SLASH_COMMAND
from bot.platforms.slack.listeners.answer import Answers
from bot.platforms.slack.listeners.context import command_context, is_workspace_admin
from handlers.parser import parse


def register(app: AsyncApp, answer: Answers) -> None:
    @app.command(SLASH_COMMAND)
    async def coop_command(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond,
                           client: AsyncWebClient) -> None:
        await ack()
        started = time.monotonic()
        text = str(command.get("text") or "")
        admin = parse(text).name == "sources" and await is_workspace_admin(client, command.get("user_id", ""))
        ctx = command_context(command.get("team_id", ""), command.get("channel_id", ""),
                              command.get("user_id", ""), admin)
        await respond(**await answer(text, ctx))
        COMMAND_SECONDS.labels("slack").observe(time.monotonic() - started)
