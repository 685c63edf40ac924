"""deliveries given up after failing for too long are told apart from those a channel refused, to be queued again

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Until now both were "failed"; the delivery worker wrote this at the start of the error of those it gave up.
GAVE_UP = "gave up after %"


def upgrade() -> None:
    op.execute(sa.text("UPDATE deliveries SET status = 'given_up' WHERE status = 'failed' AND last_error LIKE :gave_up")
               .bindparams(gave_up=GAVE_UP))


def downgrade() -> None:
    op.execute("UPDATE deliveries SET status = 'failed' WHERE status = 'given_up'")
