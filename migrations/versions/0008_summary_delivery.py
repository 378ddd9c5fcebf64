"""the summaries' e-mail deliveries

Revision ID: 0008_summary_delivery
Revises: 0007_summary_links
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.database import UTCDateTime

revision = "0008_summary_delivery"
down_revision = "0007_summary_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summarydelivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("send_after", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["municipality_number"], ["municipality.number"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "municipality_number"),
    )
    op.create_index(op.f("ix_summarydelivery_event_id"), "summarydelivery", ["event_id"], unique=False)
    op.create_index(op.f("ix_summarydelivery_status"), "summarydelivery", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_summarydelivery_status"), table_name="summarydelivery")
    op.drop_index(op.f("ix_summarydelivery_event_id"), table_name="summarydelivery")
    op.drop_table("summarydelivery")
