"""`help`: what coop can do, with examples."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply

USAGE = [
    "search <words> [agency:<id>] [area:<id>] [country:<cc>] [since:<date>] [kind:<kind>] — find releases",
    "latest [agency|area|country|publisher ...] [kind:<kind>] [since:<date>] — the newest releases",
    "show <release-id> — one release with its tags and the evidence",
    'subscribe <agency|area|country|"keywords"> ... [kind:<kind>] — alerts here for releases matching all terms',
    "unsubscribe <subscription-id|terms> — stop one subscription",
    "subscriptions — what this channel follows",
    "agencies, areas — the IDs coop knows",
    "sources — the newsrooms coop watches and their health",
]
EXAMPLES = [
    "search cybercrime",
    "search ransomware agency:europol since:2024-01-01",
    "latest eurojust",
    "subscribe europol cybercrime",
    'subscribe "joint investigation team" country:MD',
    "subscribe moldova kind:agreement",
]


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    lines = ["Commands:"] + [f"  {line}" for line in USAGE] + ["Examples:"] + [f"  {ctx.prefix} {e}" for e in EXAMPLES]
    if command.unknown:
        return Reply(text=f"I don't know the command “{command.unknown}”. Here is what I can do.", lines=lines)
    return Reply(text="coop follows law-enforcement and judicial cooperation news.", lines=lines)
