"""private, revocable links to the municipalities' summaries

Revision ID: 0007_summary_links
Revises: 0006_group_work
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.database import UTCDateTime

revision = "0007_summary_links"
down_revision = "0006_group_work"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summarylink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["municipality_number"], ["municipality.number"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(op.f("ix_summarylink_event_id"), "summarylink", ["event_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_summarylink_event_id"), table_name="summarylink")
    op.drop_table("summarylink")
