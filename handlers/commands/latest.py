"""`latest`: the newest releases, optionally for agencies, areas, countries, publishers, a kind or a date."""

from __future__ import annotations

from bot.store.dialect import SearchFilter, SearchTerm
from handlers.commands.terms import TermError, facet_filter, named_words, next_page, page_of, parse_date
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    try:
        wanted = facet_filter(command, deps)
        page = page_of(command)
        _add_words(command, wanted, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    scope = _scope(wanted, deps)
    if not found:
        return Reply(text=f"No releases yet{scope}." if page == 1 else "No more releases.")
    title = f"Latest{scope}:" if page == 1 else f"Latest{scope} (page {page}):"
    reply = Reply(text=title, cards=[release_card(r, deps.taxonomy) for r in found[:PAGE_SIZE]])
    if len(found) > PAGE_SIZE:
        reply.actions.append(next_page(command, page, "More releases"))
    return reply


def _add_words(command: ParsedCommand, wanted: SearchFilter, deps: Deps) -> None:
    """Each word names an agency, an area, a country or a publisher ("latest md-mia"); nothing else is a filter.
    A word typed with "-" is left out (latest -europol)."""
    publishers = deps.store.releases.publishers()
    for word in named_words(command.included, deps):
        wanted.facets.append(_tag_named(word.text, publishers, deps))
    for word in command.excluded:
        wanted.excluded.append(SearchTerm(text="", tags=[_tag_named(word.text, publishers, deps)]))


def _tag_named(text: str, publishers: set[str], deps: Deps) -> tuple[str, str]:
    term = deps.resolver.resolve(text)
    if term is not None:
        return (term.kind, term.id)
    if text.lower() in publishers:
        return ("publisher", text.lower())
    raise TermError(deps.resolver.unknown_message(text) + _date_hint(text, deps))


def _date_hint(text: str, deps: Deps) -> str:
    """"latest 2024" and "latest 7d" are most likely meant as a date."""
    try:
        parse_date(text, deps.now())
    except TermError:
        return ""
    return f" For releases since a date, write since:{text}"


def _scope(wanted: SearchFilter, deps: Deps) -> str:
    """What the reply says it lists, whatever form the user typed: "md" is "Moldova", "EUROPOL" is "Europol"."""
    named = [_name(kind, id_, deps) for kind, id_ in wanted.facets if kind != "kind"]
    scope = f" for {' and '.join(named)}" if named else ""
    scope += "".join(f", kind {id_}" for kind, id_ in wanted.facets if kind == "kind")
    scope += "".join(f", not {_name(kind, id_, deps)}" for term in wanted.excluded for kind, id_ in term.tags)
    return scope + (f", since {wanted.since:%d %b %Y}" if wanted.since else "")


def _name(kind: str, id_: str, deps: Deps) -> str:
    if kind == "kind":
        return f"kind {id_}"
    if kind == "country":
        return deps.taxonomy.country_name(id_)
    return deps.taxonomy.area_name(id_) if kind == "area" else deps.taxonomy.agency_name(id_)
