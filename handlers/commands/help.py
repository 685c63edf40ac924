"""`help`: what coop can do, with examples; `help <command>`: one command in full."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands.terms import named_words
from handlers.context import CommandContext, Deps
from handlers.parser import ALIASES, ParsedCommand, command_name, near_command, parse
from handlers.replies import Reply

FACETS = ("[agency:<id>] [area:<id>] [country:<cc>] [kind:<kind>] [lang:<code>] [since:<date>] [until:<date>] "
          "[page:<n>]")
SINCE = ("since: and until: take a year, a month or a day (since:2024, since:2024-06, since:2024-06-30), or count "
         "back from today (since:today, since:yesterday, since:7d, since:2w, since:3m, since:1y); until: takes in "
         "the whole of the day, month or year it names: since:2023 until:2023 is the year 2023.")

LANG = ("lang: takes the language a release is written in, by code or English name (lang:fr, lang:french); "
        "-lang:fr leaves those releases out.")


@dataclass(frozen=True)
class CommandHelp:
    usage: str
    does: str
    details: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


HELP = {
    "search": CommandHelp(
        f"search <words> {FACETS}", "find releases",
        ("Words that name an agency, a crime area, a country or a crime (\"migrants\", \"united kingdom\") also find "
         "the releases tagged with it.", "Any form of a word counts: smuggler finds smugglers.",
         "A typo of such a word is put right when that finds more, and the reply says so (ransomwear).",
         'Quoted words are found together, in that order: search "money mules".',
         'OR between words finds releases with either: search ransomware OR phishing.',
         'A "-" leaves out what follows: -europol, -kind:training, -"press conference".', SINCE),
        ("search cybercrime", "search ransomware agency:europol since:2024-01-01"),
    ),
    "latest": CommandHelp(
        "latest [agency|area|country|publisher|words ...] [kind:<kind>] [lang:<code>] [since:<date>] [until:<date>] "
        "[page:<n>]",
        "the newest releases",
        ("With several terms, releases that match all of them; a \"-\" leaves one out (latest europol -interpol).",
         'Words that name nothing, and quoted ones, must be in the text: latest ransomware, latest md "visa".',
         SINCE, "The same list is a web feed for a feed reader, and every release it holds a spreadsheet: export "
         "with the same terms gives their addresses."),
        ("latest eurojust", "latest md kind:agreement", "latest europol since:7d", "latest cybercrime -kind:training",
         "latest ransomware"),
    ),
    "show": CommandHelp(
        "show <release-id|address>", "one release with its tags and the evidence",
        ("The ID is in brackets before each result of search and latest; its first characters do (show 1a2b3c), "
         "and so does the release's web address.",
         "It also lists the other releases of the same story: the same operation told by another newsroom."),
    ),
    "subscribe": CommandHelp(
        'subscribe <agency|area|country|"keywords"> ... [kind:<kind>] [lang:<code>] [daily|weekly [<hour>]]',
        "alerts here for releases matching all terms",
        ("The reply says how many releases of the last 30 days would have matched (when none did, the latest that "
          "would have).",
         "A release that matches several of this channel's subscriptions comes once, and each alert says which "
         "subscription it came through.",
         "A release on a story this channel already had (the same operation told by another newsroom, within "
         "days) comes as a reply to the first alert, in its thread.",
         "daily or weekly: the alerts wait and come together, once a day or on Mondays, at the hour set by "
         "the operator or the one given (daily 18:00), in this channel's time zone (see: help timezone); "
         "subscribing again with the same terms changes it.",
         'A "-" leaves out releases with an agency, area, country, kind or words: subscribe europol -kind:training '
         '-"press conference"; a subscription of exclusions alone gets everything else.'),
        ("subscribe europol cybercrime", 'subscribe "joint investigation team" country:MD',
         "subscribe moldova kind:agreement", "subscribe cybercrime -kind:training", "subscribe eppo weekly",
         "subscribe md daily 18:00"),
    ),
    "unsubscribe": CommandHelp(
        "unsubscribe <subscription-id|terms>", "stop one subscription",
        ("The IDs are listed by: subscriptions",), ("unsubscribe europol cybercrime",),
    ),
    "subscriptions": CommandHelp("subscriptions", "what this channel follows"),
    "pause": CommandHelp(
        "pause [<subscription-id|terms>] [<n>h|<n>d|<n>w|until:<date>]",
        "alerts here wait, for a while or until resume, and then come together",
        ("With no subscription named, every subscription of this channel pauses.",
         "Releases that match meanwhile are not lost: their alerts wait, and come together when the pause ends "
         "(as a digest; daily and weekly ones at their hour).",
         "How long: 12h, 3d, 2w from now, or until: a day (until:2026-12-24 pauses to the end of that day, in this "
         "channel's time zone); with neither, until someone says: resume.",
         "Pausing again changes when the pause ends."),
        ("pause 2w", "pause until:2026-12-24", "pause eppo 3d", "pause 2"),
    ),
    "resume": CommandHelp(
        "resume [<subscription-id|terms>]", "alerts come again, and those that waited come now",
        ("With no subscription named, every paused subscription of this channel resumes, and so do those coop "
         "stopped because the channel refused it.",),
        ("resume 2", "resume"),
    ),
    "notify": CommandHelp(
        "notify [<subscription-id|terms>] [off]", "you are mentioned in alerts here, so they notify you",
        ("With no subscription named, in the alerts of every subscription this channel has now.",
         "Each person asks for themselves: coop mentions only those who said notify, and off stops it; so does "
         "leaving the channel.",
         "An alert names everyone who asked, once, after the subscription it came through; a correction that "
         "edits it does not notify again."),
        ("notify 2", "notify eppo", "notify", "notify 2 off"),
    ),
    "stats": CommandHelp(
        "stats [agency|area|country|publisher|words ...] [kind:<kind>] [lang:<code>] [since:<date>] [until:<date>]",
        "what the releases are about: counts by tag and by month",
        ("Counts the releases that match all terms (all of them with none): their crime areas, agencies, countries "
         "and kinds, most first, and a bar for each month (each year, over three years).",
         "A word that names nothing, or a quoted one, counts the releases that say it, however old: how often "
         'ransomware came up, and with whom (stats ransomware since:2023, stats "joint investigation team").',
         'A "-" leaves one out (stats europol -kind:operation).', SINCE),
        ("stats", "stats md since:2024", "stats cybercrime since:1y", "stats europol since:2023 until:2023",
         "stats ransomware since:2023"),
    ),
    "timezone": CommandHelp(
        "timezone [<zone>]", "the time zone of this channel's daily and weekly hours",
        ("UTC until one is set. Name a zone as the time zone database does (Europe/Brussels), or its city alone "
         "(lisbon, new york); utc goes back to UTC.",
         "The hours follow summer time. Alerts already waiting move to the new time."),
        ("timezone", "timezone Europe/Brussels", "timezone new york"),
    ),
    "threads": CommandHelp(
        "threads [on|off]", "whether a story's next alert here comes in the first alert's thread",
        ("On (the default): a release on a story this channel already had (the same operation told by another "
         "newsroom, within days) comes as a reply to the first alert, in its thread.",
         "Off: every alert comes in the channel; one on a story it already had says which release the story "
         "started with."),
        ("threads", "threads off"),
    ),
    "format": CommandHelp(
        "format [full|compact]", "whether alerts here are cards or one line per release",
        ("Full (the default): each alert is a card with its summary, tags and buttons, and says which subscription it "
         "came through.",
         "Compact: one line per release (its title, linked, the newsroom, the date and the tags), for a channel that "
         "gets many; a digest is a list of such lines."),
        ("format", "format compact", "format full"),
    ),
    "export": CommandHelp(
        "export [agency|area|country|publisher|words ...] [kind:<kind>] [lang:<code>] [since:<date>] [until:<date>]",
        "the web addresses of a feed and a spreadsheet of the releases latest lists",
        ("The feed (Atom) has the 30 newest releases, with their tags as categories, for a feed reader or an e-mail "
         "digest; it takes no page:.",
         "The spreadsheet (CSV) has every release that matches, one row each with its tags by ID, to count and "
         "chart; it holds at most 2,000, so narrow a larger query with since: and until:.", SINCE),
        ("export europol cybercrime", "export eurojust kind:agreement since:2023"),
    ),
    "agencies": CommandHelp("agencies, areas", "the IDs coop knows"),
    "sources": CommandHelp(
        "sources", "the newsrooms coop watches and their health",
        ("Admins may change them: sources add <url> [publisher], sources remove <id>.",),
    ),
}
HELP["areas"] = HELP["agencies"]
USAGE = [f"{h.usage} — {h.does}" for name, h in HELP.items() if name != "areas"]
# The overview's examples: searching, the newest, following, and counting.
EXAMPLES = [*HELP["search"].examples, HELP["latest"].examples[0], *HELP["subscribe"].examples,
            HELP["stats"].examples[1]]


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    asked = command.words[0].text if command.words and not command.unknown else None
    name = command_name(asked) if asked else None
    if name in HELP:
        return _one_command(name, ctx, deps)
    lines = ["Commands:", *(f"  {line}" for line in USAGE), f"More on one command: {ctx.prefix} help <command>"]
    lines += ["Examples:", *(f"  {ctx.prefix} {example}" for example in EXAMPLES)]
    if command.unknown:
        return _unknown(command.unknown, command.raw.partition(" ")[2].strip(), ctx, deps) or _listing(
            command.unknown, lines)
    if asked and name is None:
        near = near_command(asked)
        return _listing(asked, lines) if near is None else _did_you_mean(asked, f"help {near}", ctx)
    return Reply(text="coop follows law-enforcement and judicial cooperation news.", lines=lines)


def _unknown(head: str, rest: str, ctx: CommandContext, deps: Deps) -> Reply | None:
    """A line that is not a command but names what to look up ("europol", "md kind:agreement"): how to see its
    news and follow it; or a typo of a command ("serach cybercrime"): the line meant. None: neither."""
    typed = f"{head} {rest}".strip()
    words = named_words(parse(f"latest {typed}").included, deps)
    if words and all(deps.resolver.names_something(word.text) for word in words):
        return Reply(text=f"I don't know the command “{head}”. For the newest releases on {typed}: "
                          f"`{ctx.prefix} latest {typed}`; for alerts on them here: `{ctx.prefix} subscribe {typed}`.")
    near = near_command(head)
    return _did_you_mean(head, f"{near} {rest}".strip(), ctx) if near else None


def _did_you_mean(typed: str, meant: str, ctx: CommandContext) -> Reply:
    return Reply(text=f"I don't know the command “{typed}”. Did you mean `{ctx.prefix} {meant}`?",
                 lines=[f"Every command: {ctx.prefix} help"])


def _listing(unknown: str, lines: list[str]) -> Reply:
    return Reply(text=f"I don't know the command “{unknown}”. Here is what I can do.", lines=lines)


def _one_command(name: str, ctx: CommandContext, deps: Deps) -> Reply:
    entry = HELP[name]
    lines = [f"  {ctx.prefix} {entry.usage}", *entry.details]
    if "[kind:<kind>]" in entry.usage:
        lines.append(f"kind: is one of {', '.join(deps.taxonomy.cooperation)} (or a word of one: kind:forum).")
    if "[lang:<code>]" in entry.usage:
        lines.append(LANG)
    others = [alias for alias in ALIASES[name] if alias != name]
    if others:
        lines.append(f"Also typed as: {', '.join(others)}.")
    if entry.examples:
        lines += ["Examples:", *(f"  {ctx.prefix} {example}" for example in entry.examples)]
    return Reply(text=f"{name}: {entry.does}", lines=lines)
