"""Who asked where, read from a Slack payload, and whether they may administer sources."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from handlers.context import CommandContext

PLATFORM = "slack"


async def is_workspace_admin(client: AsyncWebClient, user_id: str) -> bool:
    try:
        response = await client.users_info(user=user_id)
    except Exception:  # an unknown user or a missing scope: not an admin
        return False
    user = response.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner"))


def command_context(team: str, channel: str, user: str, is_admin: bool = False) -> CommandContext:
    return CommandContext(platform=PLATFORM, workspace=team, channel=channel, user=user, is_admin=is_admin)


def from_action_body(body: dict[str, Any]) -> tuple[str, str, str]:
    team = (body.get("team") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    user = (body.get("user") or {}).get("id", "")
    return team, channel, user
