"""Alembic environment: runs on the connection `MetaStore.migrate()` hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
