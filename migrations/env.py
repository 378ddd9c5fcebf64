"""Alembic environment: run from core.database.migrate with a live connection."""

from alembic import context
from sqlmodel import SQLModel

import workshops.models  # noqa: F401  (the imports register every table)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
