"""expected participants per invited municipality; joining can be closed; join and vote times to the minute

Revision ID: 0011_expected_and_closed_joining
Revises: 0010_vote_status

The times of joins and votes stored before are cut to the minute as well: they are kept no finer than
they are needed. A vote's `batch` (the ballot box's write that stored it) tells the screens what changed
instead of its time; the votes stored before count as written before every new one.
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_expected_and_closed_joining"
down_revision = "0010_vote_status"
branch_labels = None
depends_on = None

COARSENED = {"device": ("joined_at",), "vote": ("created_at", "updated_at")}


def _to_the_minute(table: str, columns: tuple[str, ...]) -> None:
    """In Python, not SQL: SQLite and PostgreSQL store and truncate times differently."""
    rows = sa.table(table, sa.column("id"), *(sa.column(name, sa.DateTime()) for name in columns))
    connection = op.get_bind()
    changed = []
    for row in connection.execute(sa.select(rows)).mappings():
        times: dict[str, datetime | None] = {name: row[name] for name in columns}
        cut = {name: value.replace(second=0, microsecond=0) if value else value for name, value in times.items()}
        if cut != times:
            changed.append({"row_id": row["id"], **{f"cut_{name}": value for name, value in cut.items()}})
    if changed:
        connection.execute(rows.update().where(rows.c.id == sa.bindparam("row_id"))
                           .values({name: sa.bindparam(f"cut_{name}") for name in columns}), changed)


def upgrade() -> None:
    # Defaults written as constants: SQLite then adds the columns in place instead of copying the tables,
    # which its foreign keys refuse once phones and polls refer to the event.
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("joining_closed", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("expected_participants", sa.Integer(), nullable=True))
    with op.batch_alter_table("vote") as batch:
        batch.add_column(sa.Column("batch", sa.Integer(), nullable=False, server_default="0"))
        batch.create_index(batch.f("ix_vote_batch"), ["batch"], unique=False)
    for table, columns in COARSENED.items():
        _to_the_minute(table, columns)


def downgrade() -> None:
    with op.batch_alter_table("vote") as batch:
        batch.drop_index(batch.f("ix_vote_batch"))
        batch.drop_column("batch")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("expected_participants")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("joining_closed")
