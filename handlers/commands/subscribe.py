"""`subscribe`: alerts in this channel for releases matching all the terms, with a preview of what it catches."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, tzinfo

from bot.matcher import words as fold_words
from bot.matching import SubscriptionIndex
from bot.models import Release, Schedule, Subscription
from bot.store.dialect import SearchFilter, SearchTerm
from handlers.commands.terms import TermError, facet_filter, named_words
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand, Word
from handlers.replies import Reply, Visibility

PREVIEW_DAYS = 30
LOOKBACK = 200  # releases read to find the latest match of a subscription with none in PREVIEW_DAYS
FIELD_OF_KIND = {"agency": "agencies", "area": "areas", "country": "countries", "kind": "kinds",
                 "language": "languages"}
SEARCH_ONLY = ("since", "until", "page")
# Words that say when, not what: "subscribe europol daily"
SCHEDULE_WORDS = {"daily": Schedule.DAILY, "weekly": Schedule.WEEKLY}
# The hour after daily or weekly, in the channel's time zone: "daily 18:00", "daily at 7", "weekly 9h"
_HOUR = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minutes>\d{2}))?(?:h|(?P<utc>utc))?", re.IGNORECASE)


def build_subscription(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Subscription | str:
    """The subscription the words describe, or a message saying which word is not understood."""
    sub = Subscription(platform=ctx.platform, workspace=ctx.workspace, channel=ctx.channel, created_by=ctx.user)
    if search_only := [key for key in [*command.facets, *command.excluded_facets] if key in SEARCH_ONLY]:
        follows = "agencies, areas, countries, kinds, languages and words"
        return f"{search_only[0]}: works with search and latest; a subscription follows {follows}"
    try:
        words = _read_schedule(command.included, sub, deps.ingestor.zone_of((ctx.platform, ctx.workspace, ctx.channel)))
        facets = facet_filter(command, deps)  # agency:, area:, country:, kind: and lang:, read as search reads them
        for kind, value in [*_terms(named_words(words, deps), deps), *facets.facets]:
            getattr(sub, FIELD_OF_KIND.get(kind, "keywords")).append(value)
        sub.excluded = [*_terms(command.excluded, deps), *(tag for term in facets.excluded for tag in term.tags)]
    except TermError as error:
        return str(error)
    return sub


def _read_schedule(words: list[Word], sub: Subscription, zone: tzinfo) -> list[Word]:
    """Sets the subscription's schedule and hour from "daily", "weekly" and an hour ("18:00", "at 7"); returns the
    other words."""
    rest: list[Word] = []
    for index, word in enumerate(words):
        text, after = word.text.lower(), words[index + 1] if index + 1 < len(words) else None
        if word.quoted:
            rest.append(word)
        elif text in SCHEDULE_WORDS:
            sub.schedule = SCHEDULE_WORDS[text]
        elif hour := _HOUR.fullmatch(text):
            sub.hour = _hour_of(hour, zone)
        elif not (text == "at" and after and not after.quoted and _HOUR.fullmatch(after.text)):
            rest.append(word)  # "at" is a time word only before an hour; alone it is Austria
    if sub.hour is not None and sub.schedule is Schedule.INSTANT:
        raise TermError(f"An hour goes with daily or weekly, for example: daily {sub.hour:02d}:00")
    return rest


def _hour_of(match: re.Match[str], zone: tzinfo) -> int:
    hour, minutes = int(match["hour"]), int(match["minutes"] or 0)
    if hour > 23 or minutes:
        raise TermError(f"“{match[0]}”: coop sends digests on the hour, 00:00 to 23:00; for example daily 18:00")
    if match["utc"] and zone is not UTC:
        raise TermError(f"Hours here are in {zone}, this channel's time zone (see: timezone); for example daily "
                        f"{hour:02d}:00")
    return hour


def _terms(words: list[Word], deps: Deps) -> list[tuple[str, str]]:
    """Each word as the tag it names, or as a keyword when quoted; raises TermError for an unquoted unknown word."""
    terms = []
    for word in words:
        term = deps.resolver.resolve(word.text)
        if term is not None:
            terms.append((term.kind, term.id))
        elif word.text == "OR" and not word.quoted:
            raise TermError("A subscription follows releases that match all its terms. For one term or another, "
                            "subscribe to each: a release that matches both comes once.")
        elif not word.quoted:
            hint = f' To leave it out as words, quote it: -"{word.text}"' if word.excluded else (
                f' To follow it as words, quote it: "{word.text}"')
            raise TermError(deps.resolver.unknown_message(word.text) + hint)
        elif not fold_words(word.text):
            raise TermError(f'"{word.text}" has no word to look for; quote words, for example "money mules"')
        else:
            terms.append(("keyword", word.text))
    return terms


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not (command.words or command.facets or command.excluded_facets):
        example = 'For example: subscribe europol cybercrime, or subscribe "money mules"'
        return Reply(text=f"Subscribe to what? {example}", error=True)
    if not ctx.can_change_subscriptions:
        return ctx.refused()
    built = build_subscription(command, ctx, deps)
    if isinstance(built, str):
        return Reply(text=built, error=True)
    sub, earlier = deps.store.subscriptions.add(built)
    deps.ingestor.subscriptions_changed()
    changed = earlier is not None and (earlier.schedule, earlier.hour) != (sub.schedule, sub.hour)
    if changed:
        deps.ingestor.reschedule_held(ctx.platform, ctx.workspace, ctx.channel)
    verb = "Subscribed" if earlier is None else "Changed" if changed else "Already subscribed"
    follows = f"{sub.describe()}{when(sub, deps, changed)}"
    return Reply(text=f"{verb}: this {ctx.place} gets alerts for {follows} (subscription {sub.id}).",
                 lines=preview_lines(sub, deps), visibility=Visibility.CHANNEL)


def preview_lines(sub: Subscription, deps: Deps) -> list[str]:
    count, examples = preview(sub, deps)
    lines = [f"Would have matched {count} release{'s' if count != 1 else ''} in the last {PREVIEW_DAYS} days."]
    lines += [f"  e.g. {r}" for r in examples]
    if not count and (older := latest_match(sub, deps)):
        lines.append(f"  The latest that would have: {older.title} ({older.date:%d %b %Y})")
    return lines


def preview(sub: Subscription, deps: Deps) -> tuple[int, list[str]]:
    since = deps.now() - timedelta(days=PREVIEW_DAYS)
    index = SubscriptionIndex([sub])
    matched = [r for r in deps.store.releases.since(since) if index.match(r)]
    return len(matched), [r.title for r in matched[:2]]


def latest_match(sub: Subscription, deps: Deps) -> Release | None:
    """The newest stored release the subscription matches, looked for among the newest releases with its tags (or
    with its words, when it follows words only): so a quiet month does not look like a subscription that never
    matches."""
    facets = [(kind, id_) for kind, field in FIELD_OF_KIND.items() for id_ in getattr(sub, field)]
    terms = [] if facets else [SearchTerm(text=keyword, phrase=True) for keyword in sub.keywords]
    candidates = deps.store.releases.search(SearchFilter(terms=terms, facets=facets), limit=LOOKBACK)
    index = SubscriptionIndex([sub])
    return max((r for r in candidates if index.match(r)), key=lambda r: r.date, default=None)


def when(sub: Subscription, deps: Deps, say_instant: bool = False) -> str:
    """How often a subscription's alerts go out, as a reply says it (as releases arrive goes without saying, but
    after a change)."""
    zone = deps.ingestor.zone_of((sub.platform, sub.workspace, sub.channel))
    hour = f"{deps.ingestor.hour_of(sub):02d}:00 {zone}"
    if sub.schedule is Schedule.DAILY:
        return f", once a day at {hour}"
    if sub.schedule is Schedule.WEEKLY:
        return f", once a week on Mondays at {hour}"
    return ", as releases arrive" if say_instant else ""
