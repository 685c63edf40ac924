"""Spreadsheet exports: `GET /export.csv?q=<terms>` answers every release `latest <terms>` lists, one row each with
its tags, for the analyst who counts, sorts and charts them in a spreadsheet."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from functools import partial
from typing import Any

from aiohttp import web

from bot import __version__
from bot.http_server import Handler, cached_response
from handlers.context import Deps
from handlers.export import COLUMNS, export_rows

# A spreadsheet runs a cell that starts with one of these as a formula, and feed text is untrusted: such a cell
# gets a leading apostrophe, which spreadsheets show as text and do not run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FILE_NAME = re.compile(r"[^a-z0-9]+")


def export_route(deps: Deps) -> Handler:
    """The aiohttp handler of /export.csv: 200 with the CSV (or 304 when the client has it already), 400 with what
    to write when a term names nothing or too much matches."""

    async def serve(request: web.Request) -> web.StreamResponse:
        query = request.query.get("q", "")
        export = await asyncio.to_thread(export_rows, query, deps)
        if export.error:
            return web.Response(status=400, text=export.error + "\n")
        disposition = f'attachment; filename="{file_name(query)}"'
        identity = f"coop {__version__}\n{query}\n{export.rows!r}"
        return await cached_response(request, identity, partial(to_csv, export.rows), "text/csv",
                                     {"Content-Disposition": disposition})

    return serve


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """A header row, then one row per release; lists of tags joined by "; ". UTF-8 with a byte order mark, as
    spreadsheets otherwise read the accents of "Agenția" as another encoding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def file_name(query: str) -> str:
    """coop-europol-cybercrime.csv for "europol cybercrime": a name a download keeps, of the query's letters."""
    words = _FILE_NAME.sub("-", query.lower()).strip("-")[:60].strip("-")
    return f"coop-{words}.csv" if words else "coop.csv"


def _cell(value: Any) -> str:
    text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
