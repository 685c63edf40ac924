"""Matrix rooms whose subscriptions were paused only because the room was encrypted get their alerts again

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# What the delivery worker recorded as the reason while coop could not encrypt; it can now.
COULD_NOT_ENCRYPT = "the room is encrypted, which coop does not support yet"


def upgrade() -> None:
    op.execute(sa.text("UPDATE subscriptions SET paused = :no, paused_reason = NULL "
                       "WHERE platform = 'matrix' AND paused_reason = :reason")
               .bindparams(no=False, reason=COULD_NOT_ENCRYPT))


def downgrade() -> None:
    """Nothing to undo: a room paused for this reason before could not be told from one resumed by hand."""
