"""`agencies`: the agency IDs coop knows."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    lines = [f"  {agency_id}: {entry.name}" for agency_id, entry in deps.taxonomy.agencies.items()]
    return Reply(text="Agencies and bodies (use the ID or any name):", lines=lines)
