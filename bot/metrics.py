"""Prometheus metrics, served at /metrics: polls, releases, deliveries by outcome, command latency; and, read from
the store at each scrape, each source's health and the alerts not sent. The one module that uses prometheus-client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

POLLS = Counter("coop_polls_total", "Polls of a source by outcome", ["outcome"])
RELEASES = Counter("coop_releases_total", "Releases stored, by outcome (new, updated)", ["outcome"])
DELIVERIES = Counter("coop_deliveries_total", "Delivery attempts by platform and outcome", ["platform", "outcome"])
COMMAND_SECONDS = Histogram("coop_command_seconds", "Time to answer a chat command", ["platform"])
CONTENT_TYPE = CONTENT_TYPE_LATEST.split(";")[0]
UNSENT_STATES = ("to_send", "waiting", "retrying", "given_up", "refused")


@dataclass(frozen=True)
class SourceHealth:
    source: str
    failures: int  # consecutive failed polls; 0: it works
    last_success: datetime | None
    newest: datetime | None  # its newest release's publication date
    quiet: bool  # it answers, but has brought nothing new for far longer than its own pace


@dataclass(frozen=True)
class Health:
    sources: list[SourceHealth] = field(default_factory=list)
    unsent: dict[str, int] = field(default_factory=dict)  # alerts not sent, by UNSENT_STATES
    failing_since: datetime | None = None  # the first failure of the oldest alert still being retried


class HealthCollector(Collector):
    """Gauges made at each scrape from what `read` returns, so an alerting rule sees the state, not a count."""

    def __init__(self, read: Callable[[], Health]) -> None:
        self.read = read

    def collect(self) -> Iterator[Metric]:
        health = self.read()
        gauges = {name: GaugeMetricFamily(f"coop_source_{name}", text, labels=["source"]) for name, text in (
            ("failures", "Consecutive failed polls of a source (0: it works)"),
            ("last_success_timestamp_seconds", "When a poll of the source last succeeded"),
            ("newest_release_timestamp_seconds", "Publication date of the source's newest release"),
            ("quiet", "1 when the source answers but has brought nothing new for far longer than its own pace"))}
        for source in health.sources:
            gauges["failures"].add_metric([source.source], source.failures)
            gauges["quiet"].add_metric([source.source], int(source.quiet))
            if source.last_success:
                gauges["last_success_timestamp_seconds"].add_metric([source.source], source.last_success.timestamp())
            if source.newest:
                gauges["newest_release_timestamp_seconds"].add_metric([source.source], source.newest.timestamp())
        yield from gauges.values()
        unsent = GaugeMetricFamily("coop_deliveries_unsent", "Alerts not sent, by state", labels=["state"])
        for state in UNSENT_STATES:
            unsent.add_metric([state], health.unsent.get(state, 0))
        yield unsent
        if health.failing_since:
            yield GaugeMetricFamily("coop_deliveries_failing_since_timestamp_seconds",
                                    "First failure of the oldest alert still being retried",
                                    value=health.failing_since.timestamp())


def health_registry(read: Callable[[], Health]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HealthCollector(read))
    return registry


def exposition(registry: CollectorRegistry | None = None) -> bytes:
    """Every metric in the text format: the process's counters, then what `registry` reads (blocking: the
    health is read from the store, so call it in a thread)."""
    return generate_latest(REGISTRY) + (generate_latest(registry) if registry is not None else b"")
