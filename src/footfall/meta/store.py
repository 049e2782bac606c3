"""MetaStore: the connection to the metadata database (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

__all__ = ["MetaStore", "as_utc", "utcnow"]


def utcnow() -> datetime:
    """The current time in UTC, to the microsecond."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives back naive datetimes)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the CLI write while a running server reads; busy_timeout makes a writer wait for
    # the lock instead of failing at once; SQLite enforces foreign keys only when asked to.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists.

    why: an existing database must not be opened and closed here. Closing any descriptor of a
    file drops every POSIX lock the process holds on it, SQLite's included: a second MetaStore
    made in a process whose first one had a pooled connection left that connection reading an
    old WAL snapshot, and the server stopped seeing users and credentials the CLI added.
    """
    if path.exists():
        return
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class MetaStore:
    """The metadata database: an engine, programmatic Alembic migrations and transactions."""

    def __init__(self, dsn: str) -> None:
        url = sa.make_url(dsn)
        self.dsn = dsn
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if self.is_sqlite and url.database and url.database != ":memory:":
            path = Path(url.database).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            # The file holds password and secret hashes: readable by its owner only.
            _create_private(path)
        self.engine: Engine = sa.create_engine(url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    def migrate(self) -> None:
        """Upgrade the schema to the newest migration (idempotent)."""
        config = Config()
        config.set_main_option("script_location", "footfall.meta:migrations")
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def revision(self) -> str | None:
        """The current Alembic revision of the database (None before the first migration)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection inside a transaction, committed on success and rolled back on error."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reads."""
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> MetaStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
