"""CLI commands that answer like the chat bot: search, one command, classify. Part of the CLI layer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.config import load_seed_rules
from bot.models import Tags
from bot.platforms.console import CHANNEL, PLATFORM
from bot.runtime import Runtime
from bot.seeds import UNKNOWN_PUBLISHER, parse_seed
from bot.summarize import facts_line, summarize
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.export import release_record, tag_record
from handlers.parser import parse, strip_prefix

CONSOLE = CommandContext(platform=PLATFORM, channel=CHANNEL, user="console", is_admin=True)


def make_deps(runtime: Runtime) -> Deps:
    return Deps(store=runtime.store, taxonomy=runtime.taxonomy, ingestor=runtime.ingestor, sources=runtime.sources,
                watcher=runtime.defaults.watcher)


def one_command(runtime: Runtime, text: str) -> int:
    reply = handle(strip_prefix(text) or text, CONSOLE, make_deps(runtime))
    print(reply.plain())
    return 1 if reply.error else 0


def search_command(runtime: Runtime, query: str, limit: int, as_json: bool) -> int:
    from handlers.commands.search import find
    from handlers.commands.terms import TermError, build_filter

    deps = make_deps(runtime)
    try:
        wanted = build_filter(parse(f"search {query}"), deps)
    except TermError as error:
        print(f"coop search: {error}", file=sys.stderr)
        return 2
    found = find(wanted, deps, limit=max(1, limit))
    if as_json:
        print(json.dumps([release_record(r) for r in found], ensure_ascii=False, indent=2))
    elif not found:
        print(f"No releases match “{query}”.")
    else:
        if wanted.any_term:
            print(f"No release has all of “{query}”; these have some:")
        for release in found:
            print(f"[{release.id}] {release.date:%Y-%m-%d} {release.title}\n  {release.facts}")
    return 0


def tags_json(item_id: Any, tags: Tags, summary: str) -> dict[str, Any]:
    return {"id": item_id, **tag_record(tags), "summary": summary}


def classify_jsonl(runtime: Runtime, source: TextIO, out: TextIO) -> int:
    """One output line per input line; a bad line gets an error line with its number, the rest go on."""
    status = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        item, problem = _json_item(line)
        if item is None:
            result, status = {"line": number, "error": problem}, 1
        else:
            title, text = str(item.get("title") or ""), str(item.get("text") or "")
            tags = runtime.classifier.classify(title, text, str(item.get("publisher") or ""))
            result = tags_json(item["id"], tags, summarize(text))
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return status


def _json_item(line: str) -> tuple[dict[str, Any] | None, str]:
    """The line's object, or what is wrong with it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"not a JSON object: {error}"
    if not isinstance(item, dict):
        return None, f"not a JSON object: a {type(item).__name__}"
    if item.get("id") is None:  # an answer without the ID cannot be joined back to its input
        return None, 'no "id": every line needs one'
    return item, ""


def classify_files(runtime: Runtime, files: list[Path]) -> int:
    """Each file read as `coop seed` reads a release (title, dateline, publisher), then tagged with its evidence."""
    inputs, unreadable = _read_inputs(files)
    rules = load_seed_rules(runtime.settings.config_dir)
    for name, raw in inputs:
        release = parse_seed(name, raw, rules)
        publisher = "" if release.publisher == UNKNOWN_PUBLISHER else release.publisher
        tags = runtime.classifier.classify(release.title, release.text, publisher)
        print(f"== {name}: {release.title}")
        print(f"publisher: {runtime.taxonomy.agency_name(publisher) if publisher else '-'}")
        print(f"language: {tags.language}")
        for agency in tags.agencies:
            print(f"agency {agency.id} ({agency.role.value})" + "".join(f"\n    “{e}”" for e in agency.evidence[:2]))
        for area in tags.crime_areas:
            print(f"area {area.id} (score {area.score})" + "".join(f"\n    “{e}”" for e in area.evidence))
        for country in tags.countries:
            quote = "".join(f"\n    “{e}”" for e in country.evidence[:1])
            print(f"country {country.code} ({country.role.value}){quote}")
        print("cooperation: " + (", ".join(tags.cooperation_ids()) or "-"))
        print(f"summary: {summarize(release.text)}")
        print(f"facts: {facts_line(tags, runtime.taxonomy, publisher)}")
    return 2 if unreadable else 0


def _read_inputs(files: list[Path]) -> tuple[list[tuple[str, str]], int]:
    """(name, text) of each file that can be read, or of stdin; each one that cannot is named on stderr."""
    if not files:
        return [("stdin", sys.stdin.read())], 0
    inputs: list[tuple[str, str]] = []
    for path in files:
        try:
            inputs.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            print(f"coop classify: cannot read {path}: {reason}", file=sys.stderr)
    return inputs, len(files) - len(inputs)
