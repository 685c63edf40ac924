"""`search`: full-text rank plus tags, facets and a date, five at a time."""

from __future__ import annotations

from bot.models import Release
from bot.store.dialect import SearchFilter, match_expression
from handlers.commands.terms import TermError, build_filter, next_page, page_of, typed_query
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand, parse
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not (command.words or command.facets or command.excluded_facets):
        return Reply(text="What should I look for? For example: search cybercrime", error=True)
    try:
        wanted = build_filter(command, deps)
        page = page_of(command)
    except TermError as error:
        return Reply(text=str(error), error=True)
    terms = any(match_expression(term) or term.tags for term in wanted.terms)
    if not (terms or wanted.facets or wanted.since or wanted.until or wanted.excluded):
        return Reply(text=f"“{typed_query(command)}” has no word to look for. For example: search cybercrime",
                     error=True)
    found = find(wanted, deps, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    query = typed_query(command)
    heading = f"No release has all of “{query}”; these have some" if wanted.any_term else f"Results for “{query}”"
    if (not found or wanted.any_term) and page == 1 and (respelt := _respelt(command, deps, found)) is not None:
        command, wanted, found = respelt
        heading = f"Nothing has all of “{query}”, so I looked for “{typed_query(command)}”"
        heading += "; these have some of it" if wanted.any_term else ""
    if not found:
        return Reply(text=f"No releases match “{query}”." if page == 1 else "No more results.")
    reply = Reply(
        text=f"{heading} (page {page}):",
        cards=[release_card(r, deps.taxonomy) for r in found[:PAGE_SIZE]],
    )
    if len(found) > PAGE_SIZE:
        reply.actions.append(next_page(command, page, "More results"))
    return reply


def _respelt(command: ParsedCommand, deps: Deps,
             found: list[Release]) -> tuple[ParsedCommand, SearchFilter, list[Release]] | None:
    """A search that found nothing (`found` empty) or only releases with some of its words, with each typo of a
    word coop knows put right ("ransomwear"), when that finds more: the command, its filter and what it found."""
    parts = typed_query(command).split(" ")
    better = [(deps.resolver.respell(part) if part.isalpha() else None) or part for part in parts]
    if better == parts:
        return None
    respelt = parse(" ".join([command.name, *better]))
    wanted = build_filter(respelt, deps)
    better_found = find(wanted, deps, limit=PAGE_SIZE + 1)
    return (respelt, wanted, better_found) if better_found and (not found or not wanted.any_term) else None


def find(wanted: SearchFilter, deps: Deps, limit: int, offset: int = 0) -> list[Release]:
    """The releases with every term; when none has them all, those with the most of them (and `wanted.any_term`
    says so), as the next best answer."""
    found = deps.store.releases.search(wanted, limit=limit, offset=offset)
    if not found and len(wanted.terms) > 1 and (offset == 0 or not deps.store.releases.search(wanted, limit=1)):
        wanted.any_term = True
        found = deps.store.releases.search(wanted, limit=limit, offset=offset)
    return found
