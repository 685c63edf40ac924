"""index on deliveries (channel, message_ref): a correction finds every release its message carried (a digest)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:40:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deliveries_message", "deliveries", ["channel", "message_ref"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deliveries_message", table_name="deliveries")
