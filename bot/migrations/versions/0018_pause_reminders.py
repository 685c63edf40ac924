"""subscriptions remember when their pause began and when the channel was last reminded of it

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 12:00:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("held_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("subscriptions", sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    # A pause already under way counts from now: its channel is first reminded a week after the upgrade.
    held = sa.table("subscriptions", sa.column("held_until", sa.DateTime(timezone=True)),
                    sa.column("held_since", sa.DateTime(timezone=True)))
    op.execute(sa.update(held).where(held.c.held_until.is_not(None)).values(held_since=datetime.now(UTC)))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("held_since")
