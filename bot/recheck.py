"""Corrections on html newsrooms: their pages are fetched again for a short while after they first appear.

A feed says when an item changed; a newsroom page lists only links, and its listing stays the same when an
article under it is corrected. So the newest pages of an html source (first seen within `recheck_days`, at most
`recheck_max` of them) are fetched again on every poll, with the validators of their last fetch: an unchanged
page costs a 304, a changed one becomes a revision, which edits the alert where it went.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

from bot.config import FetchDefaults
from bot.feeds import FeedError, FeedItem, extract_page
from bot.fetch import Fetcher, FetchError
from bot.models import Source, utcnow
from bot.store import Store
from bot.textutil import stable_id

logger = logging.getLogger(__name__)


class PageRechecker:
    def __init__(self, store: Store, fetcher: Fetcher, fetch: FetchDefaults, days: float, limit: int) -> None:
        self.store = store
        self.fetcher = fetcher
        self.fetch = fetch
        self.days = days
        self.limit = limit

    async def changed_items(self, source: Source) -> list[FeedItem]:
        """The recent pages of this source whose text may have changed (the store decides whether it did)."""
        if not self.limit:
            return []
        since = utcnow() - timedelta(days=self.days)
        pages = await asyncio.to_thread(self.store.releases.recent_pages, source.id, since, self.limit)
        key = _validators_key(source)
        stored = await asyncio.to_thread(self.store.kv.get, key)
        known: dict[str, dict[str, str | None]] = json.loads(stored) if stored else {}
        validators: dict[str, dict[str, str | None]] = {}
        items = []
        for release_id, url, published in pages:
            validators[release_id] = known.get(release_id, {})
            item = await self._refetch(url, validators[release_id], source.trusted)
            if item is not None:
                item.published = item.published or published
                items.append(item)
        await asyncio.to_thread(self.store.kv.set, key, json.dumps(validators))
        return items

    async def remember(self, source: Source, items: list[FeedItem]) -> None:
        """Keeps the validators of pages just fetched, so that their first recheck can be answered with a 304."""
        fetched = {stable_id(source.id, i.key): {"etag": i.page_etag, "last_modified": i.page_last_modified}
                   for i in items if i.page_etag or i.page_last_modified}
        if not fetched:
            return
        key = _validators_key(source)
        stored = await asyncio.to_thread(self.store.kv.get, key)
        known: dict[str, dict[str, str | None]] = json.loads(stored) if stored else {}
        await asyncio.to_thread(self.store.kv.set, key, json.dumps({**known, **fetched}))

    async def _refetch(self, url: str, validators: dict[str, str | None], trusted: bool) -> FeedItem | None:
        """Fetches the page if it changed since `validators`, which it updates in place."""
        try:
            async with asyncio.timeout(self.fetch.full_text_timeout):
                page = await self.fetcher.get(url, validators.get("etag"), validators.get("last_modified"),
                                              public_only=not trusted)
            if page.not_modified:
                return None
            text = await asyncio.to_thread(extract_page, page.body, page.url, self.fetch.full_text_max_chars)
        except (FetchError, FeedError, TimeoutError) as error:
            logger.info("could not check %s for corrections: %s", url, error)
            return None
        validators.update(etag=page.etag, last_modified=page.last_modified)
        if text is None:
            return None
        return FeedItem(key=url, title=text.title or "(untitled)", text=text.text, url=url, published=text.published)


def _validators_key(source: Source) -> str:
    """One kv entry per source, holding the validators of the pages still rechecked."""
    return f"pages.{source.id}"
