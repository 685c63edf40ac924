"""daily and weekly subscriptions: subscriptions.schedule, and deliveries.held for alerts that wait for the hour

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("schedule", sa.String(length=8), nullable=False,
                                             server_default="instant"))
    op.add_column("deliveries", sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("held")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("schedule")
