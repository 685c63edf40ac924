"""`timezone`: the time zone this channel's daily and weekly hours are read in (UTC until one is set)."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import available_timezones

from bot.textutil import truncate_words
from handlers.commands.subscribe import when
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility

EXAMPLE = "timezone Europe/Brussels (or a city: timezone lisbon, timezone new york)"
# Names of the zone database that are not places: a channel gets UTC by name, not by these.
_NOT_PLACES = {"factory", "localtime", "posixrules"}
_UTC_WORDS = {"utc", "gmt", "z", "zulu", "default", "reset"}


@cache
def _zone_keys() -> dict[str, str]:
    """Every way a zone may be typed, lowercased, to its IANA name: the name, and the city alone where only one zone
    has it ("brussels", "new_york" and "new york")."""
    names = {name for name in available_timezones() if name.lower() not in _NOT_PLACES}
    keys = {name.lower(): name for name in names}
    cities: dict[str, set[str]] = {}
    for name in names:
        city = name.rsplit("/", 1)[-1].lower()
        cities.setdefault(city, set()).add(name)
        cities.setdefault(city.replace("_", " "), set()).add(name)
    for city, zones in cities.items():
        if len(zones) == 1:
            keys.setdefault(city, zones.pop())
    return keys


def zone_named(text: str) -> str | None:
    """The IANA name of the zone the text names ("UTC" for UTC), or None when it names none."""
    folded = " ".join(text.lower().split())
    if folded in _UTC_WORDS:
        return "UTC"
    return _zone_keys().get(folded) or _zone_keys().get(folded.replace(" ", "_"))


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not command.words:
        return _current(ctx, deps)
    if not ctx.can_change_subscriptions:
        return ctx.refused("settings")
    asked = " ".join(word.text for word in command.words)
    name = zone_named(asked)
    if name is None:
        return Reply(text=_unknown(asked), error=True)
    deps.store.channels.set_timezone(ctx.platform, ctx.workspace, ctx.channel, None if name == "UTC" else name)
    deps.ingestor.subscriptions_changed()
    moved = deps.ingestor.reschedule_held(ctx.platform, ctx.workspace, ctx.channel).total()
    lines = _scheduled(ctx, deps)
    if moved:
        lines.append(f"{moved} waiting alert{'s' if moved != 1 else ''} moved to the new time.")
    zone = deps.ingestor.zone_of((ctx.platform, ctx.workspace, ctx.channel))
    text = f"This {ctx.place}'s time zone is now {zone}{_clock(zone, deps.now())}."
    return Reply(text=text, lines=lines, visibility=Visibility.CHANNEL)


def _current(ctx: CommandContext, deps: Deps) -> Reply:
    zone = deps.ingestor.zone_of((ctx.platform, ctx.workspace, ctx.channel))
    default = ", the default" if zone is UTC else ""
    lines = [*_scheduled(ctx, deps), f"Change it with: {ctx.prefix} {EXAMPLE}"]
    return Reply(text=f"This {ctx.place}'s time zone is {zone}{default}{_clock(zone, deps.now())}.",
                 lines=lines)


def _scheduled(ctx: CommandContext, deps: Deps) -> list[str]:
    """What the zone changes here: the hours of the daily and weekly subscriptions."""
    subs = deps.store.subscriptions.for_channel(ctx.platform, ctx.workspace, ctx.channel)
    timed = [f"  {sub.id}: {sub.describe()}{hour}" for sub in subs if (hour := when(sub, deps))]
    if not timed:
        return ["Daily and weekly subscriptions here go out at their hour in it."]
    return ["Daily and weekly subscriptions here:", *timed]


def _clock(zone: tzinfo, now: datetime) -> str:
    """The time there now, and its offset from UTC: " (it is 15:04 there, UTC+01:00)"."""
    local = now.astimezone(zone)
    if zone is UTC:
        return f" (it is {local:%H:%M})"
    offset = f"{local:%z}"
    return f" (it is {local:%H:%M} there, UTC{offset[:3]}:{offset[3:]})"


def _unknown(asked: str) -> str:
    close = difflib.get_close_matches(asked.lower(), list(_zone_keys()), n=1, cutoff=0.75)
    hint = f" Did you mean {_zone_keys()[close[0]]}?" if close else ""
    return f"“{truncate_words(asked, 60)}” is not a time zone coop knows.{hint} Name one as {EXAMPLE}."
