"""`pause`: a channel's alerts wait, for a while or until `resume`, and then come together. Releases that match
meanwhile are still queued, so a pause loses nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo

from bot.models import HELD_UNTIL_RESUMED, Schedule, Subscription
from handlers.commands.chosen import chosen_subscriptions, listed
from handlers.commands.terms import TermError, parse_period
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility, moment

# How long, after the subscription: pause 12h, pause 3d, pause europol for 2w
_DURATION = re.compile(r"(?P<count>\d{1,3})(?P<unit>[hdw])", re.IGNORECASE)
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
HOW_LONG = "pause 3d (h, d or w), or pause until:2026-12-24 (to the end of that day)"


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not ctx.can_change_subscriptions:
        return ctx.refused()
    where = (ctx.platform, ctx.workspace, ctx.channel)
    zone, now = deps.ingestor.zone_of(where), deps.now()
    try:
        until, named = pause_end(command, now, zone)
    except TermError as error:
        return Reply(text=str(error), error=True)
    subs = [sub for sub in deps.store.subscriptions.for_channel(*where) if not sub.paused]
    if not subs:
        return Reply(text=f"This {ctx.place} has no subscriptions to pause. See them with: subscriptions", error=True)
    chosen = chosen_subscriptions(named, ctx, deps, subs)
    if isinstance(chosen, str):
        return Reply(text=chosen, error=True)
    deps.store.subscriptions.hold(*where, [sub.id for sub in chosen], until, now)
    deps.ingestor.subscriptions_changed()
    deps.ingestor.reschedule_held(*where)
    return Reply(text=_paused_text(chosen, until, zone, ctx), lines=listed(chosen), visibility=Visibility.CHANNEL)


def pause_end(command: ParsedCommand, now: datetime, zone: tzinfo) -> tuple[datetime, ParsedCommand]:
    """When the pause the command asks for ends, and the command without the words that said so."""
    words, ends = list(command.words), []
    if days := command.facets.get("until"):
        ends.append(_end_of_day(days[-1], now, zone))
    if words and not words[-1].quoted and (duration := _DURATION.fullmatch(words[-1].text)):
        words.pop()
        if words and not words[-1].quoted and words[-1].text.lower() == "for":
            words.pop()
        ends.append(now + int(duration["count"]) * _UNIT[duration["unit"].lower()])
    if len(ends) > 1:
        raise TermError(f"Say how long once: {HOW_LONG}")
    if ends and ends[0] <= now:
        raise TermError(f"A pause ends later than now: {HOW_LONG}")
    facets = {key: values for key, values in command.facets.items() if key != "until"}
    return (ends[0] if ends else HELD_UNTIL_RESUMED), replace(command, words=words, facets=facets)


def _end_of_day(text: str, now: datetime, zone: tzinfo) -> datetime:
    """The end of the day, month or year `until:` names, in the channel's time zone."""
    _, end = parse_period(text, now, "until:")
    return end.replace(tzinfo=zone).astimezone(UTC)


def _paused_text(subs: list[Subscription], until: datetime, zone: tzinfo, ctx: CommandContext) -> str:
    which = subs[0].named() if len(subs) == 1 else (
        f"{len(subs)} subscriptions of this {ctx.place}")
    digests = " (daily and weekly ones at their hour)" if any(s.schedule is not Schedule.INSTANT for s in subs) else ""
    if until >= HELD_UNTIL_RESUMED:
        return f"Paused: {which}. Alerts wait until someone says {ctx.prefix} resume, and then come together{digests}."
    return (f"Paused until {moment(until, zone)}: {which}. Alerts wait and come together then{digests}; "
            f"{ctx.prefix} resume brings them sooner.")

