"""`areas`: the crime-area IDs coop knows."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    lines = [f"  {area_id}: {entry.name}" for area_id, entry in deps.taxonomy.areas.items()]
    return Reply(text="Crime areas:", lines=lines)
