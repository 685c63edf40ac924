"""languages as tags: release_tags gets a ("language", code) row per release, for lang: in search, latest, stats

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # only where none is there yet: a store may have been written by this code before its version was recorded
    op.execute("INSERT INTO release_tags (release_seq, kind, value) SELECT seq, 'language', language FROM releases "
               "WHERE NOT EXISTS (SELECT 1 FROM release_tags t WHERE t.release_seq = releases.seq "
               "AND t.kind = 'language')")


def downgrade() -> None:
    op.execute("DELETE FROM release_tags WHERE kind = 'language'")
