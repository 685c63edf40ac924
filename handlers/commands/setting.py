"""A channel's yes-or-no choice, shown and changed the same way by each command that has one (`threads`, `format`):
alone it says the choice; with a word it changes it, for those who may change the channel's subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility


@dataclass(frozen=True)
class Setting:
    name: str  # the command
    words: dict[str, bool]  # what may be typed, and the choice each makes
    choices: tuple[str, str]  # the two ways, as replies name them: ("on", "off")
    read: Callable[[Deps, tuple[str, str, str]], bool]
    write: Callable[[Deps, tuple[str, str, str], bool], None]
    state: Callable[[bool, CommandContext], str]  # what the choice means, as a reply says it


def run_setting(setting: Setting, command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    where = (ctx.platform, ctx.workspace, ctx.channel)
    first, second = (f"{ctx.prefix} {setting.name} {choice}" for choice in setting.choices)
    if not command.words:
        now = setting.read(deps, where)
        return Reply(text=setting.state(now, ctx), lines=[f"Change it with: {first}, or {second}"])
    asked = " ".join(word.text for word in command.words).lower()
    if asked not in setting.words:
        return Reply(text=f"{setting.name} takes {' or '.join(setting.choices)}, for example: {second}", error=True)
    if not ctx.can_change_subscriptions:
        return ctx.refused("settings")
    setting.write(deps, where, setting.words[asked])
    return Reply(text=setting.state(setting.words[asked], ctx), visibility=Visibility.CHANNEL)
