"""`latest`: the newest releases, optionally for one agency, area or country."""

from __future__ import annotations

from bot.store.dialect import SearchFilter
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    wanted = SearchFilter()
    publishers = deps.store.releases.publishers()
    for word in command.words:
        term = deps.resolver.resolve(word.text)
        if term is not None:
            wanted.facets.append((term.kind, term.id))
        elif word.text.lower() in publishers:
            wanted.facets.append(("publisher", word.text.lower()))
        else:
            return Reply(text=deps.resolver.unknown_message(word.text), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE)
    scope = " ".join(w.text for w in command.words)
    if not found:
        return Reply(text=f"No releases yet{' for ' + scope if scope else ''}.")
    title = f"Latest{' for ' + scope if scope else ''}:"
    return Reply(text=title, cards=[release_card(r, deps.taxonomy) for r in found])
