"""`latest`: the newest releases, optionally for agencies, areas, countries, publishers, a kind or a date."""

from __future__ import annotations

from handlers.commands.terms import TermError, add_names, facet_filter, next_page, page_of, scope_of
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    try:
        wanted = facet_filter(command, deps)
        page = page_of(command)
        add_names(command, wanted, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    scope = scope_of(wanted, deps)
    if not found:
        return Reply(text=f"No releases yet{scope}." if page == 1 else "No more releases.")
    title = f"Latest{scope}:" if page == 1 else f"Latest{scope} (page {page}):"
    reply = Reply(text=title, cards=[release_card(r, deps.taxonomy) for r in found[:PAGE_SIZE]])
    if len(found) > PAGE_SIZE:
        reply.actions.append(next_page(command, page, "More releases"))
    return reply
