"""`resume`: alerts come again, after `pause` or after coop stopped them because the channel refused it; the alerts
that waited come now (daily and weekly ones at their hour)."""

from __future__ import annotations

from bot.models import Subscription
from handlers.commands.chosen import named_subscription
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility, moment


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not ctx.can_change_subscriptions:
        return ctx.refused()
    where, now = (ctx.platform, ctx.workspace, ctx.channel), deps.now()
    subs = deps.store.subscriptions.for_channel(*where)
    paused = [sub for sub in subs if sub.paused or sub.held_at(now)]
    if command.words or command.facets or command.excluded_facets:
        target = named_subscription(command, ctx, deps, subs)
        if isinstance(target, str):
            return Reply(text=target, error=True)
        if target not in paused:
            return Reply(text=f"Subscription {target.id} ({target.describe()}) is not paused.", error=True)
        paused = [target]
    if not paused:
        return Reply(text=f"Nothing in this {ctx.place} is paused. Pause its alerts with: {ctx.prefix} pause")
    deps.store.subscriptions.resume(*where, [sub.id for sub in paused])
    deps.ingestor.subscriptions_changed()
    waited = deps.ingestor.reschedule_held(*where)
    lines = [f"  {sub.id}: {sub.describe()}: {_waited(sub, waited[sub.id], deps)}" for sub in paused]
    return Reply(text=f"Resumed: alerts come again in this {ctx.place}.", lines=lines,
                 visibility=Visibility.CHANNEL)


def _waited(sub: Subscription, count: int, deps: Deps) -> str:
    if not count:
        return "no alert waited"
    alerts = "1 alert waited and comes" if count == 1 else f"{count} alerts waited and come"
    resumed = sub.model_copy(update={"held_until": None, "paused": False})
    at = deps.ingestor.send_time(resumed, deps.now())
    if at <= deps.now():
        return f"{alerts} now"
    zone = deps.ingestor.zone_of((sub.platform, sub.workspace, sub.channel))
    return f"{alerts} with the digest of {moment(at, zone)}"
