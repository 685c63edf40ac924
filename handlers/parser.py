"""Chat text into a command: subcommand (with aliases), words, quoted phrases and key:value facets."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

PREFIXES = ("/coop", "!coop")
FACET_KEYS = ("agency", "area", "country", "since", "until", "kind", "lang", "page")
FACET_ALIASES = {"language": "lang"}
ALIASES = {
    "help": ("help", "h", "?", "aide", "hilfe"),
    "search": ("search", "s", "find", "f"),
    "latest": ("latest", "l", "new", "recent"),
    "show": ("show", "get", "view"),
    "subscribe": ("subscribe", "sub", "follow", "watch"),
    "unsubscribe": ("unsubscribe", "unsub", "unfollow", "unwatch"),
    "subscriptions": ("subscriptions", "subs", "list"),
    "pause": ("pause", "mute", "snooze", "hold"),
    "resume": ("resume", "unpause", "unmute", "unsnooze"),
    "notify": ("notify", "mention", "ping", "notifyme"),
    "agencies": ("agencies", "agency", "bodies"),
    "areas": ("areas", "area", "crimes"),
    "sources": ("sources", "source", "src", "feeds"),
    "stats": ("stats", "statistics", "trends", "overview"),
    "timezone": ("timezone", "tz", "time-zone", "zone"),
    "threads": ("threads", "thread", "threading"),
    "format": ("format", "style", "layout"),
    "export": ("export", "feed", "rss", "atom", "csv", "spreadsheet", "links"),
}
_BY_ALIAS = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_SPELT_OUT = [alias for alias in _BY_ALIAS if len(alias) >= 3]
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
# A leading "-" (before a word, a quote or a facet) excludes what follows: -europol, -"conference", -kind:training
_TOKEN = re.compile(r'(-(?=\S))?(?:(\w+):"([^"]*)"?|"([^"]*)"?|(\S+))')
MAX_INPUT = 2000


@dataclass
class Word:
    text: str
    quoted: bool = False
    excluded: bool = False  # typed with a leading "-": what it names must not be in a release


@dataclass
class ParsedCommand:
    name: str
    words: list[Word] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    excluded_facets: dict[str, list[str]] = field(default_factory=dict)  # -kind:training
    raw: str = ""
    unknown: str | None = None

    @property
    def rest(self) -> str:
        return " ".join(("-" if w.excluded else "") + (f'"{w.text}"' if w.quoted else w.text) for w in self.words)

    @property
    def included(self) -> list[Word]:
        return [word for word in self.words if not word.excluded]

    @property
    def excluded(self) -> list[Word]:
        return [word for word in self.words if word.excluded]


def command_name(word: str) -> str | None:
    """The command a word names, through its aliases ("sub" is subscribe), or None."""
    return _BY_ALIAS.get(word.lower())


def near_command(word: str) -> str | None:
    """The command a mistyped word most likely meant ("serach" is search, "news" is latest), or None. Aliases of
    one or two letters are left out: nearly every short word is near one of them."""
    close = difflib.get_close_matches(word.lower(), _SPELT_OUT, n=1, cutoff=0.75)
    return _BY_ALIAS[close[0]] if close else None


def strip_prefix(text: str) -> str | None:
    """The command text after /coop or !coop, or None when the line is not for the bot."""
    stripped = text.strip()
    for prefix in PREFIXES:
        if stripped == prefix or stripped.startswith(prefix + " "):
            return stripped[len(prefix):].strip()
    return None


def parse(text: str) -> ParsedCommand:
    """Never raises: anything it cannot read becomes `help`, with `unknown` saying what was not understood."""
    text = text[:MAX_INPUT].translate(_QUOTES).strip()
    if not text:
        return ParsedCommand(name="help", raw=text)
    head, _, tail = text.partition(" ")
    name = command_name(head)
    if name is None:
        return ParsedCommand(name="help", raw=text, unknown=head)
    command = ParsedCommand(name=name, raw=text)
    for match in _TOKEN.finditer(tail):
        _add_token(command, *match.groups())
    return command


def _add_token(command: ParsedCommand, minus: str | None, key: str | None, key_quoted: str | None,
               quoted: str | None, bare: str | None) -> None:
    excluded = minus is not None
    facets = command.excluded_facets if excluded else command.facets
    if key is not None and (facet_key := _facet_key(key)):
        facets.setdefault(facet_key, []).append(key_quoted or "")
    elif quoted is not None:
        if quoted.strip():
            command.words.append(Word(quoted.strip(), quoted=True, excluded=excluded))
    elif bare is not None:
        facet, sep, value = bare.partition(":")
        if sep and (facet_key := _facet_key(facet)):  # an empty value ("country:") is the command's to refuse
            facets.setdefault(facet_key, []).append(value)
        else:
            command.words.append(Word(bare, excluded=excluded))
    elif key is not None:
        command.words.append(Word(f"{key}:{key_quoted}", excluded=excluded))


def _facet_key(key: str) -> str | None:
    lowered = key.lower()
    lowered = FACET_ALIASES.get(lowered, lowered)
    return lowered if lowered in FACET_KEYS else None
