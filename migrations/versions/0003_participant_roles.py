"""participant roles per event

Revision ID: 0003_participant_roles
Revises: 0002_live_agenda
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_participant_roles"
down_revision = "0002_live_agenda"
branch_labels = None
depends_on = None

DEFAULT_ROLES = '["politician", "leader", "employee", "user_representative", "other"]'


def upgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("participant_roles", sa.JSON(), nullable=False, server_default=DEFAULT_ROLES))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("participant_roles")
