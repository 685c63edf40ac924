"""sources remember that the admin was told they have gone quiet, so it is told once, not at every start; and
releases are indexed by source, so a source's newest release and pace are read without reading every release

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("source_state", sa.Column("alerted_quiet", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_releases_source_published", "releases", ["source_id", "published"])
    op.create_index("ix_releases_source_seen", "releases", ["source_id", "first_seen"])


def downgrade() -> None:
    op.drop_index("ix_releases_source_seen", "releases")
    op.drop_index("ix_releases_source_published", "releases")
    with op.batch_alter_table("source_state") as batch:
        batch.drop_column("alerted_quiet")
