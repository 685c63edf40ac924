"""The App Home tab: opening coop in Slack's sidebar shows what it holds, the week's count, the reader's own
subscriptions, the newest releases and the commands to try, rebuilt each time it is opened (Slack's
app_home_opened event, views.publish)."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.blocks import SLASH_COMMAND, home_view
from bot.platforms.slack.listeners.context import PLATFORM
from handlers.context import Deps
from handlers.home import home_reply, yours


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("app_home_opened")
    async def show_home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab has nothing of coop's to show
        user = str(event["user"])
        reply = await asyncio.to_thread(home_reply, deps, SLASH_COMMAND)
        own = await asyncio.to_thread(yours, deps, PLATFORM, str(body.get("team_id", "")), user, SLASH_COMMAND)
        await client.views_publish(user_id=user, view=home_view(reply, own))
