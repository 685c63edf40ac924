"""index on releases.publisher, so the distinct publishers are read from the index, not a table scan

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:50:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_releases_publisher", "releases", ["publisher"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_releases_publisher", table_name="releases")
