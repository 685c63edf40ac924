"""What a command runs with: who asked where, and the services it may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.config import WatcherDefaults
from bot.ingest import Ingestor
from bot.models import Source, utcnow
from bot.store import Store
from bot.taxonomy import Taxonomy
from handlers.replies import Reply
from handlers.resolve import Resolver

PAGE_SIZE = 5


class SourceAdmin(Protocol):
    """The watcher's side of `sources add|remove`: checks the address, then starts or stops polling."""

    def add_from_chat(self, url: str, publisher: str | None) -> str: ...

    def remove_from_chat(self, source_id: str) -> str: ...


@dataclass(frozen=True)
class CommandContext:
    platform: str
    channel: str
    workspace: str = ""
    user: str = ""
    is_admin: bool = False
    can_change_subscriptions: bool = True
    refusal: str = ""  # why a subscription change is refused, in the platform's own terms
    place: str = "channel"  # what the platform calls where a subscription belongs ("room" on Matrix)
    prefix: str = "/coop"  # how commands are typed there ("!coop" on Matrix), for examples in replies

    def refused(self, what: str = "subscriptions") -> Reply:
        """The answer to a change this person may not make here: the platform's own reason, when it gave one."""
        return Reply(text=self.refusal or f"You may not change this {self.place}'s {what}.", error=True)


@dataclass
class Deps:
    store: Store
    taxonomy: Taxonomy
    ingestor: Ingestor
    sources: list[Source] = field(default_factory=list)
    now: Callable[[], datetime] = utcnow
    resolver: Resolver = field(init=False)
    source_admin: SourceAdmin | None = None
    web_address: str | None = None  # where people reach coop's web server (feeds, spreadsheets), when known
    watcher: WatcherDefaults = field(default_factory=WatcherDefaults)  # when `sources` calls a source quiet

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.taxonomy)
