"""The console platform: alerts print to the terminal; `/coop ...` or `!coop ...` lines typed or piped are answered."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from textwrap import indent
from typing import TextIO

from bot.delivery import CARD, AlertStyle
from bot.language import language_note
from bot.models import Release
from bot.textutil import truncate_words
from handlers.replies import followed_line

PLATFORM = "console"
PREFIX = "/coop"  # how commands are typed here, in the alerts' hints
CHANNEL = "console"


def alert_text(release: Release, prefix: str = "NEW", compact: bool = False) -> str:
    tags = ", ".join([*release.tags.agency_ids(), *release.tags.area_ids(), *release.tags.country_codes()])
    meta = f"{release.date:%d %b %Y}{language_note(release.language)} · {tags}"
    if compact:
        return f"[{prefix}] {release.title} · {meta}  ({release.id})"
    lines = [f"[{prefix}] {release.title}  ({release.id})", f"  {meta}"]
    if release.summary:
        lines.append("  " + truncate_words(release.summary, 300))
    if release.url:
        lines.append(f"  {release.url}")
    return "\n".join(lines)


class ConsolePlatform:
    name = PLATFORM
    prefix = PREFIX

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._count = 0

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        if len(releases) == 1 and thread:  # a terminal has no threads: the reply is indented under the story's line
            story = releases[0].story
            label = f"SAME STORY as {story}" if story else "SAME STORY"
            self._print(indent(alert_text(releases[0], label, style.compact), "    "))
        elif len(releases) == 1:
            self._print(alert_text(releases[0], compact=style.compact))
        else:
            self._print(f"[DIGEST] {len(releases)} new releases")
            for release in releases:
                self._print(alert_text(release, "·", style.compact))
        self._note(style)
        self._count += 1
        return f"console-{self._count}"

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        # a terminal cannot edit a line
        self._print(alert_text(changed, f"UPDATED rev {changed.revision}", style.compact))
        self._note(style)
        return message_ref

    def _note(self, style: AlertStyle) -> None:
        cc = f"cc {', '.join(f'@{user}' for user in style.mentions)}" if style.mentions else ""
        if note := " · ".join(part for part in (followed_line(style.named, PREFIX, style.waited), cc) if part):
            self._print(f"  {note}")

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        return None  # a terminal keeps no record to ask; at worst a line prints twice after a crash

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        self._print(f"[coop] {text}")


async def read_commands(
    answer: Callable[[str], Awaitable[str]], out: TextIO, source: TextIO | None = None, prompt: bool = True
) -> None:
    """Reads lines until end of input; blocking reads run in a thread so the event loop keeps sending alerts."""
    stream = source or sys.stdin
    interactive = prompt and stream.isatty()
    while True:
        if interactive:
            print("coop> ", end="", file=out, flush=True)
        line = await asyncio.to_thread(stream.readline)
        if not line:
            return
        if line.strip():
            print(await answer(line), file=out, flush=True)
