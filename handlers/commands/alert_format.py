"""`format`: whether this channel's alerts are cards (title, summary, tags and buttons; the default) or one line per
release (compact), for channels that get many."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility

COMPACT = {"compact": True, "short": True, "lines": True, "line": True, "full": False, "cards": False, "card": False}


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    where = (ctx.platform, ctx.workspace, ctx.channel)
    if not command.words:
        return Reply(text=_state(deps.store.channels.look(*where).compact, ctx),
                     lines=[f"Change it with: {ctx.prefix} format compact, or {ctx.prefix} format full"])
    asked = " ".join(word.text for word in command.words).lower()
    if asked not in COMPACT:
        return Reply(text=f"format takes full or compact, for example: {ctx.prefix} format compact", error=True)
    if not ctx.can_change_subscriptions:
        return Reply(text=ctx.refusal or f"You may not change this {ctx.place}'s settings.", error=True)
    deps.store.channels.set_compact(*where, COMPACT[asked])
    return Reply(text=_state(COMPACT[asked], ctx), visibility=Visibility.CHANNEL)


def _state(compact: bool, ctx: CommandContext) -> str:
    if compact:
        return (f"Alerts in this {ctx.place} are compact: one line per release (its title, linked, the newsroom, "
                "the date and the tags), without summary, buttons or the subscription it came through.")
    return (f"Alerts in this {ctx.place} are full cards: title, summary, tags, buttons and the subscription each "
            "came through.")
