"""The delivery outbox: one row per (release revision, channel), sent at most once, retried until confirmed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, func, select, update

from bot.models import Delivery, DeliveryStatus, as_utc, utcnow
from bot.store.dialect import insert_ignoring_duplicates
from bot.store.releases import in_story
from bot.store.schema import deliveries, releases


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

    def reschedule(self, times: dict[int, datetime]) -> None:
        """Moves pending deliveries (by ID) to new times."""
        with self.engine.begin() as conn:
            for delivery_id, at in times.items():
                conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(next_attempt_at=at))

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

    def mark_failed(self, ids: list[int], error: str) -> None:
        self._set(ids, status=DeliveryStatus.FAILED.value, last_error=error[:500])

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


_PROGRESS = [DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SENT]


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
