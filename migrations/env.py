"""Alembic environment: run by core.database.migrate with a live connection, or by the command line
(`make migration NAME=…`) on the database that DATABASE_URL names."""

import importlib

from alembic import context
from sqlmodel import SQLModel

# Every module that defines tables; importing them registers the tables in SQLModel.metadata.
TABLE_MODULES = ("events.models", "agenda.models", "polls.models", "workshops.models", "facilitator.accounts")
for module in TABLE_MODULES:
    importlib.import_module(module)


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from core.database import create_db_engine
    from core.settings import load_settings

    engine = create_db_engine(load_settings().database_url)
    with engine.begin() as opened:
        run_migrations(opened)
    engine.dispose()
