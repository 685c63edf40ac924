"""Runs a line of chat text as a command; the one place where a failing command becomes a short message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType

from handlers.commands import (
    agencies,
    alert_format,
    areas,
    latest,
    links,
    notify,
    pause,
    resume,
    search,
    show,
    sources,
    stats,
    subscribe,
    subscriptions,
    threads,
    timezone,
    unsubscribe,
)
from handlers.commands import help as help_command
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand, parse
from handlers.replies import Reply

logger = logging.getLogger(__name__)

COMMANDS: dict[str, ModuleType] = {
    "help": help_command,
    "search": search,
    "latest": latest,
    "show": show,
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "subscriptions": subscriptions,
    "pause": pause,
    "resume": resume,
    "notify": notify,
    "agencies": agencies,
    "areas": areas,
    "sources": sources,
    "stats": stats,
    "timezone": timezone,
    "threads": threads,
    "format": alert_format,
    "export": links,
}


def handle(text: str, ctx: CommandContext, deps: Deps) -> Reply:
    command = parse(text)
    runner: Callable[[ParsedCommand, CommandContext, Deps], Reply] = COMMANDS[command.name].run
    try:
        return runner(command, ctx, deps)
    except Exception:
        logger.exception("command failed: %r", command.raw)
        return Reply(text="Sorry, that command failed on my side. It has been logged; please try again.", error=True)
