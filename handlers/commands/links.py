"""`export`: the web addresses of a query's Atom feed and spreadsheet, for a feed reader or for counting and
charting, with the terms `latest` takes."""

from __future__ import annotations

from urllib.parse import urlencode

from handlers.commands.latest import misspelt_reply
from handlers.commands.terms import TermError, scope_of
from handlers.context import CommandContext, Deps
from handlers.export import EXPORT_SIZE
from handlers.feed import FEED_SIZE, query_filter
from handlers.parser import ParsedCommand
from handlers.replies import Reply

NO_ADDRESS = ("coop's web address is not set, so I cannot give a link its users can open: ask whoever runs coop to "
              "set COOP_PUBLIC_URL.")


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    query = command.raw.partition(" ")[2].strip()
    try:
        wanted = query_filter(query, deps)
    except TermError as error:
        return Reply(text=str(error), error=True)
    if not deps.store.releases.search(wanted, limit=1) and (refused := misspelt_reply(wanted, deps)):
        return refused
    if not deps.web_address:
        return Reply(text=NO_ADDRESS, error=True)
    terms = f"?{urlencode({'q': query})}" if query else ""
    scope = scope_of(wanted, deps)
    return Reply(text=f"Latest{scope}, as a feed for a feed reader (the {FEED_SIZE} newest, with their tags):",
                 lines=[f"{deps.web_address}/feed{terms}",
                        f"Every release{scope} as a spreadsheet (CSV, one row each, at most {EXPORT_SIZE:,}):",
                        f"{deps.web_address}/export.csv{terms}"])
