"""`format`: whether this channel's alerts are cards (title, summary, tags and buttons; the default) or one line per
release (compact), for channels that get many."""

from __future__ import annotations

from handlers.commands.setting import Setting, run_setting
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply


def _state(compact: bool, ctx: CommandContext) -> str:
    if compact:
        return (f"Alerts in this {ctx.place} are compact: one line per release (its title, linked, the newsroom, "
                "the date and the tags), without summary, buttons or the subscription it came through.")
    return (f"Alerts in this {ctx.place} are full cards: title, summary, tags, buttons and the subscription each "
            "came through.")


FORMAT = Setting(
    name="format", choices=("full", "compact"),
    words={"compact": True, "short": True, "lines": True, "line": True, "full": False, "cards": False, "card": False},
    read=lambda deps, where: deps.store.channels.look(*where).compact,
    write=lambda deps, where, compact: deps.store.channels.set_compact(*where, compact),
    state=_state,
)


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    return run_setting(FORMAT, command, ctx, deps)
