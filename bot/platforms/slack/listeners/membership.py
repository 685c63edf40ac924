"""A member who leaves a channel, or is removed from it, is no longer mentioned in its alerts (Slack's
member_left_channel event; it needs the channels:read and groups:read scopes)."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.platforms.slack.listeners.context import PLATFORM
from handlers.context import Deps
from handlers.membership import member_left


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("member_left_channel")
    async def forget_mentions(event: dict[str, Any], body: dict[str, Any]) -> None:
        team = str(event.get("team") or body.get("team_id", ""))
        await asyncio.to_thread(member_left, deps, PLATFORM, team, str(event["channel"]), str(event["user"]))
