"""an event's owner and co-facilitators; administrators of the accounts

Revision ID: 0009_event_owners
Revises: 0008_summary_delivery

Events from before owners existed go to the oldest account: the one that set the installation up.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_event_owners"
down_revision = "0008_summary_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns added in place (constant default, the foreign key inline): SQLite would otherwise copy the
    # event table, which its foreign keys refuse once phones and polls refer to the event.
    with op.batch_alter_table("facilitatoraccount") as batch:
        batch.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE event ADD COLUMN owner_id INTEGER REFERENCES facilitatoraccount (id)")
    else:
        op.add_column("event", sa.Column("owner_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_event_owner_id_facilitatoraccount", "event", "facilitatoraccount",
                              ["owner_id"], ["id"])
    op.create_index(op.f("ix_event_owner_id"), "event", ["owner_id"], unique=False)
    op.create_table(
        "cofacilitator",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["facilitatoraccount.id"]),
        sa.PrimaryKeyConstraint("event_id", "account_id"),
    )
    op.create_index(op.f("ix_cofacilitator_account_id"), "cofacilitator", ["account_id"], unique=False)
    op.execute("UPDATE event SET owner_id = (SELECT MIN(id) FROM facilitatoraccount)")


def downgrade() -> None:
    op.drop_index(op.f("ix_cofacilitator_account_id"), table_name="cofacilitator")
    op.drop_table("cofacilitator")
    op.drop_index(op.f("ix_event_owner_id"), table_name="event")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_event_owner_id_facilitatoraccount", "event", type_="foreignkey")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("owner_id")
    with op.batch_alter_table("facilitatoraccount") as batch:
        batch.drop_column("is_admin")
