"""a learning network's report text: the short summary its hosts edit before exporting the network report

Revision ID: 0020_network_report_text
Revises: 0019_status_links
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_network_report_text"
down_revision = "0019_status_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant server default: SQLite adds the column in place (a table copy fails once events refer to networks).
    with op.batch_alter_table("network") as batch:
        batch.add_column(sa.Column("report_text", sa.String(length=4000), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("network") as batch:
        batch.drop_column("report_text")
