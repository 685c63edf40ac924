"""Releases: saved with their revisions, tags and search index in one transaction; read back as models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, Engine, Row, delete, func, insert, or_, select, update

from bot.activity import PACE_DAYS, SourceActivity
from bot.models import CountryRole, Release, Tags, as_utc, utcnow
from bot.store import dialect
from bot.store.dialect import SearchFilter
from bot.store.schema import release_revisions, release_tags, releases


class SaveOutcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RecentText(NamedTuple):
    id: str
    story: str | None
    date: datetime
    title: str
    text: str
    countries: frozenset[str]  # involved


class ReleaseRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, release: Release) -> tuple[SaveOutcome, Release]:
        """Insert a new release, or record a new revision when its text changed; never a second copy."""
        with self.engine.begin() as conn:
            existing = conn.execute(select(releases).where(releases.c.id == release.id)).first()
            if existing is None:
                seq = conn.execute(insert(releases).values(**_columns(release))).inserted_primary_key[0]  # type: ignore[index]
                _write_side_tables(conn, int(seq), release)
                return SaveOutcome.NEW, release
            if existing.content_hash == release.content_hash:
                return SaveOutcome.UNCHANGED, _to_model(existing)
            if existing.title == release.title and existing.body.split() == release.text.split():
                return SaveOutcome.UNCHANGED, _relayout(conn, existing, release)
            revised = release.model_copy(
                update={"revision": existing.revision + 1, "first_seen": as_utc(existing.first_seen)}
            )
            conn.execute(update(releases).where(releases.c.seq == existing.seq).values(**_columns(revised)))
            _write_side_tables(conn, int(existing.seq), revised)
            return SaveOutcome.UPDATED, revised

    def add_new(self, batch: list[Release]) -> None:
        """Inserts releases known to be new in one transaction (bulk imports and benchmarks); a duplicate ID fails."""
        with self.engine.begin() as conn:
            for release in batch:
                seq = conn.execute(insert(releases).values(**_columns(release))).inserted_primary_key[0]  # type: ignore[index]
                _write_side_tables(conn, int(seq), release)

    def retag(self, batch: list[Release]) -> None:
        """Store new tags (after a taxonomy change) without counting them as new revisions; one transaction."""
        with self.engine.begin() as conn:
            for release in batch:
                seq = conn.execute(select(releases.c.seq).where(releases.c.id == release.id)).scalar_one()
                values = {k: v for k, v in _columns(release).items()
                          if k in ("tags_json", "summary", "facts", "language")}
                conn.execute(update(releases).where(releases.c.seq == seq).values(**values))
                _write_tags(conn, int(seq), release)

    def get(self, release_id: str) -> Release | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(releases).where(releases.c.id == release_id)).first()
        return _to_model(row) if row else None

    def set_story(self, release_id: str, story: str) -> None:
        """Links a release to the first release of its story (not part of its text: a revision keeps it)."""
        with self.engine.begin() as conn:
            conn.execute(update(releases).where(releases.c.id == release_id).values(story=story))

    def same_story(self, release: Release) -> list[Release]:
        """The other releases of this one's story, in the order they came."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases)
                .where(in_story(release.story or release.id), releases.c.id != release.id)
                .order_by(releases.c.sort_date, releases.c.seq)
            ).all()
        return [_to_model(row) for row in rows]

    def by_url(self, url: str) -> Release | None:
        """The newest release at this (normalised) address."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(releases).where(releases.c.url == url).order_by(releases.c.sort_date.desc()).limit(1)
            ).first()
        return _to_model(row) if row else None

    def ids_starting(self, prefix: str, limit: int = 2) -> list[str]:
        """IDs that start with `prefix`, read from the ID's index (a range, not LIKE, which SQLite's index skips)."""
        with self.engine.connect() as conn:
            query = (select(releases.c.id).where(releases.c.id >= prefix, releases.c.id < prefix + "\U0010ffff")
                     .order_by(releases.c.id).limit(limit))
            return list(conn.execute(query).scalars())

    def newest_date(self, source_id: str) -> datetime | None:
        with self.engine.connect() as conn:
            query = select(func.max(releases.c.published)).where(releases.c.source_id == source_id)
            return as_utc(conn.execute(query).scalar_one_or_none())

    def activity(self, source_id: str) -> SourceActivity:
        """When the source last brought something new, and its pace: the dates it published at lately. Each
        figure is its own query, so each is read from an index on the source."""
        mine = releases.c.source_id == source_id
        with self.engine.connect() as conn:
            last_new = conn.execute(select(func.max(releases.c.first_seen)).where(mine)).scalar_one_or_none()
            newest = conn.execute(select(func.max(releases.c.published)).where(mine)).scalar_one_or_none()
            if newest is None:
                return SourceActivity(as_utc(last_new))
            recent = (mine, releases.c.published >= newest - timedelta(days=PACE_DAYS))
            dated, oldest = conn.execute(select(func.count(), func.min(releases.c.published)).where(*recent)).one()
        return SourceActivity(as_utc(last_new), as_utc(newest), as_utc(oldest), int(dated))

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        """The stored version of each of these releases that exists, in one query."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(releases.c.id, releases.c.content_hash).where(releases.c.id.in_(ids)))
            return {row.id: row.content_hash for row in rows}

    def recent_pages(self, source_id: str, since: datetime, limit: int) -> list[tuple[str, str, datetime | None]]:
        """(id, url, published) of the source's releases first seen since then, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases.c.id, releases.c.url, releases.c.published)
                .where(releases.c.source_id == source_id, releases.c.first_seen >= since, releases.c.url.is_not(None))
                .order_by(releases.c.first_seen.desc())
                .limit(limit)
            ).all()
        return [(row.id, row.url, as_utc(row.published)) for row in rows]

    def publishers(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(releases.c.publisher).distinct()).scalars())

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(releases)).scalar_one())

    def search(self, wanted: SearchFilter, limit: int = 5, offset: int = 0) -> list[Release]:
        with self.engine.connect() as conn:
            ranked = dialect.search(conn, wanted, limit, offset)
            return self._load(conn, [seq for seq, _ in ranked])

    def search_at_most(self, wanted: SearchFilter, most: int) -> list[Release] | None:
        """Every release the filter matches, or None when more than `most` do; those are never loaded."""
        with self.engine.connect() as conn:
            ranked = dialect.search(conn, wanted, most + 1, 0)
            return None if len(ranked) > most else self._load(conn, [seq for seq, _ in ranked])

    def counts(self, wanted: SearchFilter) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
        """Of the releases the filter matches: how many have each tag, most first, and how many came each month."""
        with self.engine.connect() as conn:
            return dialect.counts(conn, wanted)

    def since(self, when: datetime, limit: int = 5000) -> list[Release]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases).where(releases.c.sort_date >= when).order_by(releases.c.sort_date.desc()).limit(limit)
            ).all()
        return [_to_model(row) for row in rows]

    def recent_texts(self, when: datetime, limit: int = 5000) -> list[RecentText]:
        """The releases dated since then, oldest first: what stories compare."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases.c.id, releases.c.story, releases.c.sort_date, releases.c.title, releases.c.body,
                       releases.c.tags_json)
                .where(releases.c.sort_date >= when).order_by(releases.c.sort_date.desc()).limit(limit)
            ).all()
        return [RecentText(row.id, row.story, as_utc(row.sort_date) or utcnow(), row.title, row.body,
                           _involved_countries(row.tags_json)) for row in reversed(rows)]

    def all(self, batch: int = 500) -> Iterator[Release]:
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(releases).where(releases.c.seq > last).order_by(releases.c.seq).limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1].seq
            yield from (_to_model(row) for row in rows)

    def _load(self, conn: Connection, seqs: list[int]) -> list[Release]:
        if not seqs:
            return []
        rows = {row.seq: row for row in conn.execute(select(releases).where(releases.c.seq.in_(seqs)))}
        return [_to_model(rows[seq]) for seq in seqs if seq in rows]


def in_story(story: str) -> ColumnElement[bool]:
    """The releases of a story (`story`: its first release's ID): that release and those linked to it."""
    return or_(releases.c.id == story, releases.c.story == story)


def _columns(release: Release) -> dict[str, Any]:
    return {
        "id": release.id,
        "source_id": release.source_id,
        "publisher": release.publisher,
        "url": release.url,
        "title": release.title,
        "published": release.published,
        "first_seen": release.first_seen,
        "sort_date": release.date,
        "language": release.language,
        "body": release.text,
        "summary": release.summary,
        "facts": release.facts,
        "tags_json": release.tags.model_dump_json(),
        "publisher_tags_json": json.dumps(release.publisher_tags, ensure_ascii=False),
        "content_hash": release.content_hash,
        "revision": release.revision,
        "updated_at": utcnow(),
    }


def _relayout(conn: Connection, existing: Row[Any], release: Release) -> Release:
    """Only line breaks or spaces changed (in the feed, or in how coop reads it): the new layout and its summary are
    kept, as the same revision that nobody hears of again."""
    kept = release.model_copy(update={"revision": existing.revision, "first_seen": as_utc(existing.first_seen)})
    conn.execute(update(releases).where(releases.c.seq == existing.seq).values(**_columns(kept)))
    _write_tags(conn, int(existing.seq), kept)
    dialect.index(conn, int(existing.seq), kept.title, kept.text)
    return kept


def _write_side_tables(conn: Connection, seq: int, release: Release) -> None:
    conn.execute(
        insert(release_revisions).values(
            release_id=release.id,
            revision=release.revision,
            title=release.title,
            body=release.text,
            content_hash=release.content_hash,
            seen_at=utcnow(),
        )
    )
    _write_tags(conn, seq, release)
    dialect.index(conn, seq, release.title, release.text)


def _write_tags(conn: Connection, seq: int, release: Release) -> None:
    conn.execute(delete(release_tags).where(release_tags.c.release_seq == seq))
    values = release.tag_terms() | {("publisher", release.publisher)}
    if values:
        conn.execute(
            insert(release_tags), [{"kind": k, "value": v, "release_seq": seq} for k, v in sorted(values)]
        )


def _involved_countries(tags_json: str) -> frozenset[str]:
    """Read from the stored tags without building their models: thousands are read when coop starts."""
    countries = json.loads(tags_json).get("countries", [])
    return frozenset(c["code"] for c in countries if c.get("role") == CountryRole.INVOLVED)


def _to_model(row: Row[Any]) -> Release:
    return Release(
        id=row.id,
        source_id=row.source_id,
        publisher=row.publisher,
        url=row.url,
        title=row.title,
        published=as_utc(row.published),
        first_seen=as_utc(row.first_seen),
        language=row.language,
        text=row.body,
        summary=row.summary,
        facts=row.facts,
        tags=Tags.model_validate_json(row.tags_json),
        publisher_tags=json.loads(row.publisher_tags_json),
        content_hash=row.content_hash,
        revision=row.revision,
        story=row.story,
    )
