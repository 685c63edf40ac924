"""What the watcher tests share: a newsroom page, sources on the feed server, a watcher, a subscribed channel."""

from __future__ import annotations

from bot.models import Source, Subscription
from bot.runtime import Runtime
from bot.watcher import Watcher
from tests.feedserver import FeedServer

PAGE = (
    "<html><head><title>{title}</title><meta property='article:published_time' content='2024-03-05'></head>"
    "<body><nav>Menu</nav><article><h1>{title}</h1><p>{text}</p></article><footer>Cookies</footer></body></html>"
)



def source_at(server: FeedServer, source_id: str, path: str, **extra: object) -> Source:
    return Source(id=source_id, publisher="europol", url=server.url(path), interval=60, **extra)


def watcher_for(runtime: Runtime, notices: list[str] | None = None) -> Watcher:
    runtime.defaults.fetch.read_timeout = 1.0
    runtime.defaults.watcher.failures_before_notice = 2

    async def notify(text: str) -> None:
        (notices if notices is not None else []).append(text)

    return Watcher(runtime, notify_admin=notify)


def subscribe_console(runtime: Runtime) -> None:
    runtime.store.subscriptions.add(Subscription(platform="console", channel="C1", agencies=["europol"]))
    runtime.ingestor.subscriptions_changed()
