"""`notify`: whoever asks is mentioned in a subscription's alerts from now on (with `off`, no longer), so the alerts
that matter to them reach them however busy the channel is. Each person opts in for themselves, and only for
themselves: nobody can have coop mention someone else."""

from __future__ import annotations

from dataclasses import replace

from bot.models import Subscription
from handlers.commands.chosen import chosen_subscriptions, listed
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply

_SWITCH = {"on": True, "off": False}


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not ctx.user:
        return Reply(text="coop cannot tell who is asking here, so it cannot mention you.", error=True)
    where = (ctx.platform, ctx.workspace, ctx.channel)
    on, named = _switch(command)
    subs = deps.store.subscriptions.for_channel(*where)
    if not subs:
        return Reply(text=f"This {ctx.place} has no subscriptions to be mentioned in. Try: subscribe europol",
                     error=True)
    chosen = chosen_subscriptions(named, ctx, deps, subs)
    if isinstance(chosen, str):
        return Reply(text=chosen, error=True)
    deps.store.subscriptions.mention(*where, [sub.id for sub in chosen], ctx.user, on)
    return Reply(text=_done(chosen, on, ctx), lines=listed(chosen))


def _switch(command: ParsedCommand) -> tuple[bool, ParsedCommand]:
    """On or off, and the command without the words that said so ("notify me", "notify 2 off")."""
    on, words = True, []
    for word in command.words:
        lowered = word.text.lower()
        if not word.quoted and not word.excluded and lowered in _SWITCH:
            on = _SWITCH[lowered]
        elif word.quoted or word.excluded or lowered != "me":
            words.append(word)
    return on, replace(command, words=words)


def _done(subs: list[Subscription], on: bool, ctx: CommandContext) -> str:
    if len(subs) == 1:
        which, undo = subs[0].named(), f"{subs[0].id} "
    else:
        which, undo = f"this {ctx.place}'s {len(subs)} subscriptions", ""
    if on:
        return (f"You will be mentioned in the alerts of {which}, so they notify you. "
                f"To stop: {ctx.prefix} notify {undo}off")
    return f"You will no longer be mentioned in the alerts of {which}."
