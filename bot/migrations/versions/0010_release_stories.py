"""stories: releases.story links a release to the first release about the same operation or event

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no copy of the releases table, whose search index and side tables point at its rows.
    op.add_column("releases", sa.Column("story", sa.String(64), nullable=True))
    op.create_index("ix_releases_story", "releases", ["story"])


def downgrade() -> None:
    with op.batch_alter_table("releases") as batch:
        batch.drop_index("ix_releases_story")
        batch.drop_column("story")
