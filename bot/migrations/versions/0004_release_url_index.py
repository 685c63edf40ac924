"""index on releases.url, so `show <url>` finds a release without a table scan

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:10:00
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_releases_url", "releases", ["url"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_releases_url", table_name="releases")
