"""What the watcher remembers per source: validators for conditional GET, first sync, health and backoff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, select

from bot.models import as_utc
from bot.store.dialect import upsert
from bot.store.schema import kv, sources


class SourceState(BaseModel):
    source_id: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    synced: bool = False
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_attempt: datetime | None = None
    alerted_admin: bool = False
    alerted_quiet: bool = False  # the admin was told the source has had nothing new for far longer than usual
    added_from_chat: bool = False
    config_json: str | None = None


def _state(row: Any) -> SourceState:
    return SourceState.model_validate(
        {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row._mapping.items()}
    )


class SourceStateRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, source_id: str) -> SourceState:
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.source_id == source_id)).first()
        if row is None:
            return SourceState(source_id=source_id)
        return _state(row)

    def all(self) -> list[SourceState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(sources).order_by(sources.c.source_id)).all()
        return [_state(row) for row in rows]

    def save(self, state: SourceState) -> None:
        with self.engine.begin() as conn:
            conn.execute(upsert(conn, sources, state.model_dump(), ["source_id"]))

    def remove(self, source_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sources.delete().where(sources.c.source_id == source_id))


class KeyValueRepository:
    """Small pieces of state a platform keeps across restarts (a Matrix sync token)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(kv.c.value).where(kv.c.key == key)).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(upsert(conn, kv, {"key": key, "value": value}, ["key"]))

    def delete(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(kv.delete().where(kv.c.key == key))
