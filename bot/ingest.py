"""Everything that happens to a release the bot receives: tagged, summarised, stored, queued for channels."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.classify import Classifier
from bot.matching import SubscriptionIndex, send_time
from bot.models import HELD_UNTIL_RESUMED, Delivery, DeliveryStatus, Release, Subscription, utcnow
from bot.store import SaveOutcome, Store
from bot.store.channels import Channel
from bot.stories import DEFAULTS, StoryIndex, StorySettings, story_words
from bot.summarize import facts_line, summarize

logger = logging.getLogger(__name__)
FINGERPRINT_KEY = "classifier.fingerprint"  # of the classifier that tagged the stored releases


@dataclass
class IngestResult:
    outcome: SaveOutcome
    release: Release
    queued: int = 0


def _zone(name: str) -> tzinfo:
    """A stored zone name, or UTC if this machine's zone database lacks it: alerts come at another hour rather than
    not at all."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r in channel_settings: using UTC", name)
        return UTC


@dataclass
class Requeued:
    """What `coop deliveries --retry` did: queued again per channel; left given up because their subscription is
    gone or the channel refuses the bot; left given up because they were queued before `--since`."""

    queued: dict[Channel, int] = field(default_factory=dict)
    stayed: int = 0
    older: int = 0


@dataclass
class Ingestor:
    store: Store
    classifier: Classifier
    digest_hour: int = 8  # daily and weekly subscriptions without an hour of their own, in the channel's time zone
    clock: Callable[[], datetime] = utcnow
    story_settings: StorySettings = DEFAULTS
    _index: SubscriptionIndex | None = field(default=None, init=False)
    _zones: dict[Channel, tzinfo] | None = field(default=None, init=False)
    _stories: StoryIndex | None = field(default=None, init=False)
    # Polls store releases from several threads at once; a story is placed by one at a time, so the second
    # newsroom's release sees the first even when both arrive in the same moment.
    _story_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

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
        if outcome is SaveOutcome.NEW:
            saved = self.place_in_story(saved)
        result = IngestResult(outcome, saved)
        if announce and outcome is not SaveOutcome.UNCHANGED:
            result.queued = self.queue(saved)
        return result

    def queue(self, release: Release) -> int:
        now = self.clock()
        # a channel whose subscriptions differ in when gets a release at the soonest of their times
        channels: dict[Channel, tuple[datetime, Subscription]] = {}
        for sub in self.index().match(release):
            key = (sub.platform, sub.workspace, sub.channel)
            at = self.send_time(sub, now)
            if key not in channels or at < channels[key][0]:
                channels[key] = (at, sub)
        if release.revision > 1:
            channels = self._updates(release, channels, now)
        deliveries = [
            Delivery(
                release_id=release.id,
                revision=release.revision,
                platform=platform,
                workspace=workspace,
                channel=channel,
                subscription_id=sub.id,
                next_attempt_at=at,
                held=at > now,
            )
            for (platform, workspace, channel), (at, sub) in channels.items()
        ]
        return self.store.outbox.enqueue(deliveries)

    def _updates(self, release: Release, channels: dict[Channel, tuple[datetime, Subscription]],
                 now: datetime) -> dict[Channel, tuple[datetime, Subscription]]:
        """Where a changed release goes: where it went (a room that never had it gets no "updated" noise). A message
        already sent is edited now, whatever the schedule (an edit adds nothing to the channel); an alert still
        waiting needs nothing more, as it is sent with the release's latest text."""
        reached = self.store.outbox.channels_of(release.id)
        updates = {}
        for key, (at, sub) in channels.items():
            if reached.get(key) is DeliveryStatus.SENT:
                updates[key] = (now, sub)
            elif reached.get(key) in (DeliveryStatus.FAILED, DeliveryStatus.GIVEN_UP):
                updates[key] = (at, sub)
        return updates

    def place_in_story(self, release: Release) -> Release:
        """Links a new release to the story it continues (another newsroom's release on the same operation, or
        a follow-up within days), so channels get it as a reply to what they already have. With stories turned off,
        nothing is weighed or kept."""
        if not self.story_settings.enabled:
            return release
        words = story_words(release.title, release.text)
        countries = frozenset(release.tags.involved_country_codes())
        with self._story_lock:
            stories = self.stories()
            story = stories.story_of(release.id, release.date, words, countries)
            stories.add(release.id, story, release.date, words, countries)
        if story is None:
            return release
        self.store.releases.set_story(release.id, story)
        return release.model_copy(update={"story": story})

    def stories(self) -> StoryIndex:
        if self._stories is None:
            self._stories = StoryIndex(self.story_settings)
            for recent in self.store.releases.recent_texts(
                    self.clock() - timedelta(days=self.story_settings.idf_days)):
                self._stories.add(recent.id, recent.story, recent.date, story_words(recent.title, recent.text),
                                  recent.countries)
        return self._stories

    def index(self) -> SubscriptionIndex:
        if self._index is None:
            self._index = SubscriptionIndex(self.store.subscriptions.active())
        return self._index

    def send_time(self, sub: Subscription, now: datetime) -> datetime:
        """When an alert of this subscription goes out: its hour (or the digest hour) in its channel's time zone, the
        first after its pause when it is paused."""
        start = sub.held_at(now) or now
        if start >= HELD_UNTIL_RESUMED:
            return HELD_UNTIL_RESUMED
        zone = self.zone_of((sub.platform, sub.workspace, sub.channel))
        return send_time(sub.schedule, start, self.hour_of(sub), zone)

    def hour_of(self, sub: Subscription) -> int:
        """A daily or weekly subscription's hour: its own, or the operator's digest_hour."""
        return self.digest_hour if sub.hour is None else sub.hour

    def zone_of(self, channel: Channel) -> tzinfo:
        """The time zone a channel's hours are read in: its own (`timezone`), or UTC."""
        return self.zones().get(channel, UTC)

    def zones(self) -> dict[Channel, tzinfo]:
        if self._zones is None:
            self._zones = {channel: _zone(name) for channel, name in self.store.channels.timezones().items()}
        return self._zones

    def subscriptions_changed(self) -> None:
        """After a change to subscriptions or to a channel's time zone."""
        self._index = None
        self._zones = None

    def reschedule_held(self, platform: str, workspace: str, channel: str) -> Counter[int]:
        """After a channel changed a subscription's hour, its time zone or its pause: each waiting alert moves to the
        soonest time of the channel's subscriptions its release matches, so it does not go out as a digest of its
        own, and comes when any of them is resumed, not only the one it was queued under. Returns how many alerts
        wait under each subscription now."""
        subs = self.store.subscriptions.for_channel(platform, workspace, channel)
        index, by_id = SubscriptionIndex(subs), {sub.id: sub for sub in subs}
        now, moves = self.clock(), {}
        for delivery in self.store.outbox.held(platform, workspace, channel):
            release = self.store.releases.get(delivery.release_id)
            owners = index.match(release) if release is not None else []
            if not owners and (own := by_id.get(delivery.subscription_id or 0)) is not None:
                owners = [own]  # its terms changed since: it keeps its alert
            if owners:
                moves[delivery.id] = min((self.send_time(sub, now), sub.id) for sub in owners)
        self.store.outbox.reschedule(moves)
        return Counter(owner for _, owner in moves.values())

    def requeue_given_up(self, channel: str | None = None, since: datetime | None = None) -> Requeued:
        """After an outage longer than deliveries are retried: the given-up alerts (those queued since `since`)
        are queued again, each at the time its subscription sends now (at once, at its daily or weekly hour, or
        after its pause). Those whose subscription was removed, or whose channel refused the bot, stay given up."""
        now, subs = self.clock(), {sub.id: sub for sub in self.store.subscriptions.active()}
        given_up = self.store.outbox.given_up(channel)
        recent = [d for d in given_up if since is None or d.created_at >= since]
        done = Requeued(older=len(given_up) - len(recent))
        times: dict[int, datetime] = {}
        for delivery in recent:
            key = (delivery.platform, delivery.workspace, delivery.channel)
            sub = subs.get(delivery.subscription_id or 0)
            if sub is not None and (sub.platform, sub.workspace, sub.channel) == key:
                times[delivery.id] = self.send_time(sub, now)
                done.queued[key] = done.queued.get(key, 0) + 1
        self.store.outbox.requeue(times, now)
        done.stayed = len(recent) - len(times)
        return done

    def reclassify_all(self, batch: int = 500) -> int:
        """After a taxonomy change: every stored release gets its tags again, without new alerts.

        Releases are read and written a batch at a time, so a large store is never held in memory."""
        count = 0
        pending: list[Release] = []
        for release in self.store.releases.all(batch):
            pending.append(self.prepare(release.model_copy(update={"summary": ""})))
            count += 1
            if len(pending) == batch:
                self.store.releases.retag(pending)
                pending = []
        if pending:
            self.store.releases.retag(pending)
        self.store.kv.set(FINGERPRINT_KEY, self.classifier.fingerprint)
        return count

    def reclassify_if_changed(self) -> int | None:
        """Tags every stored release again when the taxonomy or the classifier changed since they were tagged.

        Returns how many were tagged again, or None when nothing changed."""
        if self.store.kv.get(FINGERPRINT_KEY) == self.classifier.fingerprint:
            return None
        stored = self.store.releases.count()
        if stored:
            logger.info("the taxonomy or the classifier changed: tagging %d stored releases again", stored)
        return self.reclassify_all()
