"""private links through which a municipality reports its status before a meeting; corrections of a
group's choice, with who made them and when

Revision ID: 0019_status_links
Revises: 0018_learning_networks
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.database import TextJSON, UTCDateTime

revision = "0019_status_links"
down_revision = "0018_learning_networks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statuslink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["municipality_number"], ["municipality.number"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(op.f("ix_statuslink_event_id"), "statuslink", ["event_id"], unique=False)
    op.create_table(
        "choicecorrection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("corrected_by", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("corrected_at", UTCDateTime(), nullable=False),
        sa.Column("before", TextJSON(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["municipality_number"], ["municipality.number"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_choicecorrection_event_id"), "choicecorrection", ["event_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_choicecorrection_event_id"), table_name="choicecorrection")
    op.drop_table("choicecorrection")
    op.drop_index(op.f("ix_statuslink_event_id"), table_name="statuslink")
    op.drop_table("statuslink")
