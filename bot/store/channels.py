"""A channel's or room's own settings: for now, the time zone its daily and weekly hours are read in."""

from __future__ import annotations

from sqlalchemy import Engine, select

from bot.store.dialect import upsert
from bot.store.schema import channel_settings

Channel = tuple[str, str, str]  # platform, workspace, channel


class ChannelSettingsRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set_timezone(self, platform: str, workspace: str, channel: str, zone: str | None) -> None:
        row: dict[str, object] = {"platform": platform, "workspace": workspace, "channel": channel, "timezone": zone}
        with self.engine.begin() as conn:
            conn.execute(upsert(conn, channel_settings, row, ["platform", "workspace", "channel"]))

    def timezones(self) -> dict[Channel, str]:
        """Every channel that set a time zone, with it."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(channel_settings).where(channel_settings.c.timezone.is_not(None))).all()
        return {(row.platform, row.workspace, row.channel): row.timezone for row in rows}
