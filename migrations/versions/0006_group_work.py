"""group work: measures per group, texts on the board, locking

Revision ID: 0006_group_work
Revises: 0005_text_approval
"""
import sqlalchemy as sa
from alembic import op

from core.database import UTCDateTime

revision = "0006_group_work"
down_revision = "0005_text_approval"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("group_max_measures", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("group_texts_shown", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("groups_locked_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("groups_locked_at")
        batch_op.drop_column("group_texts_shown")
        batch_op.drop_column("group_max_measures")
