"""Which of a channel's subscriptions a command names: by its number from `subscriptions`, or by its terms."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.models import Subscription
from bot.store.subscriptions import terms_key
from handlers.commands.subscribe import build_subscription
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand


def named_subscription(command: ParsedCommand, ctx: CommandContext, deps: Deps,
                       subs: list[Subscription]) -> Subscription | None | str:
    """The subscription the command's words name among `subs`, None when none is, or a message saying which word
    is not understood."""
    first = command.rest.lstrip("#")  # "-3" is an exclusion, not subscription 3
    if len(command.words) == 1 and not (command.facets or command.excluded_facets) and first.isdigit():
        return next((s for s in subs if s.id == int(first)), None)
    built = build_subscription(command, ctx, deps)
    if isinstance(built, str):
        return built
    return next((s for s in subs if terms_key(s) == terms_key(built)), None)


def moment(when: datetime, zone: tzinfo) -> str:
    """A time as replies give it, in the channel's zone: Wed 02 Dec 00:00 Europe/Brussels."""
    return f"{when.astimezone(zone):%a %d %b %H:%M} {zone}"
