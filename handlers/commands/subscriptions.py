"""`subscriptions`: what this channel follows."""

from __future__ import annotations

from handlers.commands.subscribe import when
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    subs = deps.store.subscriptions.for_channel(ctx.platform, ctx.workspace, ctx.channel)
    if not subs:
        return Reply(text=f"This {ctx.place} has no subscriptions. Try: subscribe europol")
    lines = []
    for sub in subs:
        state = f" (paused: {sub.paused_reason})" if sub.paused else ""
        lines.append(f"  {sub.id}: {sub.describe()}{when(sub, deps)}{state}")
    waiting, first = deps.store.outbox.waiting(ctx.platform, ctx.workspace, ctx.channel)
    if waiting and first is not None:
        alerts = "1 alert waits" if waiting == 1 else f"{waiting} alerts wait"
        zone = deps.ingestor.zone_of((ctx.platform, ctx.workspace, ctx.channel))
        lines.append(f"{alerts} for the next digest, {first.astimezone(zone):%a %d %b %H:%M} {zone}.")
    return Reply(text=f"This {ctx.place} follows:", lines=lines)
