"""A command's answer worked out off the event loop, a few at a time.

The command and the Block Kit rendering both run in a worker thread. Only COMMANDS_AT_ONCE run together: more
threads would not answer sooner on a store that answers in milliseconds, but they would take the interpreter
from the event loop, which must stay free to acknowledge every new slash command within Slack's three seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.platforms.slack.blocks import reply_message
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle

COMMANDS_AT_ONCE = 2


class Answers:
    """One per Slack app (so the limit lives in the app's own event loop), shared by its listeners."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._running = asyncio.Semaphore(COMMANDS_AT_ONCE)

    def _answer_now(self, text: str, ctx: CommandContext) -> dict[str, Any]:
        return reply_message(handle(text, ctx, self.deps))

    async def __call__(self, text: str, ctx: CommandContext) -> dict[str, Any]:
        async with self._running:
            return await asyncio.to_thread(self._answer_now, text, ctx)
