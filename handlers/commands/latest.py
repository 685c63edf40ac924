"""`latest`: the newest releases, optionally for one agency, area or country."""

from __future__ import annotations

from bot.store.dialect import SearchFilter
from handlers.context import PAGE_SIZE, CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    wanted = SearchFilter()
    publishers = deps.store.releases.publishers()
    named: list[str] = []
    for word in command.words:
        term = deps.resolver.resolve(word.text)
        if term is not None:
            wanted.facets.append((term.kind, term.id))
            named.append(_name(term.kind, term.id, deps))
        elif word.text.lower() in publishers:
            wanted.facets.append(("publisher", word.text.lower()))
            named.append(deps.taxonomy.agency_name(word.text.lower()))
        else:
            return Reply(text=deps.resolver.unknown_message(word.text), error=True)
    found = deps.store.releases.search(wanted, limit=PAGE_SIZE)
    scope = f" for {' and '.join(named)}" if named else ""
    if not found:
        return Reply(text=f"No releases yet{scope}.")
    return Reply(text=f"Latest{scope}:", cards=[release_card(r, deps.taxonomy) for r in found])


def _name(kind: str, id_: str, deps: Deps) -> str:
    """What the reply calls a term, whatever form the user typed: "md" is "Moldova", "EUROPOL" is "Europol"."""
    if kind == "country":
        return deps.taxonomy.country_name(id_)
    return deps.taxonomy.area_name(id_) if kind == "area" else deps.taxonomy.agency_name(id_)
