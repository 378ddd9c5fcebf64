"""polls may open and close with their agenda item

Revision ID: 0004_poll_follows_item
Revises: 0003_participant_roles
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_poll_follows_item"
down_revision = "0003_participant_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("poll") as batch_op:
        batch_op.add_column(sa.Column("follows_item", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("poll") as batch_op:
        batch_op.drop_column("follows_item")
