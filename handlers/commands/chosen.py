"""Which of a channel's subscriptions a command names: by its number from `subscriptions`, or by its terms."""

from __future__ import annotations

from bot.models import Subscription
from bot.store.subscriptions import terms_key
from handlers.commands.subscribe import build_subscription
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand


def named_subscription(command: ParsedCommand, ctx: CommandContext, deps: Deps,
                       subs: list[Subscription]) -> Subscription | str:
    """The subscription the command's words name among `subs`, or a message saying which word is not understood or
    that none of them is named so."""
    first = command.rest.lstrip("#")  # "-3" is an exclusion, not subscription 3
    if len(command.words) == 1 and not (command.facets or command.excluded_facets) and first.isdigit():
        found = next((s for s in subs if s.id == int(first)), None)
    elif isinstance(built := build_subscription(command, ctx, deps), str):
        return built
    else:
        found = next((s for s in subs if terms_key(s) == terms_key(built)), None)
    return found or no_such(ctx)


def no_such(ctx: CommandContext) -> str:
    return f"This {ctx.place} has no such subscription. See them with: subscriptions"


def chosen_subscriptions(command: ParsedCommand, ctx: CommandContext, deps: Deps,
                         subs: list[Subscription]) -> list[Subscription] | str:
    """The one subscription the command names, or all of `subs` when it names none (`pause`, `notify`); a message
    when it names one the channel does not have."""
    if not (command.words or command.facets or command.excluded_facets):
        return subs
    target = named_subscription(command, ctx, deps, subs)
    return target if isinstance(target, str) else [target]


def listed(subs: list[Subscription]) -> list[str]:
    """A reply's lines naming the subscriptions it changed, when it changed more than one."""
    return [f"  {sub.id}: {sub.describe()}" for sub in subs] if len(subs) > 1 else []
