"""Table definitions used to build queries; the Alembic migrations in bot/migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()


def is_managed_table(name: str | None, type_: str, *_: object) -> bool:
    """Alembic compares only our tables; the full-text index and its shadow tables belong to the dialect."""
    return not (type_ == "table" and name is not None and name.startswith("releases_fts"))

releases = Table(
    "releases",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("source_id", String(64), nullable=False),
    Column("publisher", String(64), nullable=False, index=True),  # `latest <publisher>` reads the distinct values
    Column("url", Text, index=True),  # `show <url>`
    Column("title", Text, nullable=False),
    Column("published", DateTime(timezone=True)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("sort_date", DateTime(timezone=True), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("body", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("facts", Text, nullable=False),
    Column("tags_json", Text, nullable=False),
    Column("publisher_tags_json", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("story", String(64), index=True),  # the first release of the same story; NULL: it starts its own
    # a source's newest release, its pace and its silence (`sources`, /metrics) without reading every release
    Index("ix_releases_source_published", "source_id", "published"),
    Index("ix_releases_source_seen", "source_id", "first_seen"),
)

release_tags = Table(
    "release_tags",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", String(64), primary_key=True),
    Column("release_seq", Integer, ForeignKey("releases.seq", ondelete="CASCADE"), primary_key=True),
    Index("ix_release_tags_release", "release_seq"),
)

release_revisions = Table(
    "release_revisions",
    metadata,
    Column("release_id", String(64), ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

sources = Table(
    "source_state",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("synced", Boolean, nullable=False, default=False),
    Column("last_success", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("last_error_at", DateTime(timezone=True)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("next_attempt", DateTime(timezone=True)),
    Column("alerted_admin", Boolean, nullable=False, default=False),
    Column("alerted_quiet", Boolean, nullable=False, default=False),
    Column("added_from_chat", Boolean, nullable=False, default=False),
    Column("config_json", Text),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("terms_key", Text, nullable=False),
    Column("terms_json", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("paused", Boolean, nullable=False, default=False),
    Column("paused_reason", Text),
    Column("schedule", String(8), nullable=False, server_default="instant"),  # instant, daily or weekly
    Column("hour", Integer),  # a daily or weekly one's hour in its channel's time zone; NULL: the digest_hour
    Column("held_until", DateTime(timezone=True)),  # paused with `pause`: its alerts wait until then
    Column("held_since", DateTime(timezone=True)),  # when that pause began
    Column("reminded_at", DateTime(timezone=True)),  # when the channel was last reminded of a pause with no end
    Column("mentions", Text),  # JSON list of the user IDs its alerts mention (`notify`); NULL: nobody
    UniqueConstraint("platform", "workspace", "channel", "terms_key", name="uq_subscription_terms"),
)

# A channel's or room's own settings; a channel with no row has the defaults.
channel_settings = Table(
    "channel_settings",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True),
    Column("channel", String(255), primary_key=True),
    Column("timezone", String(64)),  # an IANA name (Europe/Brussels) for its digest hours; NULL: UTC
    Column("threads", Boolean),  # False: a story's next alert comes in the channel, not as a reply; NULL: threads
    Column("compact", Boolean),  # True: alerts are one line per release (`format compact`); NULL: cards
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("release_id", String(64), ForeignKey("releases.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("subscription_id", Integer),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("message_ref", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("held", Boolean, nullable=False, server_default=false()),  # waits for a daily or weekly hour
    Column("failing_since", DateTime(timezone=True)),  # its first transient failure; NULL: none yet
    UniqueConstraint("release_id", "revision", "platform", "workspace", "channel", name="uq_delivery"),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
    Index("ix_deliveries_message", "channel", "message_ref"),  # the releases of one sent message
)

kv = Table(
    "kv",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("value", Text, nullable=False),
)

# One row per Slack workspace that installed coop through OAuth: the bot token Slack issued for it.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("enterprise_id", String(32)),
    Column("bot_token", Text, nullable=False),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("installed_at", DateTime(timezone=True), nullable=False),
)
