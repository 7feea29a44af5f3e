"""The database: engine and connection rules for SQLite and PostgreSQL, the Alembic migrations,
and the repositories that are not one feature's own (event ids already handled)."""
