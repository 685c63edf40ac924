"""What /metrics says of alerts being retried, read from the store as a scrape reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import WatcherDefaults
from bot.health import read_health
from bot.metrics import exposition, health_registry
from bot.models import Delivery, Release, utcnow
from bot.runtime import Runtime


def test_alerts_being_retried_are_counted_with_when_they_began_to_fail(runtime: Runtime) -> None:
    store = runtime.store
    store.releases.save(Release(id="r1", source_id="loop", publisher="europol", title="Alert", text="Text."))
    store.outbox.enqueue([Delivery(release_id="r1", platform="slack", workspace="T1", channel=channel)
                          for channel in ("C1", "C2")])
    first_failure = datetime(2026, 11, 20, 8, tzinfo=UTC)
    ids = [delivery.id for delivery in store.outbox.due(utcnow(), 10)]
    store.outbox.mark_retry(ids, "HTTP 503", utcnow() + timedelta(minutes=5), first_failure)
    store.outbox.mark_retry(ids[:1], "HTTP 503", utcnow() + timedelta(minutes=10), first_failure + timedelta(hours=1))
    text = exposition(health_registry(lambda: read_health(store, lambda: [], WatcherDefaults()))).decode()
    assert 'coop_deliveries_unsent{state="retrying"} 2.0' in text
    line = next(line for line in text.splitlines() if line.startswith("coop_deliveries_failing_since_timestamp"))
    assert float(line.split()[-1]) == first_failure.timestamp()  # the first failure is kept, not the latest
