"""`threads`: whether a story's next alert in this channel comes as a reply in the first alert's thread (on, the
default) or in the channel itself, like every other alert (off)."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility

SWITCH = {"on": True, "yes": True, "off": False, "no": False}


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    where = (ctx.platform, ctx.workspace, ctx.channel)
    if not command.words:
        return Reply(text=_state(deps.store.channels.threads(*where), ctx),
                     lines=[f"Change it with: {ctx.prefix} threads on, or {ctx.prefix} threads off"])
    asked = " ".join(word.text for word in command.words).lower()
    if asked not in SWITCH:
        return Reply(text=f"threads takes on or off, for example: {ctx.prefix} threads off", error=True)
    if not ctx.can_change_subscriptions:
        return Reply(text=ctx.refusal or f"You may not change this {ctx.place}'s settings.", error=True)
    deps.store.channels.set_threads(*where, SWITCH[asked])
    return Reply(text=_state(SWITCH[asked], ctx), visibility=Visibility.CHANNEL)


def _state(on: bool, ctx: CommandContext) -> str:
    if on:
        return (f"Threads are on in this {ctx.place}: a release on a story this {ctx.place} already had (the same "
                "operation told by another newsroom) comes as a reply to the first alert, in its thread.")
    return (f"Threads are off in this {ctx.place}: every alert comes in the {ctx.place}; a release on a story it "
            "already had says which release the story started with.")
