"""The `coop` command line: wires settings, config, the store and the platforms. Nothing imports this module."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot import __version__
from bot.build import description, stale_note, stale_sources
from bot.config import ConfigError
from bot.runtime import Runtime
from bot.settings import SettingsError, load_settings
from bot.taxonomy import TaxonomyError

EXAMPLES = """examples:
  coop run                                  start everything; with no chat credentials, a console prompt
  coop seed                                 import the seed releases (idempotent)
  coop search cybercrime --json             the chat command's search, as JSON
  coop command "subscribe europol"          run one chat command as the console would
  coop poll --once --source eurojust        fetch one source now
  coop deliveries --retry --since 2d        after an outage: send again the given-up alerts of the last 2 days
  coop classify release.txt                 tags with the evidence for each
  coop classify --jsonl < items.jsonl       batch tagging, one JSON line per input
  coop eval ../shared/data/eurojust-dev.jsonl   score the classifier against labelled releases
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coop",
        description="coop follows international law-enforcement and judicial cooperation news and posts it to chat.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coop {__version__} ({description()})")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="start the watcher, delivery and every configured platform")
    sub.add_parser("seed", help="import seeds/ into the store (idempotent)")
    poll = sub.add_parser("poll", help="fetch sources now, store what is new, queue alerts")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    poll.add_argument("--source", metavar="ID", help="only this source")
    classify = sub.add_parser("classify", help="tag text files (or stdin) and show the evidence")
    classify.add_argument("files", nargs="*", type=Path, metavar="FILE")
    classify.add_argument("--jsonl", action="store_true", help="batch mode: JSON lines in, JSON lines out")
    sub.add_parser("reclassify", help="tag every stored release again (after a taxonomy change)")
    sub.add_parser("sources", help="the watched sources and their health")
    deliveries = sub.add_parser("deliveries", help="alerts not sent yet, per channel; --retry the given-up ones")
    deliveries.add_argument("--retry", action="store_true",
                            help="queue again the alerts given up after failing for too long")
    deliveries.add_argument("--channel", metavar="ID", help="only this channel or room")
    deliveries.add_argument("--since", metavar="WHEN",
                            help="with --retry, only the alerts queued since then (2026-11-20, 2d, yesterday); "
                                 "older ones stay given up")
    search = sub.add_parser("search", help="search the store like the chat command")
    search.add_argument("query", nargs="+")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=5, help="how many results (default 5)")
    command = sub.add_parser("command", help='run one chat command, e.g. "search cybercrime"')
    command.add_argument("text")
    evaluate = sub.add_parser("eval", help="score the classifier against a labelled JSONL file")
    evaluate.add_argument("gold", type=Path)
    evaluate.add_argument("-v", "--misses", action="store_true", help="list each miss and false alarm")
    return parser


# Libraries that log each routine step at INFO (every scheduled poll, every start of the database): their warnings
# still show, and -v shows the rest.
_CHATTY_LIBRARIES = ("apscheduler", "alembic")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.INFO if args.verbose or args.command == "run" else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not args.verbose:
        for name in _CHATTY_LIBRARIES:
            logging.getLogger(name).setLevel(logging.WARNING)
    stale = stale_note(stale_sources())
    if stale:
        print(f"coop: {stale}", file=sys.stderr)
    try:
        settings = load_settings()
        runtime = Runtime.build(settings, with_sources=args.command in ("run", "poll", "command", "sources"))
    except (SettingsError, ConfigError, TaxonomyError) as error:
        print(f"coop: invalid configuration:\n{error}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](runtime, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`coop search ... | head`): stop quietly, and keep Python from complaining about
        # the unflushed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        runtime.close()


def _seed(runtime: Runtime, args: argparse.Namespace) -> int:
    counts = runtime.seed()
    print(f"seeds: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged; "
          f"{runtime.store.releases.count()} releases in the store")
    return 0


def _run(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.app import run_app

    return asyncio.run(run_app(runtime))


def _poll(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.app import poll_once

    return asyncio.run(poll_once(runtime, args.source))


def _search(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.commands_cli import search_command

    return search_command(runtime, " ".join(args.query), args.limit, args.json)


def _command(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.commands_cli import one_command

    return one_command(runtime, args.text)


def _classify(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.commands_cli import classify_files, classify_jsonl

    return classify_jsonl(runtime, sys.stdin, sys.stdout) if args.jsonl else classify_files(runtime, args.files)


def _reclassify(runtime: Runtime, args: argparse.Namespace) -> int:
    count = runtime.ingestor.reclassify_all()
    print(f"reclassified {count} releases")
    return 0


def _eval(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.evaluate import evaluate, format_report

    try:
        items = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as error:
        print(f"coop eval: cannot read {args.gold}: {error}", file=sys.stderr)
        return 2
    report = evaluate(items, runtime.classifier)
    print(format_report(report))
    if args.misses:
        print("\n".join(sorted(report.misses)))
    return 0


def _sources(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.commands_cli import one_command

    return one_command(runtime, "sources")


def _deliveries(runtime: Runtime, args: argparse.Namespace) -> int:
    from bot.outbox_cli import retry_given_up, show_backlog, since_option
    from handlers.commands.terms import TermError

    if args.since is not None and not args.retry:
        print("coop deliveries: --since goes with --retry (coop deliveries --retry --since 2d)", file=sys.stderr)
        return 2
    if not args.retry:
        return show_backlog(runtime, args.channel)
    try:
        since = since_option(args.since, runtime.ingestor.clock())
    except TermError as error:
        print(f"coop deliveries: {error}", file=sys.stderr)
        return 2
    return retry_given_up(runtime, args.channel, since)


COMMANDS: dict[str, Callable[[Runtime, argparse.Namespace], int]] = {
    "deliveries": _deliveries,
    "sources": _sources,
    "run": _run,
    "seed": _seed,
    "poll": _poll,
    "search": _search,
    "command": _command,
    "classify": _classify,
    "reclassify": _reclassify,
    "eval": _eval,
}


if __name__ == "__main__":
    sys.exit(main())
