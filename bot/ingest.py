"""Everything that happens to a release the bot receives: tagged, summarised, stored, queued for channels."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.classify import Classifier
from bot.matching import SubscriptionIndex
from bot.models import Delivery, Release
from bot.store import SaveOutcome, Store
from bot.summarize import facts_line, summarize

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    outcome: SaveOutcome
    release: Release
    queued: int = 0


@dataclass
class Ingestor:
    store: Store
    classifier: Classifier
    _index: SubscriptionIndex | None = field(default=None, init=False)

    def prepare(self, release: Release) -> Release:
        tags = self.classifier.classify(release.title, release.text, release.publisher)
        return release.model_copy(
            update={
                "tags": tags,
                "language": tags.language,
                "summary": release.summary or summarize(release.text),
                "facts": facts_line(tags, self.classifier.taxonomy, release.publisher),
            }
        )

    def ingest(self, release: Release, announce: bool = True) -> IngestResult:
        """Store a release; when `announce`, queue one delivery per subscribed channel (new or updated)."""
        outcome, saved = self.store.releases.save(self.prepare(release))
        result = IngestResult(outcome, saved)
        if announce and outcome is not SaveOutcome.UNCHANGED:
            result.queued = self.queue(saved)
        return result

    def queue(self, release: Release) -> int:
        channels: dict[tuple[str, str, str], int] = {}
        for sub in self.index().match(release):
            channels.setdefault((sub.platform, sub.workspace, sub.channel), sub.id)
        if release.revision > 1:
            # An update goes where the release went: a room that never had it gets no "updated" noise.
            had_it = self.store.outbox.channels_of(release.id)
            channels = {key: sub_id for key, sub_id in channels.items() if key in had_it}
        deliveries = [
            Delivery(
                release_id=release.id,
                revision=release.revision,
                platform=platform,
                workspace=workspace,
                channel=channel,
                subscription_id=sub_id,
            )
            for (platform, workspace, channel), sub_id in channels.items()
        ]
        return self.store.outbox.enqueue(deliveries)

    def index(self) -> SubscriptionIndex:
        if self._index is None:
            self._index = SubscriptionIndex(self.store.subscriptions.active())
        return self._index

    def subscriptions_changed(self) -> None:
        self._index = None

    def reclassify_all(self) -> int:
        """After a taxonomy change: every stored release gets its tags again, without new alerts."""
        count = 0
        for release in list(self.store.releases.all()):
            self.store.releases.retag(self.prepare(release.model_copy(update={"summary": ""})))
            count += 1
        return count
