"""The store: releases with full-text search, subscriptions, the delivery outbox and per-source state.

Every method is blocking (SQLAlchemy); async code calls it through asyncio.to_thread.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.store.channels import ChannelSettingsRepository
from bot.store.engine import migrate, open_engine
from bot.store.installations import InstallationRepository
from bot.store.outbox import Outbox
from bot.store.releases import ReleaseRepository, SaveOutcome
from bot.store.sources import KeyValueRepository, SourceState, SourceStateRepository
from bot.store.subscriptions import SubscriptionRepository

__all__ = ["SaveOutcome", "SourceState", "Store"]


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.releases = ReleaseRepository(engine)
        self.subscriptions = SubscriptionRepository(engine)
        self.outbox = Outbox(engine)
        self.channels = ChannelSettingsRepository(engine)
        self.sources = SourceStateRepository(engine)
        self.kv = KeyValueRepository(engine)
        self.slack_installations = InstallationRepository(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        """Opens the database and brings its schema up to date (Alembic) before anything reads it."""
        engine = open_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()
