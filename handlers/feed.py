"""A web feed's query, read as `latest` reads its terms: the newest releases it matches, as a neutral reply."""

from __future__ import annotations

from bot.store.dialect import SearchFilter
from handlers.commands.latest import latest_filter
from handlers.commands.terms import TermError, scope_of
from handlers.context import Deps
from handlers.parser import parse
from handlers.replies import Reply, release_card

FEED_SIZE = 30  # entries in a feed, newest first: a reader misses none unless more than this come between two polls
MAX_QUERY = 500  # characters of a query; longer ones are refused, not cut, so a feed never means less than asked


def query_filter(query: str, deps: Deps, what: str = "A feed") -> SearchFilter:
    """What the terms of a web address ask for (europol cybercrime -kind:training since:2024), as `latest` reads
    them; TermError saying what to write when the query is too long, has a page or names nothing."""
    if len(query) > MAX_QUERY:
        raise TermError(f"{what}'s query is at most {MAX_QUERY} characters; this one has {len(query)}.")
    command = parse(f"latest {query}")
    if "page" in command.facets:
        raise TermError(f"{what} has no pages; leave out page:")
    return latest_filter(command, deps)


def feed_reply(query: str, deps: Deps, size: int = FEED_SIZE) -> Reply:
    """The `size` newest releases with every term of `query`; an error reply saying what to write instead."""
    try:
        wanted = query_filter(query, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    found = deps.store.releases.search(wanted, limit=size)
    return Reply(text=f"coop: latest{scope_of(wanted, deps)}",
                 cards=[release_card(release, deps.taxonomy, with_actions=False) for release in found])
