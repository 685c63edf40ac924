"""A platform that records what it was asked to send, and can fail on demand like a real chat service."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.delivery import PermanentError, TransientError
from bot.models import Release


@dataclass
class RecordingPlatform:
    name: str = "fake"
    posts: list[tuple[str, list[str]]] = field(default_factory=list)
    edits: list[tuple[str, str, int]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)
    fail_next: list[Exception] = field(default_factory=list)
    gone_channels: set[str] = field(default_factory=set)

    async def post_alert(self, workspace: str, channel: str, releases: list[Release]) -> str:
        if channel in self.gone_channels:
            raise PermanentError("channel_not_found")
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.posts.append((channel, [r.id for r in releases]))
        return f"ref-{len(self.posts)}"

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, release: Release) -> str:
        self.edits.append((channel, message_ref, release.revision))
        return message_ref

    async def find_sent(self, workspace: str, channel: str, release: Release) -> str | None:
        return None

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        if channel in self.gone_channels:
            raise PermanentError("channel_not_found")
        self.notices.append((channel, text))


class FilePlatform:
    """Records every send as one fsynced line, so a process killed at any moment leaves the truth on disk.

    Like Slack's message metadata, it can answer "did this release already land in this channel?".
    """

    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    def _lines(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a kill did not land
        return rows

    async def post_alert(self, workspace: str, channel: str, releases: list[Release]) -> str:
        with self.path.open("a", encoding="utf-8") as handle:
            for release in releases:
                handle.write(json.dumps({"channel": channel, "release": release.id}) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return f"{channel}:{releases[0].id}"

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, release: Release) -> str:
        return message_ref

    async def find_sent(self, workspace: str, channel: str, release: Release) -> str | None:
        landed = any(r["channel"] == channel and r["release"] == release.id for r in self._lines())
        return f"{channel}:{release.id}" if landed else None

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        return None


__all__ = ["FilePlatform", "RecordingPlatform", "TransientError"]
