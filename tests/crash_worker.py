"""Runs the real delivery worker against a FilePlatform until the outbox is empty; tests kill it with SIGKILL."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.delivery import DeliverySettings, DeliveryWorker
from bot.store import Store
from tests.fakeplatform import FilePlatform


async def main(db_url: str, record: Path) -> None:
    store = Store.open(db_url)
    worker = DeliveryWorker(store, {"file": FilePlatform(record)},
                            DeliverySettings(digest_after=10_000, per_channel_interval=0, retry_base=0, batch=7))
    print("ready", flush=True)
    while store.outbox.pending_count():
        await worker.run_once()
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
