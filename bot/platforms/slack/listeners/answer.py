"""A command's answer worked out off the event loop, a few at a time.

The command and the Block Kit rendering both run in a worker thread. Only COMMANDS_AT_ONCE run together: more
threads would not answer sooner on a store that answers in milliseconds, but they would take the interpreter
from the event loop, which must stay free to acknowledge every new slash command within Slack's three seconds.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from bot.platforms.slack.blocks import reply_message
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle

COMMANDS_AT_ONCE = 2
# One limit per event loop: a semaphore belongs to the loop it first waited in.
_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _limit() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _limits:
        _limits[loop] = asyncio.Semaphore(COMMANDS_AT_ONCE)
    return _limits[loop]


def _answer_now(text: str, ctx: CommandContext, deps: Deps) -> dict[str, Any]:
    return reply_message(handle(text, ctx, deps))


async def answer(text: str, ctx: CommandContext, deps: Deps) -> dict[str, Any]:
    async with _limit():
        return await asyncio.to_thread(_answer_now, text, ctx, deps)
