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
        items = []
        for release_id, url, published in pages:
            item = await self._refetch(release_id, url, source.trusted)
            if item is not None:
                item.published = item.published or published
                items.append(item)
        return items

    async def _refetch(self, release_id: str, url: str, trusted: bool) -> FeedItem | None:
        key = f"page.{release_id}"
        stored = await asyncio.to_thread(self.store.kv.get, key)
        saved = json.loads(stored) if stored else {}
        try:
            async with asyncio.timeout(self.fetch.full_text_timeout):
                page = await self.fetcher.get(url, saved.get("etag"), saved.get("last_modified"),
                                              public_only=not trusted)
            if page.not_modified:
                return None
            text = await asyncio.to_thread(extract_page, page.body, page.url, self.fetch.full_text_max_chars)
        except (FetchError, FeedError, TimeoutError) as error:
            logger.info("could not check %s for corrections: %s", url, error)
            return None
        validators = {"etag": page.etag, "last_modified": page.last_modified}
        await asyncio.to_thread(self.store.kv.set, key, json.dumps(validators))
        if text is None:
            return None
        return FeedItem(key=url, title=text.title or "(untitled)", text=text.text, url=url, published=text.published)
