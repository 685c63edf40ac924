"""format: a channel may have its alerts as one line per release instead of a card

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("channel_settings", sa.Column("compact", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_settings") as batch:
        batch.drop_column("compact")
