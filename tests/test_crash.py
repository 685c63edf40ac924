"""kill -9 of `coop run` itself, at random points of a fan-out to many Slack channels: nothing lost, nothing twice.

The real process (watcher, outbox worker, Slack platform, HTTP server) runs against the fake Slack Web API, which
records every message that reached it, so the test counts what users would have seen.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from bot.models import Release, Subscription
from bot.runtime import Runtime
from bot.textutil import content_hash
from tests.conftest import COOP
from tests.fakeslack import FakeSlack, fake_slack

RUNS = 20
CHANNELS = [f"C{n:03d}" for n in range(60)]
RELEASES_PER_RUN = 2
MAX_STARTS_PER_RUN = 12


def _release(run: int, k: int) -> Release:
    title, text = f"Operation {run}-{k}", "Europol supported the operation."
    return Release(id=f"r{run}-{k}", source_id="t", publisher="europol", title=title, text=text,
                   content_hash=content_hash(title, text))


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([COOP, "run"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=log.open("a"), text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()  # "coop is running": the kill lands while it sends, not while Python starts
    assert "coop is running" in line, line
    return process


def _run_until_drained(env: dict[str, str], runtime: Runtime, rng: random.Random, log: Path) -> int:
    """Starts coop until its outbox is empty, killing it at a random moment each time; returns the kills."""
    kills = 0
    for _ in range(MAX_STARTS_PER_RUN):
        if not runtime.store.outbox.pending_count():
            return kills
        process = _start(env, log)
        deadline = time.monotonic() + rng.uniform(0.0, 1.0)
        while time.monotonic() < deadline and runtime.store.outbox.pending_count():
            time.sleep(0.01)
        if runtime.store.outbox.pending_count():
            process.send_signal(signal.SIGKILL)
            kills += 1
        else:
            process.send_signal(signal.SIGTERM)
        process.wait(30)
    raise AssertionError(f"the outbox did not drain in {MAX_STARTS_PER_RUN} starts")


def _seen_by_users(slack: FakeSlack) -> Counter[tuple[str, str]]:
    seen: Counter[tuple[str, str]] = Counter()
    for post in slack.called("chat.postMessage"):
        payload = (post.get("metadata") or {}).get("event_payload") or {}
        for release_id in str(payload.get("release_ids", "")).split(","):
            seen[(post["channel"], release_id)] += 1
    return seen


def test_kill_9_of_coop_run_during_a_fan_out_loses_nothing_and_posts_nothing_twice(
    runtime: Runtime, tmp_path: Path, sources_file: Path
) -> None:
    for channel in CHANNELS:
        runtime.store.subscriptions.add(Subscription(platform="slack", workspace="T1", channel=channel,
                                                     agencies=["europol"]))
    runtime.ingestor.subscriptions_changed()
    rng, kills, log = random.Random(11), 0, tmp_path / "coop.log"
    with fake_slack() as slack:
        env = {"COOP_DATABASE_URL": runtime.settings.database_url, "COOP_SOURCES": str(sources_file),
               "COOP_HTTP_PORT": "0", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
               "COOP_SLACK_API_URL": slack.api_url, "PATH": "/usr/bin:/bin"}
        for run in range(RUNS):
            for k in range(RELEASES_PER_RUN):
                runtime.ingestor.ingest(_release(run, k))
            kills += _run_until_drained(env, runtime, rng, log)
        seen = _seen_by_users(slack)
    expected = {(c, f"r{run}-{k}") for c in CHANNELS for run in range(RUNS) for k in range(RELEASES_PER_RUN)}
    lost = len(expected - set(seen))
    duplicated = sum(count - 1 for count in seen.values() if count > 1)
    print(f"\nkill -9 of coop run: {RUNS} fan-outs x {len(CHANNELS)} channels x {RELEASES_PER_RUN} releases, "
          f"{kills} kills, {lost} lost, {duplicated} duplicated")
    assert kills >= RUNS
    assert (lost, duplicated) == (0, 0)
    assert set(seen) == expected
