"""What /metrics reports of the running bot, read from the store: each source's health, and the alerts not sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import WatcherDefaults
from bot.metrics import UNSENT_STATES, Health, SourceHealth
from bot.models import Source, utcnow
from bot.store import Store


def read_health(store: Store, sources: Callable[[], list[Source]], watcher: WatcherDefaults,
                now: Callable[[], datetime] = utcnow) -> Health:
    """Blocking: a few small queries, each answered by an index."""
    states, at = {state.source_id: state for state in store.sources.all()}, now()
    found: list[SourceHealth] = []
    for source in sources():
        state, activity = states.get(source.id), store.releases.activity(source.id)
        quiet = activity.quiet_for(at, watcher) is not None
        found.append(SourceHealth(source.id, state.consecutive_failures if state else 0,
                                  state.last_success if state else None, activity.newest, quiet))
    unsent: dict[str, int] = {}
    failing = []
    for entry in store.outbox.backlog():
        for name in UNSENT_STATES:
            unsent[name] = unsent.get(name, 0) + getattr(entry, name)
        if entry.failing_since:
            failing.append(entry.failing_since)
    return Health(found, unsent, min(failing, default=None))
