"""`search`: full-text rank plus tags, facets and a date, five at a time."""

from __future__ import annotations

from handlers.commands.terms import TermError, build_filter, page_of
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Action, Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not command.words and not command.facets:
        return Reply(text="What should I look for? For example: search cybercrime", error=True)
    try:
        wanted = build_filter(command, deps)
        page = page_of(command)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    query = " ".join(p for p in command.raw.split(" ")[1:] if not p.startswith("page:"))
    if not found:
        return Reply(text=f"No releases match “{query}”." if page == 1 else "No more results.")
    more = len(found) > PAGE_SIZE
    reply = Reply(
        text=f"Results for “{query}” (page {page}):",
        cards=[release_card(r, deps.taxonomy) for r in found[:PAGE_SIZE]],
    )
    if more:
        reply.actions.append(Action(kind="page", label="More results", value=f"search {query} page:{page + 1}"))
    return reply
