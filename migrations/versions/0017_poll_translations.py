"""a poll's title and its questions' texts in bokmål, nynorsk and English

Revision ID: 0017_poll_translations
Revises: 0016_official_names

A poll's own texts stay where they are, as the version in the language they were written in: the event's.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017_poll_translations"
down_revision = "0016_official_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Constant server defaults: SQLite adds the columns in place (a table copy fails once votes refer to questions).
    with op.batch_alter_table("poll") as batch:
        batch.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False, server_default="nb"))
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    op.execute("UPDATE poll SET language = (SELECT event.language FROM event WHERE event.id = poll.event_id)")


def downgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.drop_column("translations")
    with op.batch_alter_table("poll") as batch:
        batch.drop_column("translations")
        batch.drop_column("language")
