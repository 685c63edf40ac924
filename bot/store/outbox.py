"""The delivery outbox: one row per (release revision, channel), sent at most once, retried until confirmed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, case, func, select, update

from bot.models import Delivery, DeliveryStatus, as_utc, utcnow
from bot.store.dialect import insert_ignoring_duplicates
from bot.store.releases import in_story
from bot.store.schema import deliveries, releases


@dataclass
class Backlog:
    """What a channel has not been sent."""

    platform: str
    workspace: str
    channel: str
    to_send: int = 0  # due, or about to be
    waiting: int = 0  # for a daily or weekly hour, or the end of a pause
    retrying: int = 0  # failed for now; tried again after a wait
    failing_since: datetime | None = None
    given_up: int = 0
    refused: int = 0
    last_error: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.platform, self.workspace, self.channel

    def add(self, status: DeliveryStatus, count: int, failing: int, held: int, since: datetime | None) -> None:
        if status is DeliveryStatus.PENDING:
            self.retrying, self.waiting, self.failing_since = failing, held, since
            self.to_send = count - failing - held
        elif status is DeliveryStatus.GIVEN_UP:
            self.given_up = count
        else:
            self.refused = count


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def enqueue(self, items: list[Delivery]) -> int:
        """Queue deliveries; one already queued for the same release revision and channel is left alone."""
        if not items:
            return 0
        rows = [
            {
                "release_id": d.release_id,
                "revision": d.revision,
                "platform": d.platform,
                "workspace": d.workspace,
                "channel": d.channel,
                "subscription_id": d.subscription_id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": d.next_attempt_at,
                "created_at": d.created_at,
                "held": d.held,
            }
            for d in items
        ]
        with self.engine.begin() as conn:
            return int(conn.execute(insert_ignoring_duplicates(conn, deliveries), rows).rowcount or 0)

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(deliveries)
                .where(deliveries.c.status == DeliveryStatus.PENDING.value, deliveries.c.next_attempt_at <= now)
                .order_by(deliveries.c.id)
                .limit(limit)
            ).all()
        return [_to_model(row) for row in rows]

    def pending_count(self) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).where(deliveries.c.status == DeliveryStatus.PENDING.value)
            return int(conn.execute(query).scalar_one())

    def waiting(self, platform: str, workspace: str, channel: str) -> tuple[int, datetime | None]:
        """How many alerts of daily or weekly subscriptions wait to be sent to this channel, and when the first goes."""
        with self.engine.connect() as conn:
            held = _held_for(platform, workspace, channel)
            count, first = conn.execute(select(func.count(), func.min(deliveries.c.next_attempt_at)).where(*held)).one()
        return int(count), as_utc(first)

    def held(self, platform: str, workspace: str, channel: str) -> list[Delivery]:
        """The alerts that wait for this channel's daily or weekly hour."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(deliveries).where(*_held_for(platform, workspace, channel))).all()
        return [_to_model(row) for row in rows]

    def reschedule(self, moves: Mapping[int, tuple[datetime, int | None]]) -> None:
        """Moves pending deliveries (by ID) to new times, each under the subscription it now comes for."""
        with self.engine.begin() as conn:
            for delivery_id, (at, subscription_id) in moves.items():
                conn.execute(update(deliveries).where(deliveries.c.id == delivery_id)
                             .values(next_attempt_at=at, subscription_id=subscription_id))

    def next_due_at(self) -> datetime | None:
        with self.engine.connect() as conn:
            query = select(func.min(deliveries.c.next_attempt_at)).where(
                deliveries.c.status == DeliveryStatus.PENDING.value
            )
            value = conn.execute(query).scalar_one_or_none()
        return as_utc(value)

    def mark_sent(self, ids: list[int], message_ref: str | None) -> None:
        self._set(ids, status=DeliveryStatus.SENT.value, message_ref=message_ref, sent_at=utcnow(), last_error=None)

    def mark_attempt(self, ids: list[int]) -> None:
        """Recorded before the platform is called: after a crash, an attempt means "ask before resending"."""
        with self.engine.begin() as conn:
            conn.execute(
                update(deliveries).where(deliveries.c.id.in_(ids)).values(attempts=deliveries.c.attempts + 1)
            )

    def mark_retry(self, ids: list[int], error: str, when: datetime, now: datetime) -> None:
        """Try again at `when`; the first failure's time is kept, as it says how long these have been failing."""
        self._set(ids, last_error=error[:500], next_attempt_at=when,
                  failing_since=func.coalesce(deliveries.c.failing_since, now))

    def mark_given_up(self, ids: list[int], error: str) -> None:
        self._set(ids, status=DeliveryStatus.GIVEN_UP.value, last_error=error[:500])

    def given_up(self, channel: str | None = None) -> list[Delivery]:
        """The deliveries given up after failing for too long, oldest first; with `channel`, to that one only."""
        query = select(deliveries).where(deliveries.c.status == DeliveryStatus.GIVEN_UP.value)
        if channel is not None:
            query = query.where(deliveries.c.channel == channel)
        with self.engine.connect() as conn:
            return [_to_model(row) for row in conn.execute(query.order_by(deliveries.c.id)).all()]

    def requeue(self, times: dict[int, datetime], now: datetime) -> None:
        """Given-up deliveries (by ID) are tried again at their time, with the count of failures started afresh. One
        attempt is remembered where there were any: a timeout may have landed, so the platform is asked first."""
        with self.engine.begin() as conn:
            for delivery_id, at in times.items():
                conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
                    status=DeliveryStatus.PENDING.value, next_attempt_at=at, held=at > now, failing_since=None,
                    last_error=None, attempts=case((deliveries.c.attempts > 0, 1), else_=0)))

    def fail_channel(self, platform: str, workspace: str, channel: str, error: str) -> int:
        """Stops every pending delivery to a channel that is gone."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(deliveries)
                .where(*_in_channel(platform, workspace, channel), deliveries.c.status == DeliveryStatus.PENDING.value)
                .values(status=DeliveryStatus.FAILED.value, last_error=error[:500])
            )
        return int(result.rowcount or 0)

    def channels_of(self, release_id: str) -> dict[tuple[str, str, str], DeliveryStatus]:
        """Every (platform, workspace, channel) that any revision of this release was queued for, with how far it
        got there: sent (any revision), else pending, else failed. A pending one already attempted counts as sent:
        it may have landed before a crash, which only the platform can tell."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(deliveries.c.platform, deliveries.c.workspace, deliveries.c.channel, deliveries.c.status,
                       deliveries.c.attempts)
                .where(deliveries.c.release_id == release_id)
            ).all()
        reached: dict[tuple[str, str, str], DeliveryStatus] = {}
        for platform, workspace, channel, status, attempts in rows:
            key, state = (platform, workspace, channel), DeliveryStatus(status)
            if state is DeliveryStatus.PENDING and attempts:
                state = DeliveryStatus.SENT
            reached[key] = max(reached.get(key, state), state, key=_PROGRESS.index)
        return reached

    def sent_ref(self, release_id: str, platform: str, workspace: str, channel: str) -> str | None:
        """The platform's reference of the latest message sent for this release to this channel (to edit it)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(deliveries.c.message_ref)
                .where(deliveries.c.release_id == release_id, *_sent_to(platform, workspace, channel))
                .order_by(deliveries.c.revision.desc())
                .limit(1)
            ).scalar_one_or_none()

    def story_message(self, story: str, release_id: str, platform: str, workspace: str, channel: str) -> str | None:
        """The first message this channel got about a story (`story`: its first release's ID), other than one
        for `release_id`: where another release of the story is posted as a reply."""
        members = select(releases.c.id).where(in_story(story))
        with self.engine.connect() as conn:
            return conn.execute(
                select(deliveries.c.message_ref)
                .where(deliveries.c.release_id.in_(members), deliveries.c.release_id != release_id,
                       *_sent_to(platform, workspace, channel))
                .order_by(deliveries.c.id)
                .limit(1)
            ).scalar_one_or_none()

    def contents_of_message(self, platform: str, workspace: str, channel: str,
                            message_ref: str) -> tuple[list[str], list[int | None]]:
        """The IDs of the releases one sent message carried (a digest carries several), in the order sent, and of
        the subscriptions they came through."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(deliveries.c.release_id, func.min(deliveries.c.id).label("first"),
                       func.min(deliveries.c.subscription_id).label("subscription_id"))
                .where(*_in_channel(platform, workspace, channel), deliveries.c.message_ref == message_ref)
                .group_by(deliveries.c.release_id)
                .order_by("first")
            ).all()
        return [row.release_id for row in rows], [row.subscription_id for row in rows]

    def backlog(self) -> list[Backlog]:
        """Per channel, what was not sent: waiting, retrying after failures, given up, or refused; with the last
        error. For the operator (`coop deliveries`), so it reads the whole outbox's unsent rows."""
        unsent = deliveries.c.status != DeliveryStatus.SENT.value
        failing = deliveries.c.failing_since.is_not(None)
        where = (deliveries.c.platform, deliveries.c.workspace, deliveries.c.channel)
        with self.engine.connect() as conn:
            rows = conn.execute(select(
                *where, deliveries.c.status, func.count(), func.sum(case((failing, 1), else_=0)),
                func.sum(case((deliveries.c.held & ~failing, 1), else_=0)), func.min(deliveries.c.failing_since),
            ).where(unsent).group_by(*where, deliveries.c.status)).all()
            erred = deliveries.c.last_error.is_not(None)
            last = select(func.max(deliveries.c.id)).where(unsent, erred).group_by(*where)
            errors = conn.execute(select(*where, deliveries.c.last_error).where(deliveries.c.id.in_(last))).all()
        found: dict[tuple[str, str, str], Backlog] = {}
        for platform, workspace, channel, status, count, failing_count, held_count, since in rows:
            entry = found.setdefault((platform, workspace, channel), Backlog(platform, workspace, channel))
            entry.add(DeliveryStatus(status), int(count), int(failing_count), int(held_count), as_utc(since))
        for platform, workspace, channel, error in errors:
            found[(platform, workspace, channel)].last_error = error
        return sorted(found.values(), key=lambda entry: entry.key)

    def by_status(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(deliveries.c.status, func.count()).group_by(deliveries.c.status)).all()
        return {str(status): int(count) for status, count in rows}

    def _set(self, ids: list[int], **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(deliveries).where(deliveries.c.id.in_(ids)).values(**values))


def _in_channel(platform: str, workspace: str, channel: str) -> list[ColumnElement[bool]]:
    return [deliveries.c.platform == platform, deliveries.c.workspace == workspace, deliveries.c.channel == channel]


def _sent_to(platform: str, workspace: str, channel: str) -> list[ColumnElement[bool]]:
    """The deliveries to a channel that reached it, with the message they made."""
    return [*_in_channel(platform, workspace, channel), deliveries.c.status == DeliveryStatus.SENT.value,
            deliveries.c.message_ref.is_not(None)]


def _held_for(platform: str, workspace: str, channel: str) -> list[ColumnElement[bool]]:
    """The pending deliveries to a channel that wait for a daily or weekly hour."""
    return [*_in_channel(platform, workspace, channel), deliveries.c.status == DeliveryStatus.PENDING.value,
            deliveries.c.held.is_(True)]


_PROGRESS = [DeliveryStatus.GIVEN_UP, DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SENT]


def _to_model(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        release_id=row.release_id,
        revision=row.revision,
        platform=row.platform,
        workspace=row.workspace,
        channel=row.channel,
        subscription_id=row.subscription_id,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        last_error=row.last_error,
        message_ref=row.message_ref,
        created_at=as_utc(row.created_at),
        held=row.held,
        failing_since=as_utc(row.failing_since),
    )
