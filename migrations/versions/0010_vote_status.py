"""what a facilitator made of an answer: received, hidden or deleted

Revision ID: 0010_vote_status
Revises: 0009_event_owners

Every answer stored before was received.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_vote_status"
down_revision = "0009_event_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vote") as batch:
        batch.add_column(sa.Column("status", sa.String(length=10), nullable=False, server_default="received"))


def downgrade() -> None:
    with op.batch_alter_table("vote") as batch:
        batch.drop_column("status")
