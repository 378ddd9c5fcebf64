"""learning networks as their own thing: owner, region, hosts, reform, members; a meeting's phase; a
question's series across meetings; a group choice's catalogue and the status of the earlier first step

Revision ID: 0018_learning_networks
Revises: 0017_poll_translations

A network made before (by an event's network name) goes to the owner of its earliest meeting, and its
members are the municipalities invited to any of its meetings. Choices made before keep the catalogue
their event used then.
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_learning_networks"
down_revision = "0017_poll_translations"
branch_labels = None
depends_on = None


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable foreign-key column added in place: SQLite would otherwise copy the table, which its
    foreign keys refuse once other rows refer to it."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f"fk_{table}_{column}_{target}", table, target, [column], ["id"])


def _drop_reference(table: str, column: str, target: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)


def upgrade() -> None:
    _add_reference("network", "owner_id", "facilitatoraccount")
    op.create_index(op.f("ix_network_owner_id"), "network", ["owner_id"], unique=False)
    with op.batch_alter_table("network") as batch:
        batch.add_column(sa.Column("region", sa.String(length=120), nullable=False, server_default=""))
        batch.add_column(sa.Column("hosts", sa.String(length=500), nullable=False, server_default=""))
        batch.add_column(sa.Column("reform", sa.String(length=20), nullable=False,
                                   server_default="leve_hele_livet"))
    op.create_table(
        "networkmember",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("municipality_number", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["municipality_number"], ["municipality.number"]),
        sa.PrimaryKeyConstraint("network_id", "municipality_number"),
    )
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("network_phase", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("series_key", sa.String(length=40), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_question_series_key"), ["series_key"], unique=False)
    _add_reference("groupchoice", "catalogue_id", "catalogue")
    with op.batch_alter_table("groupchoice") as batch:
        batch.add_column(sa.Column("step_status", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("step_note", sa.String(length=300), nullable=False, server_default=""))

    op.execute("UPDATE network SET owner_id = (SELECT event.owner_id FROM event WHERE event.network_id = network.id "
               "ORDER BY event.day, event.id LIMIT 1)")
    op.execute("INSERT INTO networkmember (network_id, municipality_number) "
               "SELECT DISTINCT event.network_id, invitation.municipality_number FROM invitation "
               "JOIN event ON event.id = invitation.event_id WHERE event.network_id IS NOT NULL")
    op.execute("UPDATE groupchoice SET catalogue_id = (SELECT focusarea.catalogue_id FROM focusarea "
               "WHERE focusarea.id = groupchoice.focus_area_id)")


def downgrade() -> None:
    with op.batch_alter_table("groupchoice") as batch:
        batch.drop_column("step_note")
        batch.drop_column("step_status")
    _drop_reference("groupchoice", "catalogue_id", "catalogue")
    with op.batch_alter_table("question") as batch:
        batch.drop_index(batch.f("ix_question_series_key"))
        batch.drop_column("series_key")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("network_phase")
    op.drop_table("networkmember")
    with op.batch_alter_table("network") as batch:
        batch.drop_column("reform")
        batch.drop_column("hosts")
        batch.drop_column("region")
    op.drop_index(op.f("ix_network_owner_id"), table_name="network")
    _drop_reference("network", "owner_id", "facilitatoraccount")
