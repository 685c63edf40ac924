"""The App Home tab: opening coop in Slack's sidebar shows what it holds, the week's count, the newest releases and
the commands to try, rebuilt each time it is opened (Slack's app_home_opened event, views.publish)."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.blocks import SLASH_COMMAND, home_view
from handlers.context import Deps
from handlers.home import home_reply


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("app_home_opened")
    async def show_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab has nothing of coop's to show
        reply = await asyncio.to_thread(home_reply, deps, SLASH_COMMAND)
        await client.views_publish(user_id=event["user"], view=home_view(reply))
