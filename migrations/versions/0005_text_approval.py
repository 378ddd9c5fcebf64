"""open-text answers are approved before they reach the projector

Revision ID: 0005_text_approval
Revises: 0004_poll_follows_item
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_text_approval"
down_revision = "0004_poll_follows_item"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vote") as batch_op:
        batch_op.add_column(sa.Column("approved", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("vote") as batch_op:
        batch_op.drop_column("approved")
