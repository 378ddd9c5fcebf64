"""versions of an event's agenda and invitations, so a save based on an older one is refused

Revision ID: 0012_plan_versions
Revises: 0011_expected_and_closed_joining
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_plan_versions"
down_revision = "0011_expected_and_closed_joining"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Constant server defaults: SQLite adds the columns in place (a table copy fails once rows refer to it).
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("plan_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("invitations_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("invitations_version")
        batch.drop_column("plan_version")
