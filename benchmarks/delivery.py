"""Fan-out: one release to many subscribed channels through the outbox, to a platform with no rate limit."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.delivery import CARD, AlertStyle, DeliverySettings, DeliveryWorker
from bot.models import Release, Subscription
from bot.runtime import Runtime
from bot.settings import Settings
from bot.textutil import content_hash


class _Sink:
    name = "bench"
    prefix = "/coop"

    def __init__(self) -> None:
        self.sent = 0

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        self.sent += 1
        return str(self.sent)

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        return message_ref

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        return None

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        return None


def run(folder: Path, channels: int) -> dict[str, float]:
    sources = folder / "sources.toml"
    sources.write_text("sources = []\n", encoding="utf-8")
    runtime = Runtime.build(Settings(COOP_DATABASE_URL=f"sqlite:///{folder / 'fanout.sqlite3'}",
                                     COOP_SOURCES=sources))
    for n in range(channels):
        runtime.store.subscriptions.add(Subscription(platform="bench", channel=f"C{n}", agencies=["europol"]))
    runtime.ingestor.subscriptions_changed()
    sink = _Sink()
    worker = DeliveryWorker(runtime.store, {"bench": sink},
                            DeliverySettings(per_channel_interval=0, retry_base=0, batch=200))
    release = Release(id="fan", source_id="b", publisher="europol", title="Fan-out", text="Europol news",
                      content_hash=content_hash("Fan-out", "Europol news"))
    started = time.perf_counter()
    runtime.ingestor.ingest(release)

    async def drain() -> None:
        while runtime.store.outbox.pending_count():
            await worker.run_once()

    asyncio.run(drain())
    elapsed = time.perf_counter() - started
    runtime.close()
    return {f"fanout_s_{channels}_channels": round(elapsed, 2), "fanout_sent": sink.sent}
