"""an event can be archived: hidden from the event list until it is restored

Revision ID: 0015_event_archive
Revises: 0014_group_rounds
"""
import sqlalchemy as sa
from alembic import op

from core.database import UTCDateTime

revision = "0015_event_archive"
down_revision = "0014_group_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: SQLite adds it in place (a table copy fails once rows refer to events).
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("archived_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("archived_at")
