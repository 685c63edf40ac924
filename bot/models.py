"""Data shapes shared by every layer: releases, their tags, sources, subscriptions and deliveries."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; every one we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class AgencyRole(StrEnum):
    PUBLISHER = "publisher"
    PARTY = "party"
    MENTIONED = "mentioned"


class AgencyTag(BaseModel):
    id: str
    role: AgencyRole
    evidence: list[str] = Field(default_factory=list)


class AreaTag(BaseModel):
    id: str
    score: float
    evidence: list[str] = Field(default_factory=list)


class CountryRole(StrEnum):
    INVOLVED = "involved"  # named in the title, or where authorities act or a case is reported
    MENTIONED = "mentioned"  # named in passing: a route, a nationality, a venue


class CountryTag(BaseModel):
    code: str
    role: CountryRole = CountryRole.INVOLVED  # releases stored before roles existed were taken as involved
    evidence: list[str] = Field(default_factory=list)


class CooperationTag(BaseModel):
    id: str
    evidence: list[str] = Field(default_factory=list)


class Tags(BaseModel):
    """What a release is about, each tag with the snippets of text that gave it."""

    agencies: list[AgencyTag] = Field(default_factory=list)
    crime_areas: list[AreaTag] = Field(default_factory=list)
    countries: list[CountryTag] = Field(default_factory=list)
    cooperation: list[CooperationTag] = Field(default_factory=list)
    language: str = "en"

    def agency_ids(self) -> list[str]:
        return [a.id for a in self.agencies]

    def area_ids(self) -> list[str]:
        return [a.id for a in self.crime_areas]

    def country_codes(self) -> list[str]:
        """Every country named: search and subscriptions find a release by any of them."""
        return [c.code for c in self.countries]

    def involved_country_codes(self) -> list[str]:
        """The countries the release is about, as `coop classify --jsonl` gives them."""
        return [c.code for c in self.countries if c.role is CountryRole.INVOLVED]

    def mentioned_country_codes(self) -> list[str]:
        """The countries the release only names: a route, a venue, a nationality."""
        return [c.code for c in self.countries if c.role is not CountryRole.INVOLVED]

    def cooperation_ids(self) -> list[str]:
        return [c.id for c in self.cooperation]


class Release(BaseModel):
    id: str
    source_id: str
    publisher: str
    url: str | None = None
    title: str
    published: datetime | None = None
    first_seen: datetime = Field(default_factory=utcnow)
    language: str = "en"
    text: str = ""
    summary: str = ""
    facts: str = ""
    tags: Tags = Field(default_factory=Tags)
    publisher_tags: dict[str, list[str]] = Field(default_factory=dict)
    content_hash: str = ""
    revision: int = 1
    story: str | None = None  # the first release of the story this one continues (bot/stories.py); None: its own

    def tag_terms(self) -> set[tuple[str, str]]:
        """(kind, value) of every tag the release is found by: agencies, areas, countries, kinds, its language.
        Subscriptions match on these, and the store indexes them (with the publisher) for facets."""
        terms = {("agency", a) for a in self.tags.agency_ids()}
        terms |= {("area", a) for a in self.tags.area_ids()}
        terms |= {("country", c) for c in self.tags.country_codes()}
        terms |= {("kind", k) for k in self.tags.cooperation_ids()}
        terms.add(("language", self.language))
        return terms

    @property
    def date(self) -> datetime:
        """The date a reader cares about: publication where known, else when coop first saw it."""
        return self.published or self.first_seen


class SourceKind(StrEnum):
    FEED = "feed"
    HTML = "html"


class Source(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    publisher: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    kind: SourceKind = SourceKind.FEED
    interval: int = Field(default=900, ge=1)  # seconds; real newsrooms deserve minutes, tests use seconds
    full_text: bool = False
    link_pattern: str | None = None
    trusted: bool = True


# A pause with no end holds its alerts until someone says `resume`: they wait as if due in this year.
HELD_UNTIL_RESUMED = datetime(9999, 1, 1, tzinfo=UTC)


class Schedule(StrEnum):
    """When a subscription's alerts go out: as releases arrive, or held and sent together once a day or a week."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


# Tags typed with a key in front of their value, and the key: kind:agreement, lang:fr
TYPED_KEY = {"kind": "kind", "language": "lang"}


class Subscription(BaseModel):
    id: int = 0
    platform: str
    workspace: str = ""
    channel: str
    agencies: list[str] = Field(default_factory=list)
    areas: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)  # kinds of cooperation (agreement, operation, ...)
    languages: list[str] = Field(default_factory=list)  # ISO 639-1 codes, as bot/language.py tells them
    # What a matching release must not have: ("agency" | "area" | "country" | "kind" | "language", id) or
    # ("keyword", words)
    excluded: list[tuple[str, str]] = Field(default_factory=list)
    schedule: Schedule = Schedule.INSTANT
    # daily or weekly: the hour in its channel's time zone; None: the operator's digest_hour
    hour: int | None = Field(default=None, ge=0, le=23)
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    paused: bool = False  # the channel is gone or refuses the bot: its alerts stop, `paused_reason` says why
    paused_reason: str | None = None
    # Paused by someone in the channel (`pause`): alerts are still queued, and wait until then to come together
    held_until: datetime | None = None
    held_since: datetime | None = None
    # People of the channel who asked to be mentioned in its alerts (`notify`), by their platform's user ID
    mentions: list[str] = Field(default_factory=list)

    def held_at(self, now: datetime) -> datetime | None:
        """Until when this subscription's alerts wait, if they wait at `now`."""
        return self.held_until if self.held_until is not None and self.held_until > now else None

    def named(self) -> str:
        """How a reply or a reminder names it: europol (subscription 1)."""
        return f"{self.describe()} (subscription {self.id})"

    def describe(self) -> str:
        parts = [*self.agencies, *self.areas, *self.countries, *(f"kind:{k}" for k in self.kinds)]
        parts += [f"lang:{code}" for code in self.languages]
        parts += [f'"{k}"' for k in self.keywords]
        followed = " + ".join(parts) if parts else "everything"
        return " ".join([followed, *(f"-{_excluded_text(kind, value)}" for kind, value in self.excluded)])


def _excluded_text(kind: str, value: str) -> str:
    """An exclusion as it is typed: -interpol, -kind:training, -lang:et, -"press conference"."""
    if kind in TYPED_KEY:
        return f"{TYPED_KEY[kind]}:{value}"
    return f'"{value}"' if kind == "keyword" else value


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # the channel refused the bot (gone, not a member): its subscriptions are paused
    GIVEN_UP = "given_up"  # transient failures for longer than give_up_after_hours; `coop deliveries --retry`


class Delivery(BaseModel):
    id: int = 0
    release_id: str
    revision: int = 1
    platform: str
    workspace: str = ""
    channel: str
    subscription_id: int | None = None
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = None
    message_ref: str | None = None
    held: bool = False  # for a daily or weekly subscription: sent at its hour, with the others held for it
    created_at: datetime = Field(default_factory=utcnow)
    failing_since: datetime | None = None  # its first transient failure: it is retried for a while from then
