"""`unsubscribe`: by subscription ID, or by the same terms it was made with."""

from __future__ import annotations

from bot.store.subscriptions import terms_key
from handlers.commands.subscribe import build_subscription
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not (command.words or command.facets or command.excluded_facets):
        return Reply(text="Which subscription? Use its number from `subscriptions`, or its terms.", error=True)
    if not ctx.can_change_subscriptions:
        return Reply(text=ctx.refusal or f"You may not change this {ctx.place}'s subscriptions.", error=True)
    subs = deps.store.subscriptions.for_channel(ctx.platform, ctx.workspace, ctx.channel)
    first = command.rest.lstrip("#")  # "-3" is an exclusion, not subscription 3
    if len(command.words) == 1 and not command.facets and first.isdigit():
        target = next((s for s in subs if s.id == int(first)), None)
    else:
        built = build_subscription(command, ctx, deps)
        if isinstance(built, str):
            return Reply(text=built, error=True)
        target = next((s for s in subs if terms_key(s) == terms_key(built)), None)
    if target is None or not deps.store.subscriptions.remove(ctx.platform, ctx.workspace, ctx.channel, target.id):
        return Reply(text=f"This {ctx.place} has no such subscription. See them with: subscriptions", error=True)
    deps.ingestor.subscriptions_changed()
    return Reply(text=f"Unsubscribed: no more alerts for {target.describe()}.", visibility=Visibility.CHANNEL)
