"""The neutral reply every command returns; each platform renders it (Block Kit, Matrix HTML, terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.language import language_note
from bot.models import Release, Subscription
from bot.taxonomy import Taxonomy


class Visibility(StrEnum):
    PRIVATE = "private"  # only the person who asked (Slack ephemeral)
    CHANNEL = "channel"  # everyone in the channel: subscription changes, so the channel knows


class Action(BaseModel):
    """A button as an intent: the platform decides how to show it, the handler how to run it."""

    kind: str  # "share", "more_like", "subscribe", "page"
    label: str
    value: str


class Card(BaseModel):
    release_id: str
    title: str
    url: str | None = None
    publisher: str
    date: datetime
    agencies: list[str] = Field(default_factory=list)  # their names, as a reader knows them
    agency_ids: list[str] = Field(default_factory=list)  # the same agencies' canonical IDs
    areas: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    language: str = "en"  # ISO 639-1, as bot/language.py tells it
    summary: str = ""
    facts: str = ""
    revision: int = 1
    story: str | None = None  # the first release of the story this one continues
    actions: list[Action] = Field(default_factory=list)

    def tag_groups(self) -> list[list[str]]:
        """The tags in the facts line's order (who, what kind, which crimes, where), empty groups left out."""
        return [group for group in (self.agencies, self.kinds, self.areas, self.countries) if group]

    def meta_line(self) -> str:
        """'Eurojust · 05 Oct 2023 · Eurojust, EEAS, agreement, terrorism': the line under every card's title."""
        tags = ", ".join(tag for group in self.tag_groups() for tag in group)
        story = f" · same story as [{self.story}]" if self.story else ""
        return f"{self.publisher} · {self.date:%d %b %Y}{self.language_note()}" + (f" · {tags}" if tags else "") + story

    def language_note(self) -> str:
        return language_note(self.language)


class Reply(BaseModel):
    text: str
    cards: list[Card] = Field(default_factory=list)
    lines: list[str] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    visibility: Visibility = Visibility.PRIVATE
    error: bool = False

    def plain(self, prefix: str = "") -> str:
        """The reply as plain text: the fallback every platform sends along, and the console's output. A page
        button becomes the command to type for the next page, after the cards, with the platform's `prefix`."""
        parts = [self.text]
        parts += self.lines
        for card in self.cards:
            parts.append(card_text(card))
        typed = f"{prefix} " if prefix else ""
        parts += [f"More: {typed}{action.value}" for action in self.actions if action.kind == "page"]
        return "\n".join(p for p in parts if p)


def card_text(card: Card) -> str:
    lines = [f"[{card.release_id}] {card.title}", f"  {card.meta_line()}"]
    if card.summary:
        lines.append(f"  {card.summary}")
    if card.url:
        lines.append(f"  {card.url}")
    return "\n".join(lines)


def moment(when: datetime, zone: tzinfo) -> str:
    """A time as replies give it, in the channel's zone: Wed 02 Dec 00:00 Europe/Brussels."""
    return f"{when.astimezone(zone):%a %d %b %H:%M} {zone}"


def followed_line(followed: Sequence[Subscription], prefix: str, waited: bool = False) -> str:
    """Why an alert came here: the channel's subscriptions it came through, and how to stop one; so a channel with
    several subscriptions, or someone new to it, can tell. An alert that `waited` for the end of a pause says so,
    or a burst of old news after a quiet fortnight would look like a fault."""
    if not followed:
        return ""
    why = "Waited for the end of a pause · " if waited else ""
    if len(followed) == 1:
        return f"{why}Followed here: {followed[0].describe()} · {prefix} unsubscribe {followed[0].id} to stop"
    return f"{why}Followed here: {'; '.join(sub.describe() for sub in followed)} · {prefix} subscriptions to see them"


def digest_heading(count: int, updated: bool = False) -> str:
    """The first line of an alert that carries several releases."""
    return f"{count} new releases" + (" (updated)" if updated else "")


def release_card(release: Release, taxonomy: Taxonomy, with_actions: bool = True) -> Card:
    agencies = release.tags.agency_ids()
    actions: list[Action] = []
    if with_actions:
        actions = [
            Action(kind="share", label="Share to channel", value=release.id),
            Action(kind="more_like", label="More like this", value=release.id),
        ]
        subscribe_to = next((a for a in agencies if a in taxonomy.agencies), None)
        if subscribe_to:
            name = taxonomy.agency_name(subscribe_to)
            actions.append(Action(kind="subscribe", label=f"Subscribe to {name}", value=subscribe_to))
    return Card(
        release_id=release.id,
        title=release.title,
        url=release.url,
        publisher=taxonomy.agency_name(release.publisher),
        date=release.date,
        agencies=[taxonomy.agency_name(a) for a in agencies],
        agency_ids=agencies,
        areas=release.tags.area_ids(),
        countries=release.tags.country_codes(),
        kinds=release.tags.cooperation_ids(),
        language=release.language,
        summary=release.summary,
        facts=release.facts,
        revision=release.revision,
        story=release.story,
        actions=actions,
    )
