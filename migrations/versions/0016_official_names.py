"""municipalities get their official name (with Sami and Kven parallel names) and målform; an event gets the
målform its invited "nøytral" municipalities start with

Revision ID: 0016_official_names
Revises: 0015_event_archive

The columns are filled from the bundled file at every start (events.municipalities), so existing
municipalities get their official name and målform then; existing invitations keep their målform.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016_official_names"
down_revision = "0015_event_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Constant defaults: SQLite adds the columns in place (a table copy fails once rows refer to these tables).
    with op.batch_alter_table("municipality") as batch:
        batch.add_column(sa.Column("official_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("malform", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default="nøytral"))
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("default_written_language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False,
                                   server_default="nb"))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("default_written_language")
    with op.batch_alter_table("municipality") as batch:
        batch.drop_column("malform")
        batch.drop_column("official_name")
