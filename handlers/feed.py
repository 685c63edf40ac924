"""A web feed's query, read as `latest` reads its terms: the newest releases it matches, as a neutral reply."""

from __future__ import annotations

from handlers.commands.latest import latest_filter
from handlers.commands.terms import TermError, scope_of
from handlers.context import Deps
from handlers.parser import parse
from handlers.replies import Reply, release_card

FEED_SIZE = 30  # entries in a feed, newest first: a reader misses none unless more than this come between two polls
MAX_QUERY = 500  # characters of a query; longer ones are refused, not cut, so a feed never means less than asked


def feed_reply(query: str, deps: Deps, size: int = FEED_SIZE) -> Reply:
    """The `size` newest releases with every term of `query` (europol cybercrime -kind:training since:2024); an
    error reply saying what to write when a term names nothing."""
    if len(query) > MAX_QUERY:
        return Reply(text=f"A feed's query is at most {MAX_QUERY} characters; this one has {len(query)}.", error=True)
    command = parse(f"latest {query}")
    if "page" in command.facets:
        return Reply(text="A feed has no pages; leave out page:", error=True)
    try:
        wanted = latest_filter(command, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=size)
    return Reply(text=f"coop: latest{scope_of(wanted, deps)}",
                 cards=[release_card(release, deps.taxonomy, with_actions=False) for release in found])
