"""`subscriptions`: what this channel follows."""

from __future__ import annotations

from datetime import tzinfo

from bot.models import HELD_UNTIL_RESUMED, Subscription
from handlers.commands.subscribe import when
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, moment


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    subs = deps.store.subscriptions.for_channel(ctx.platform, ctx.workspace, ctx.channel)
    if not subs:
        return Reply(text=f"This {ctx.place} has no subscriptions. Try: subscribe europol")
    zone = deps.ingestor.zone_of((ctx.platform, ctx.workspace, ctx.channel))
    lines = [f"  {sub.id}: {sub.describe()}{when(sub, deps)}{_state(sub, zone, deps)}{_mentioned(sub, ctx)}"
             for sub in subs]
    waiting, first = deps.store.outbox.waiting(ctx.platform, ctx.workspace, ctx.channel)
    if waiting and first is not None:
        alerts = "1 alert waits" if waiting == 1 else f"{waiting} alerts wait"
        if first >= HELD_UNTIL_RESUMED:
            lines.append(f"{alerts} for this {ctx.place}'s paused subscriptions to resume ({ctx.prefix} resume).")
        else:
            lines.append(f"{alerts} for the next digest, {moment(first, zone)}.")
    return Reply(text=f"This {ctx.place} follows:", lines=lines + _choices(ctx, deps))


def _choices(ctx: CommandContext, deps: Deps) -> list[str]:
    """The channel's choices about how alerts look, when they are not the defaults: whoever wonders why alerts
    here are single lines, or never threaded, finds it where the subscriptions are."""
    look = deps.store.channels.look(ctx.platform, ctx.workspace, ctx.channel)
    choices = [f"one line per release ({ctx.prefix} format full for cards)"] if look.compact else []
    if not look.threads:
        choices.append(f"never in a story's thread ({ctx.prefix} threads on)")
    return [f"Alerts here come {' and '.join(choices)}."] if choices else []


def _state(sub: Subscription, zone: tzinfo, deps: Deps) -> str:
    if sub.paused:
        return f" (paused: {sub.paused_reason})"
    if (until := sub.held_at(deps.now())) is None:
        return ""
    return " (paused until resumed)" if until >= HELD_UNTIL_RESUMED else f" (paused until {moment(until, zone)})"


def _mentioned(sub: Subscription, ctx: CommandContext) -> str:
    """Who its alerts mention (`notify`), as far as the person asking needs to know: themselves, and how many more."""
    others = len([user for user in sub.mentions if user != ctx.user])
    if ctx.user in sub.mentions:
        return " · mentions you" + (f" and {others} other{'s' if others > 1 else ''}" if others else "")
    return f" · mentions {others} {'person' if others == 1 else 'people'}" if others else ""
