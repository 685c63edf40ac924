"""`latest`: the newest releases, optionally for agencies, areas, countries, publishers, words, a kind or a date."""

from __future__ import annotations

from bot.store.dialect import SearchFilter
from handlers.commands.terms import TermError, add_names, facet_filter, next_page, page_of, scope_of
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    try:
        page = page_of(command)
        wanted = latest_filter(command, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    scope = scope_of(wanted, deps)
    if not found and page == 1 and (refused := misspelt_reply(wanted, deps)):
        return refused
    if not found:
        return Reply(text=f"No releases yet{scope}." if page == 1 else "No more releases.")
    title = f"Latest{scope}:" if page == 1 else f"Latest{scope} (page {page}):"
    reply = Reply(text=title, cards=[release_card(r, deps.taxonomy) for r in found[:PAGE_SIZE]])
    if len(found) > PAGE_SIZE:
        reply.actions.append(next_page(command, page, "More releases"))
    return reply


def latest_filter(command: ParsedCommand, deps: Deps) -> SearchFilter:
    """Every term together, newest first; a TermError says what to write instead."""
    wanted = facet_filter(command, deps)
    add_names(command, wanted, deps, words=True)
    wanted.newest_first = True
    return wanted


def misspelt_reply(wanted: SearchFilter, deps: Deps) -> Reply | None:
    """For a query that found nothing: a word looked for in the text that is close to a name ("europolx") is
    likely a typo, and the reply says what it may have meant."""
    typo = next((term.text for term in wanted.terms
                 if not term.tags and not term.phrase and deps.resolver.suggest(term.text)), None)
    if typo is None:
        return None
    return Reply(text=f"{deps.resolver.unknown_message(typo)} No release mentions “{typo}” either.", error=True)
