"""The watcher: fetch a source, parse it, store every release once, queue alerts only for what is really new.

Fetch and dedupe, then queue: the first sync of a source stores everything silently, an item much older than
the source's newest known item is stored silently, an unchanged body is not even parsed, and a failing source
backs off on its own (persisted) schedule without holding up the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feeds import FeedError, FeedItem, extract_page, newsroom_links, parse_feed
from bot.fetch import Fetcher, FetchError, FetchLimits
from bot.metrics import POLLS, RELEASES
from bot.models import Source, SourceKind, utcnow
from bot.recheck import PageRechecker
from bot.runtime import Runtime
from bot.store import SaveOutcome, SourceState
from bot.textutil import stable_id

logger = logging.getLogger(__name__)
Notify = Callable[[str], Awaitable[None]]
# An unchanged, healthy source is polled often; its "last success" is written at most this often, so an
# unchanged poll costs about what the HTTP round trip costs (no database write).
SUCCESS_WRITE_INTERVAL = timedelta(minutes=10)
QUIET_CHECK_INTERVAL = timedelta(days=1)  # whether a source has gone quiet is asked once a day, not every poll


@dataclass
class PollReport:
    source_id: str
    new: int = 0
    updated: int = 0
    silent: int = 0
    queued: int = 0
    unchanged: bool = False
    skipped: bool = False
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.source_id}: error: {self.error}"
        if self.skipped:
            return f"{self.source_id}: backing off after failures; next try later"
        if self.unchanged:
            return f"{self.source_id}: unchanged"
        return (f"{self.source_id}: {self.new} new, {self.updated} updated, {self.silent} stored without alert, "
                f"{self.queued} alerts queued")


async def _log_only(text: str) -> None:
    logger.warning("admin notice: %s", text)


class Watcher:
    def __init__(self, runtime: Runtime, notify_admin: Notify | None = None,
                 on_queued: Callable[[], None] | None = None) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.defaults.watcher
        fetch = runtime.defaults.fetch
        self.fetcher = Fetcher(FetchLimits(fetch.connect_timeout, fetch.read_timeout, fetch.max_bytes,
                                           fetch.max_redirects, fetch.user_agent))
        self.rechecker = PageRechecker(self.store, self.fetcher, fetch, self.settings.recheck_days,
                                       self.settings.recheck_max)
        self.notify_admin = notify_admin or _log_only
        self.on_queued = on_queued or (lambda: None)
        self._states: dict[str, SourceState] = {}  # this watcher is the only writer of source state
        self._quiet_checked: dict[str, datetime] = {}

    async def _state(self, source_id: str) -> SourceState:
        state = self._states.get(source_id)
        if state is None:
            state = await asyncio.to_thread(self.store.sources.get, source_id)
            self._states[source_id] = state
        return state

    async def _save(self, state: SourceState) -> None:
        self._states[state.source_id] = state
        await asyncio.to_thread(self.store.sources.save, state)

    async def close(self) -> None:
        await self.fetcher.close()

    async def poll(self, source: Source, force: bool = False) -> PollReport:
        """One poll of one source. Never raises: a failure is recorded in the source's health."""
        report = PollReport(source.id)
        state = await self._state(source.id)
        if not force and state.next_attempt and state.next_attempt > utcnow():
            report.skipped = True
            return report
        try:
            items, validators = await self._fetch_items(source, state)
            if source.kind is SourceKind.HTML and state.synced:
                rechecked = await self.rechecker.changed_items(source)
                if rechecked:
                    items = (items or []) + rechecked
            if items is None:
                report.unchanged = True
            else:
                await asyncio.to_thread(self._store_items, source, state, items, report)
                if source.kind is SourceKind.HTML:
                    await self.rechecker.remember(source, items)
        except (FetchError, FeedError) as error:
            report.error = str(error)
            await self._failed(source, state, error)
            return report
        except Exception as error:
            logger.exception("polling %s failed", source.id)
            report.error = f"unexpected: {error}"
            await self._failed(source, state, error)
            return report
        await self._succeeded(source, state, validators)
        await self._note_quiet(source, report.new > 0)
        POLLS.labels("unchanged" if report.unchanged else "ok").inc()
        RELEASES.labels("new").inc(report.new)
        RELEASES.labels("updated").inc(report.updated)
        if report.queued:
            self.on_queued()
        return report

    async def _fetch_items(self, source: Source, state: SourceState) -> tuple[list[FeedItem] | None, SourceState]:
        result = await self.fetcher.get(source.url, state.etag, state.last_modified, public_only=not source.trusted)
        digest = hashlib.sha256(result.body).hexdigest()
        validators = state.model_copy(update={"etag": result.etag or state.etag,
                                              "last_modified": result.last_modified or state.last_modified})
        if result.not_modified or digest == state.body_hash:
            return None, validators
        validators.body_hash = digest
        if source.kind is SourceKind.HTML:
            return await self._newsroom_items(source, result.body, result.url), validators
        items = await asyncio.to_thread(parse_feed, result.body)
        if source.full_text:
            await self._add_full_text(source, items)
        return items, validators

    async def _newsroom_items(self, source: Source, page: bytes, base_url: str) -> list[FeedItem]:
        links = await asyncio.to_thread(newsroom_links, page, base_url, source.link_pattern or ".")
        known = await asyncio.to_thread(self.store.releases.content_hashes, [stable_id(source.id, u) for u in links])
        items = []
        for url in links:
            if stable_id(source.id, url) in known:
                continue
            item = FeedItem(key=url, title="", text="", url=url)
            if await self._fill_from_page(item):
                items.append(item)
        return items

    async def _add_full_text(self, source: Source, items: list[FeedItem]) -> None:
        """Only pages of items that are new or changed are fetched; the rest are already stored."""
        ids = [stable_id(source.id, item.key) for item in items]
        stored = await asyncio.to_thread(self.store.releases.content_hashes, ids)
        for item in items:
            release = item.to_release(source.id, source.publisher)
            if item.url and stored.get(release.id) != release.content_hash:
                feed_hash = release.content_hash
                if await self._fill_from_page(item):
                    item.feed_hash = feed_hash

    async def _fill_from_page(self, item: FeedItem) -> bool:
        fetch = self.runtime.defaults.fetch
        try:
            async with asyncio.timeout(fetch.full_text_timeout):
                page = await self.fetcher.get(item.url or "")
            text = await asyncio.to_thread(extract_page, page.body, page.url, fetch.full_text_max_chars)
        except (FetchError, FeedError, TimeoutError) as error:
            logger.info("keeping the feed text of %s: %s", item.url, error)
            return False
        if text is None:
            return False
        item.text = text.text if len(text.text) > len(item.text) else item.text
        item.title = item.title or text.title or "(untitled)"
        item.published = item.published or text.published
        item.page_etag, item.page_last_modified = page.etag, page.last_modified
        return True

    def _store_items(self, source: Source, state: SourceState, items: list[FeedItem], report: PollReport) -> None:
        newest = self.store.releases.newest_date(source.id)
        window = timedelta(days=self.settings.backfill_days)
        for item in reversed(items):  # oldest first, so alerts go out in publication order
            release = item.to_release(source.id, source.publisher)
            fresh = item.published is None or newest is None or item.published >= newest - window
            announce = state.synced and fresh
            result = self.runtime.ingestor.ingest(release, announce=announce)
            if result.outcome is SaveOutcome.NEW:
                report.new += 1
            elif result.outcome is SaveOutcome.UPDATED:
                report.updated += 1
            if result.outcome is not SaveOutcome.UNCHANGED and not announce:
                report.silent += 1
            report.queued += result.queued

    async def _failed(self, source: Source, state: SourceState, error: Exception) -> None:
        POLLS.labels("error").inc()
        failures = state.consecutive_failures + 1
        transient = getattr(error, "transient", True)
        delay = min(self.settings.backoff_base * 2 ** (failures - 1), self.settings.backoff_max)
        if not transient:
            delay = max(delay, float(source.interval))
        now = utcnow()
        updated = state.model_copy(update={
            "consecutive_failures": failures, "last_error": str(error)[:500], "last_error_at": now,
            "next_attempt": now + timedelta(seconds=delay),
        })
        logger.warning("source %s failed (%d in a row, next try in %ds): %s", source.id, failures, delay, error)
        if failures >= self.settings.failures_before_notice and not state.alerted_admin:
            updated.alerted_admin = True
            kind = "needs attention" if not transient else "keeps failing"
            await self.notify_admin(f"Source {source.id} {kind}: {failures} failures in a row, last: {error}")
        await self._save(updated)

    async def _succeeded(self, source: Source, state: SourceState, validators: SourceState) -> None:
        if state.alerted_admin:
            await self.notify_admin(f"Source {source.id} works again after {state.consecutive_failures} failures.")
        now = utcnow()
        updated = validators.model_copy(update={
            "synced": True, "last_success": now, "consecutive_failures": 0, "next_attempt": None,
            "alerted_admin": False,
        })
        recent = state.last_success is not None and now - state.last_success < SUCCESS_WRITE_INTERVAL
        if recent and updated.model_dump(exclude={"last_success"}) == state.model_dump(exclude={"last_success"}):
            return
        await self._save(updated)

    async def _note_quiet(self, source: Source, brought_news: bool) -> None:
        """A source that answers but has brought nothing new for far longer than its own pace is told to the admin
        once; and when it brings news again, that too."""
        state, now = self._states[source.id], utcnow()
        if state.alerted_quiet and brought_news:
            await self.notify_admin(f"Source {source.id} brings new releases again.")
            await self._save(state.model_copy(update={"alerted_quiet": False}))
        if state.alerted_quiet or brought_news:
            return
        checked = self._quiet_checked.get(source.id)
        if checked is not None and now - checked < QUIET_CHECK_INTERVAL:
            return
        self._quiet_checked[source.id] = now
        activity = await asyncio.to_thread(self.store.releases.activity, source.id)
        note = activity.quiet_note(now, self.settings)
        if note is not None:
            await self.notify_admin(f"Source {source.id}: {note}. Its feed may have moved or stopped: {source.url}")
            await self._save(state.model_copy(update={"alerted_quiet": True}))

    async def poll_cli(self, source_id: str | None) -> int:
        """`coop poll --once`: every source (or one) now, concurrently, one line each."""
        chosen = [s for s in self.runtime.sources if source_id in (None, s.id)]
        if not chosen:
            print(f"coop poll: no source with id {source_id!r}")
            return 2
        limit = asyncio.Semaphore(self.runtime.defaults.fetch.concurrency)

        async def one(source: Source) -> PollReport:
            async with limit:
                return await self.poll(source, force=True)

        reports = await asyncio.gather(*(one(s) for s in chosen))
        await self.close()
        for report in reports:
            print(report.line())
        return 1 if any(r.error for r in reports) else 0
