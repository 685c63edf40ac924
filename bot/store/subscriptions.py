"""Subscriptions of channels and rooms: what terms they follow, paused or not."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, delete, func, insert, select, update

from bot.models import HELD_UNTIL_RESUMED, Schedule, Subscription, as_utc
from bot.store.schema import subscriptions


def terms_key(sub: Subscription) -> str:
    """The same terms in any order are the same subscription."""
    parts = [f"a:{a}" for a in sub.agencies] + [f"r:{a}" for a in sub.areas]
    parts += [f"c:{c}" for c in sub.countries] + [f"k:{k.lower()}" for k in sub.keywords]
    parts += [f"o:{kind}" for kind in sub.kinds] + [f"l:{code}" for code in sub.languages]
    parts += [f"-{kind}:{value.lower()}" for kind, value in sub.excluded]
    return "|".join(sorted(set(parts)))


class SubscriptionRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, sub: Subscription) -> tuple[Subscription, Subscription | None]:
        """Returns the subscription and, when the channel had these terms already, that subscription as it was (the
        same terms twice in a channel are one subscription)."""
        key = terms_key(sub)
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(subscriptions).where(
                    subscriptions.c.platform == sub.platform,
                    subscriptions.c.workspace == sub.workspace,
                    subscriptions.c.channel == sub.channel,
                    subscriptions.c.terms_key == key,
                )
            ).first()
            if existing is not None:
                # The same terms again resume a paused subscription and take the schedule asked for now.
                resumed = {"paused": False, "paused_reason": None, "held_until": None, "held_since": None,
                           "schedule": sub.schedule, "hour": sub.hour}
                if (existing.paused or existing.held_until is not None
                        or (existing.schedule, existing.hour) != (sub.schedule.value, sub.hour)):
                    conn.execute(update(subscriptions).where(subscriptions.c.id == existing.id)
                                 .values(**resumed))
                earlier = _to_model(existing)
                return earlier.model_copy(update=resumed), earlier
            new_id = conn.execute(insert(subscriptions).values(**_columns(sub, key))).inserted_primary_key[0]  # type: ignore[index]
        return sub.model_copy(update={"id": int(new_id)}), None

    def remove(self, platform: str, workspace: str, channel: str, sub_id: int) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(subscriptions).where(subscriptions.c.id == sub_id, *_in_channel(platform, workspace, channel))
            )
        return bool(result.rowcount)

    def for_channel(self, platform: str, workspace: str, channel: str) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(subscriptions).where(*_in_channel(platform, workspace, channel)).order_by(subscriptions.c.id)
            ).all()
        return [_to_model(row) for row in rows]

    def of_person(self, platform: str, workspace: str, user: str) -> list[Subscription]:
        """The subscriptions, in every channel of a workspace, that `user` set up or is mentioned in (`notify`)."""
        mentioned = subscriptions.c.mentions.like(f"%{json.dumps(user)}%")  # narrowed here, confirmed below
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).where(
                subscriptions.c.platform == platform, subscriptions.c.workspace == workspace,
                (subscriptions.c.created_by == user) | mentioned,
            ).order_by(subscriptions.c.channel, subscriptions.c.id)).all()
        subs = [_to_model(row) for row in rows]
        return [sub for sub in subs if sub.created_by == user or user in sub.mentions]

    def hold(self, platform: str, workspace: str, channel: str, ids: list[int], until: datetime,
             now: datetime) -> None:
        """`pause`: these subscriptions' alerts wait until then (HELD_UNTIL_RESUMED: until `resume`)."""
        self._set(platform, workspace, channel, ids, held_until=until, reminded_at=None,
                  held_since=func.coalesce(subscriptions.c.held_since, now))

    def resume(self, platform: str, workspace: str, channel: str, ids: list[int]) -> None:
        """`resume`: alerts come again, after a pause or after the channel refused the bot."""
        self._set(platform, workspace, channel, ids, held_until=None, held_since=None, paused=False,
                  paused_reason=None)

    def mention(self, platform: str, workspace: str, channel: str, ids: list[int], user: str, on: bool) -> None:
        """`notify`: `user` is mentioned in these subscriptions' alerts from now on (or no longer), once each."""
        with self.engine.begin() as conn:
            rows = conn.execute(select(subscriptions.c.id, subscriptions.c.mentions)
                                .where(subscriptions.c.id.in_(ids), *_in_channel(platform, workspace, channel))).all()
            for row in rows:
                before = _mentions(row.mentions)
                if on == (user in before):
                    continue  # so already
                after = [*before, user] if on else [u for u in before if u != user]
                conn.execute(update(subscriptions).where(subscriptions.c.id == row.id)
                             .values(mentions=json.dumps(after) if after else None))

    def _set(self, platform: str, workspace: str, channel: str, ids: list[int], **values: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(subscriptions)
                         .where(subscriptions.c.id.in_(ids), *_in_channel(platform, workspace, channel))
                         .values(**values))

    def active(self) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).where(subscriptions.c.paused.is_(False))).all()
        return [_to_model(row) for row in rows]

    def forgotten_pauses(self, now: datetime, age: timedelta) -> list[Subscription]:
        """Subscriptions paused until `resume` for at least `age`, whose channel was not reminded within `age`."""
        long_ago = now - age
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).where(
                subscriptions.c.paused.is_(False), subscriptions.c.held_until >= HELD_UNTIL_RESUMED,
                subscriptions.c.held_since <= long_ago,
                subscriptions.c.reminded_at.is_(None) | (subscriptions.c.reminded_at <= long_ago),
            ).order_by(subscriptions.c.id)).all()
        return [_to_model(row) for row in rows]

    def reminded(self, ids: list[int], now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(subscriptions).where(subscriptions.c.id.in_(ids)).values(reminded_at=now))

    def pause_channel(self, platform: str, workspace: str, channel: str, reason: str) -> list[Subscription]:
        """A channel the bot can no longer post to: its subscriptions stop until someone subscribes again."""
        with self.engine.begin() as conn:
            conn.execute(
                update(subscriptions).where(*_in_channel(platform, workspace, channel))
                .values(paused=True, paused_reason=reason)
            )
        return self.for_channel(platform, workspace, channel)


def _in_channel(platform: str, workspace: str, channel: str) -> list[ColumnElement[bool]]:
    return [subscriptions.c.platform == platform, subscriptions.c.workspace == workspace,
            subscriptions.c.channel == channel]


def _columns(sub: Subscription, key: str) -> dict[str, Any]:
    # Subscriptions stored before kinds, languages or exclusions existed lack those keys: the defaults read them.
    terms = {"agencies": sub.agencies, "areas": sub.areas, "countries": sub.countries, "keywords": sub.keywords,
             "kinds": sub.kinds, "languages": sub.languages, "excluded": sub.excluded}
    return {
        "platform": sub.platform,
        "workspace": sub.workspace,
        "channel": sub.channel,
        "terms_key": key,
        "terms_json": json.dumps(terms, ensure_ascii=False),
        "created_by": sub.created_by,
        "created_at": sub.created_at,
        "paused": sub.paused,
        "paused_reason": sub.paused_reason,
        "schedule": sub.schedule.value,
        "hour": sub.hour,
        "held_until": sub.held_until,
        "mentions": json.dumps(sub.mentions) if sub.mentions else None,
    }


def _to_model(row: Row[Any]) -> Subscription:
    terms = json.loads(row.terms_json)
    return Subscription(
        id=row.id,
        platform=row.platform,
        workspace=row.workspace,
        channel=row.channel,
        created_by=row.created_by,
        created_at=row.created_at,
        paused=row.paused,
        paused_reason=row.paused_reason,
        schedule=Schedule(row.schedule),
        hour=row.hour,
        held_until=as_utc(row.held_until),
        held_since=as_utc(row.held_since),
        mentions=_mentions(row.mentions),
        **terms,
    )


def _mentions(stored: str | None) -> list[str]:
    return list(json.loads(stored)) if stored else []
