"""Sources added and removed from chat: untrusted addresses, checked before they are polled, kept in the store."""

from __future__ import annotations

import asyncio
import re

from pydantic import ValidationError

from bot.fetch import FetchError, check_public_host
from bot.models import Source
from bot.scheduler import PollScheduler
from bot.store import Store
from bot.textutil import stable_id

CHECK_TIMEOUT = 15


def saved_chat_sources(store: Store) -> list[Source]:
    return [
        Source.model_validate_json(state.config_json)
        for state in store.sources.all()
        if state.added_from_chat and state.config_json
    ]


class ChatSources:
    """Runs in a worker thread (handlers are synchronous); address checks run on the bot's event loop."""

    def __init__(self, store: Store, sources: list[Source], scheduler: PollScheduler,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self.sources = sources
        self.scheduler = scheduler
        self.loop = loop

    def add_from_chat(self, url: str, publisher: str | None) -> str:
        url = url.strip("<>")
        try:
            asyncio.run_coroutine_threadsafe(check_public_host(url), self.loop).result(CHECK_TIMEOUT)
        except FetchError as error:
            return f"Refused: {error}. Only public http(s) addresses can be added from chat."
        except TimeoutError:
            return "Refused: the address could not be checked in time; try again."
        slug = re.sub(r"[^a-z0-9]+", "-", (publisher or "chat").lower()).strip("-") or "chat"
        source_id = f"{slug}-{stable_id('chat', url)[:6]}"
        if any(s.url == url for s in self.sources):
            return f"{url} is already watched."
        try:
            source = Source(id=source_id, publisher=publisher or slug, url=url, trusted=False)
        except ValidationError as error:
            return f"Refused: {error.errors()[0]['msg']}"
        state = self.store.sources.get(source.id)
        state.added_from_chat, state.config_json = True, source.model_dump_json()
        self.store.sources.save(state)
        self.sources.append(source)
        self.loop.call_soon_threadsafe(self.scheduler.add, source)
        return f"Added source {source.id} ({url}). Its first poll stores what is there without alerts."

    def remove_from_chat(self, source_id: str) -> str:
        source = next((s for s in self.sources if s.id == source_id), None)
        if source is None:
            return f"No source has the ID {source_id}. See them with: sources"
        if source.trusted:
            return f"{source_id} comes from the configuration file; remove it there."
        self.sources.remove(source)
        self.store.sources.remove(source_id)
        self.loop.call_soon_threadsafe(self.scheduler.remove, source_id)
        return f"Removed source {source_id}."
