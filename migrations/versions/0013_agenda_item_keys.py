"""agenda items get a key that names them in agenda files, and a mark for items that run in parallel

Revision ID: 0013_agenda_item_keys
Revises: 0012_plan_versions

An import finds an item again by its key, so the item keeps its row and the polls attached to it. Items
stored before get a key each here.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0013_agenda_item_keys"
down_revision = "0012_plan_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Constant defaults: SQLite adds the columns in place instead of copying a table that others refer to.
    with op.batch_alter_table("agendaitem") as batch:
        batch.add_column(sa.Column("key", sa.String(length=40), nullable=False, server_default=""))
        batch.add_column(sa.Column("parallel", sa.Boolean(), nullable=False, server_default="0"))
    items = sa.table("agendaitem", sa.column("id"), sa.column("key"))
    connection = op.get_bind()
    ids = connection.execute(sa.select(items.c.id)).scalars().all()
    if ids:
        connection.execute(items.update().where(items.c.id == sa.bindparam("item_id"))
                           .values(key=sa.bindparam("new_key")),
                           [{"item_id": item_id, "new_key": secrets.token_hex(4)} for item_id in ids])
    with op.batch_alter_table("agendaitem") as batch:
        batch.create_index("ix_agendaitem_event_id_key", ["event_id", "key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("agendaitem") as batch:
        batch.drop_index("ix_agendaitem_event_id_key")
        batch.drop_column("parallel")
        batch.drop_column("key")
