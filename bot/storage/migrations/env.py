"""Alembic environment: always run online, on the connection `bot.storage.database` hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# transactional_ddl: SQLite's DDL is transactional too once sqlite3 is kept from committing it
# statement by statement (bot.storage.database._migrating); Alembic assumes otherwise for SQLite
context.configure(
    connection=connection, target_metadata=None, render_as_batch=True, transactional_ddl=True
)
with context.begin_transaction():
    context.run_migrations()
