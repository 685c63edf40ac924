"""`threads`: whether a story's next alert in this channel comes as a reply in the first alert's thread (on, the
default) or in the channel itself, like every other alert (off)."""

from __future__ import annotations

from handlers.commands.setting import Setting, run_setting
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply


def _state(on: bool, ctx: CommandContext) -> str:
    if on:
        return (f"Threads are on in this {ctx.place}: a release on a story this {ctx.place} already had (the same "
                "operation told by another newsroom) comes as a reply to the first alert, in its thread.")
    return (f"Threads are off in this {ctx.place}: every alert comes in the {ctx.place}; a release on a story it "
            "already had says which release the story started with.")


THREADS = Setting(
    name="threads", words={"on": True, "yes": True, "off": False, "no": False}, choices=("on", "off"),
    read=lambda deps, where: deps.store.channels.look(*where).threads,
    write=lambda deps, where, on: deps.store.channels.set_threads(*where, on),
    state=_state,
)


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    return run_setting(THREADS, command, ctx, deps)
