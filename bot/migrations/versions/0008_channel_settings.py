"""a channel's own settings: channel_settings.timezone, in which its daily and weekly hours are read

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_settings",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("workspace", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(255), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("channel_settings")
