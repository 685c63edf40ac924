"""Prometheus metrics, served at /metrics: polls, releases, deliveries by outcome, command latency."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

POLLS = Counter("coop_polls_total", "Polls of a source by outcome", ["outcome"])
RELEASES = Counter("coop_releases_total", "Releases stored, by outcome (new, updated)", ["outcome"])
DELIVERIES = Counter("coop_deliveries_total", "Delivery attempts by platform and outcome", ["platform", "outcome"])
COMMAND_SECONDS = Histogram("coop_command_seconds", "Time to answer a chat command", ["platform"])
