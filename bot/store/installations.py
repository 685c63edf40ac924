"""Slack workspaces that installed coop through OAuth, with the bot token Slack issued to each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from bot.models import utcnow
from bot.store.dialect import upsert
from bot.store.schema import slack_installations


@dataclass(frozen=True)
class SlackInstallation:
    team_id: str
    bot_token: str
    bot_id: str | None = None
    bot_user_id: str | None = None
    enterprise_id: str | None = None
    installed_at: datetime | None = None


class InstallationRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, install: SlackInstallation) -> None:
        """A reinstall replaces the workspace's token."""
        values: dict[str, object] = {
            "team_id": install.team_id, "enterprise_id": install.enterprise_id, "bot_token": install.bot_token,
            "bot_id": install.bot_id, "bot_user_id": install.bot_user_id, "installed_at": utcnow(),
        }
        with self.engine.begin() as conn:
            conn.execute(upsert(conn, slack_installations, values, ["team_id"]))

    def find(self, team_id: str) -> SlackInstallation | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(slack_installations).where(slack_installations.c.team_id == team_id)).first()
        if row is None:
            return None
        return SlackInstallation(row.team_id, row.bot_token, row.bot_id, row.bot_user_id, row.enterprise_id,
                                 row.installed_at)

    def delete(self, team_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(slack_installations.delete().where(slack_installations.c.team_id == team_id))
