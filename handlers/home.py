"""What a platform's home page for coop shows (Slack's App Home tab): what coop holds, what came this week, the
newest releases, and how to ask for more. Platform-neutral: a Reply that each platform lays out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from bot.store.dialect import SearchFilter
from handlers.commands.help import EXAMPLES
from handlers.commands.subscribe import when
from handlers.context import Deps
from handlers.replies import Reply, release_card

NEWEST = 5  # releases on the home page; more are a `latest` away
TOP_AREAS = 3  # crime areas named in the week's line


def home_reply(deps: Deps, prefix: str) -> Reply:
    """The home page: `text` says what coop holds and what came in the last seven days, `cards` are the newest
    releases, `lines` the commands to try, typed with `prefix`."""
    total = deps.store.releases.count()
    newest = deps.store.releases.search(SearchFilter(newest_first=True), limit=NEWEST)
    text = (f"coop follows law-enforcement and judicial cooperation news: {total:,} releases, tagged by agency, "
            f"crime area, country and kind of cooperation. {_week(deps)}")
    lines = [f"{prefix} {example}" for example in EXAMPLES] + [f"{prefix} help: every command"]
    return Reply(text=text, lines=lines,
                 cards=[release_card(release, deps.taxonomy, with_actions=False) for release in newest])


def _week(deps: Deps) -> str:
    """'Last 7 days: 12 releases; most on cybercrime 4, fraud 3, drug-trafficking 2.'"""
    tags, months = deps.store.releases.counts(SearchFilter(since=deps.now() - timedelta(days=7)))
    count = sum(n for _, n in months)
    if not count:
        return "Nothing new in the last 7 days."
    areas = [f"{value} {n}" for kind, value, n in tags if kind == "area"][:TOP_AREAS]
    most = f"; most on {', '.join(areas)}" if areas else ""
    return f"Last 7 days: {count} release{'s' if count != 1 else ''}{most}."


@dataclass(frozen=True)
class Yours:
    """The part of the home page that is the reader's own: per channel, the subscriptions they set up or are
    mentioned in, and how to change them; `text` says what to do when there are none."""

    text: str
    channels: dict[str, list[str]]


def yours(deps: Deps, platform: str, workspace: str, user: str, prefix: str) -> Yours:
    channels: dict[str, list[str]] = defaultdict(list)
    for sub in deps.store.subscriptions.of_person(platform, workspace, user):
        marks = [mark for mark, yes in (("set up by you", sub.created_by == user),
                                        ("mentions you", user in sub.mentions)) if yes]
        channels[sub.channel].append(f"{sub.id}: {sub.describe()}{when(sub, deps)} · {', '.join(marks)}")
    if not channels:
        return Yours(f"None of coop's subscriptions is yours yet. In a channel: {prefix} subscribe europol, then "
                     f"{prefix} notify to be mentioned in its alerts.", {})
    return Yours(f"In that channel, {prefix} notify <id> off stops the mentions, {prefix} unsubscribe <id> the "
                 "alerts.", dict(channels))
