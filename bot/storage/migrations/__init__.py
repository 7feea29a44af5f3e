"""Alembic migrations for the bot's database, shipped inside the package and applied by
`Store.open` at start-up."""
