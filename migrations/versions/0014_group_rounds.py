"""group work in rounds: a group can be asked to finish its choice after the lock; drafts stay drafts

Revision ID: 0014_group_rounds
Revises: 0013_agenda_item_keys

Choices no longer take the status "locked" (the lock is the event's): the ones stored locked counted as
chosen before, so they become submitted.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_group_rounds"
down_revision = "0013_agenda_item_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default: SQLite adds the column in place instead of copying the table.
    with op.batch_alter_table("groupchoice") as batch:
        batch.add_column(sa.Column("asked", sa.Boolean(), nullable=False, server_default="0"))
    choices = sa.table("groupchoice", sa.column("status", sa.String()))
    op.execute(choices.update().where(choices.c.status == "locked").values(status="submitted"))


def downgrade() -> None:
    choices = sa.table("groupchoice", sa.column("status", sa.String()))
    op.execute(choices.update().where(choices.c.status == "left_out").values(status="draft"))
    with op.batch_alter_table("groupchoice") as batch:
        batch.drop_column("asked")
