"""Alembic migrations of the metadata store (run by `MetaStore.migrate()`)."""
