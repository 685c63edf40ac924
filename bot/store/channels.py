"""A channel's or room's own settings: the time zone its daily and weekly hours are read in, whether a story's
next alert comes as a reply in its thread, and whether alerts are cards or one line per release."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from bot.store.dialect import upsert
from bot.store.schema import channel_settings

Channel = tuple[str, str, str]  # platform, workspace, channel


@dataclass(frozen=True)
class Look:
    """A channel's choices about its alerts."""

    threads: bool = True  # a story's next instant alert comes as a reply to the first
    compact: bool = False  # one line per release, not a card


class ChannelSettingsRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set_timezone(self, platform: str, workspace: str, channel: str, zone: str | None) -> None:
        self._set((platform, workspace, channel), timezone=zone)

    def set_threads(self, platform: str, workspace: str, channel: str, on: bool) -> None:
        self._set((platform, workspace, channel), threads=None if on else False)

    def set_compact(self, platform: str, workspace: str, channel: str, on: bool) -> None:
        self._set((platform, workspace, channel), compact=True if on else None)

    def look(self, platform: str, workspace: str, channel: str) -> Look:
        """How alerts come here: threads or not, cards or one line each (the defaults for a channel with no row)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(channel_settings.c.threads, channel_settings.c.compact).where(
                channel_settings.c.platform == platform, channel_settings.c.workspace == workspace,
                channel_settings.c.channel == channel)).first()
        return Look() if row is None else Look(threads=row.threads is not False, compact=row.compact is True)

    def _set(self, channel: Channel, **values: object) -> None:
        """Upserts these settings and leaves the channel's others as they are."""
        platform, workspace, name = channel
        row: dict[str, object] = {"platform": platform, "workspace": workspace, "channel": name, **values}
        with self.engine.begin() as conn:
            conn.execute(upsert(conn, channel_settings, row, ["platform", "workspace", "channel"]))

    def timezones(self) -> dict[Channel, str]:
        """Every channel that set a time zone, with it."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(channel_settings).where(channel_settings.c.timezone.is_not(None))).all()
        return {(row.platform, row.workspace, row.channel): row.timezone for row in rows}
