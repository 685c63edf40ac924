"""`unsubscribe`: by subscription ID, or by the same terms it was made with."""

from __future__ import annotations

from handlers.commands.chosen import named_subscription, no_such
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not (command.words or command.facets or command.excluded_facets):
        return Reply(text="Which subscription? Use its number from `subscriptions`, or its terms.", error=True)
    if not ctx.can_change_subscriptions:
        return ctx.refused()
    subs = deps.store.subscriptions.for_channel(ctx.platform, ctx.workspace, ctx.channel)
    target = named_subscription(command, ctx, deps, subs)
    if isinstance(target, str):
        return Reply(text=target, error=True)
    if not deps.store.subscriptions.remove(ctx.platform, ctx.workspace, ctx.channel, target.id):
        return Reply(text=no_such(ctx), error=True)  # removed by someone else meanwhile
    deps.ingestor.subscriptions_changed()
    return Reply(text=f"Unsubscribed: no more alerts for {target.describe()}.", visibility=Visibility.CHANNEL)
