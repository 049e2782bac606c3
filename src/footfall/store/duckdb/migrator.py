"""Schema versions of the DuckDB event store: baseline from `model.columns`, then numbered .sql files.

A fresh store gets the tables generated from `model.columns` and records every migration file as
applied (columns.py already describes their result); an older store runs the files it has not
recorded, in order. Either way the result is checked against `model.columns`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb

from footfall.store.duckdb.schema import INGEST_STATE_DDL, TABLES, expected_columns, table_ddl
from footfall.store.migration_files import Migration, read_migrations

SCHEMA_MIGRATIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
)


def available(folder: Traversable | Path | None = None) -> list[Migration]:
    """The migration files of `folder` (default: the package's `migrations/`), by version."""
    return read_migrations(
        folder if folder is not None else files("footfall.store.duckdb") / "migrations"
    )


def migrate(cur: duckdb.DuckDBPyConnection, folder: Traversable | Path | None = None) -> list[int]:
    """Create or upgrade the schema in one transaction; return the versions recorded now."""
    cur.execute("BEGIN TRANSACTION")
    try:
        recorded = _upgrade(cur, available(folder))
        drift = schema_drift(cur)
        if drift:
            raise RuntimeError("event store schema differs from model.columns: " + "; ".join(drift))
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return recorded


def _upgrade(cur: duckdb.DuckDBPyConnection, migrations: list[Migration]) -> list[int]:
    """Apply the baseline or the pending files (inside the caller's transaction)."""
    cur.execute(SCHEMA_MIGRATIONS_DDL)
    rows = cur.execute("SELECT version FROM schema_migrations").fetchall()
    applied = {int(v) for (v,) in rows}
    pending = [m for m in migrations if m.version not in applied]
    if not applied:
        # Fresh store: the baseline already has every column the files would add.
        for table in TABLES:
            cur.execute(table_ddl(table))
        cur.execute(INGEST_STATE_DDL)
        cur.execute("INSERT INTO ingest_state VALUES ('checkpoint', 0) ON CONFLICT DO NOTHING")
    else:
        for migration in pending:
            for statement in cur.extract_statements(migration.sql):
                cur.execute(statement)
    for migration in pending:
        cur.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            [migration.version, migration.name, datetime.now(UTC).replace(tzinfo=None)],
        )
    return [m.version for m in pending]


def schema_drift(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Differences between the stored tables and `model.columns` (empty when they agree)."""
    problems: list[str] = []
    for table in TABLES:
        rows = cur.execute(
            "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns"
            " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        stored = [(str(n), str(t), bool(z)) for n, t, z in rows]
        expected = expected_columns(table)
        for column in sorted(set(expected) - set(stored)):
            problems.append(f"{table}: missing or different {column}")
        for column in sorted(set(stored) - set(expected)):
            problems.append(f"{table}: unexpected {column}")
    return problems
