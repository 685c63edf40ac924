"""the full-text index stems English words (FTS5's porter): "smuggler" finds "smugglers"

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 10:00:00
"""

from alembic import op

from bot.store import dialect

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect.reindex_all(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the code of 0008 searches a stemmed index as well (FTS5 stems the queries too)."""
