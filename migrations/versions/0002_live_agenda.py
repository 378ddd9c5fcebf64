"""live agenda: projector mode and text slides, automatic start and advance, reorder payload

Revision ID: 0002_live_agenda
Revises: 6c9c791d6ad4
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002_live_agenda"
down_revision = "6c9c791d6ad4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "textslide",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("textslide") as batch_op:
        batch_op.create_index(batch_op.f("ix_textslide_event_id"), ["event_id"], unique=False)
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("auto_start", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("projector_mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default="agenda"))
        batch_op.add_column(sa.Column("projector_slide_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("agendaitem") as batch_op:
        batch_op.add_column(sa.Column("auto_advance", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("agendaaction") as batch_op:
        batch_op.add_column(sa.Column("item_order", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("agendaaction") as batch_op:
        batch_op.drop_column("item_order")
    with op.batch_alter_table("agendaitem") as batch_op:
        batch_op.drop_column("auto_advance")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("projector_slide_id")
        batch_op.drop_column("projector_mode")
        batch_op.drop_column("auto_start")
    with op.batch_alter_table("textslide") as batch_op:
        batch_op.drop_index(batch_op.f("ix_textslide_event_id"))
    op.drop_table("textslide")
