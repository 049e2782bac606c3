"""Schema versions of the ClickHouse event store: baseline from `model.columns`, then .sql files.

The same scheme as the DuckDB store (`store/duckdb/migrator.py`): a fresh store gets the tables
generated from `model.columns` and records every migration file as applied; an older store runs the
files it has not recorded, in order; either way the result is checked against `model.columns`.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from footfall.store.clickhouse.retention import Retention
from footfall.store.clickhouse.schema import INGEST_STATE_DDL, TABLES, expected_columns, table_ddl
from footfall.store.migration_files import Migration, read_migrations

SCHEMA_MIGRATIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations"
    " (version UInt32, name String, applied_at DateTime64(6, 'UTC'))"
    " ENGINE = ReplacingMergeTree ORDER BY version"
)


def available(folder: Traversable | Path | None = None) -> list[Migration]:
    """The migration files of `folder` (default: the package's `migrations/`), by version."""
    return read_migrations(
        folder if folder is not None else files("footfall.store.clickhouse") / "migrations"
    )


def migrate(client: Any, folder: Traversable | Path | None = None) -> list[int]:
    """Create or upgrade the schema; return the versions recorded now.

    ClickHouse has no DDL transactions: a crash midway leaves the files not yet recorded, and the
    next start runs them again (they are written to be repeatable, see 0001_initial.sql).
    """
    client.command(SCHEMA_MIGRATIONS_DDL)
    applied = {int(v) for (v,) in client.query("SELECT version FROM schema_migrations").result_rows}
    migrations = available(folder)
    pending = [m for m in migrations if m.version not in applied]
    if not applied:
        for table in TABLES:
            client.command(table_ddl(table))
        client.command(INGEST_STATE_DDL)
    else:
        for migration in pending:
            for statement in migration.statements():
                client.command(statement)
    for migration in pending:
        client.command(
            "INSERT INTO schema_migrations VALUES ({v:UInt32}, {n:String}, now64(6))",
            parameters={"v": migration.version, "n": migration.name},
        )
    drift = schema_drift(client)
    if drift:
        raise RuntimeError("event store schema differs from model.columns: " + "; ".join(drift))
    return [m.version for m in pending]


def schema_drift(client: Any) -> list[str]:
    """Differences between the stored tables and `model.columns` (empty when they agree)."""
    problems: list[str] = []
    for table in TABLES:
        rows = client.query(
            "SELECT name, type FROM system.columns"
            " WHERE database = currentDatabase() AND table = {t:String} ORDER BY position",
            parameters={"t": table},
        ).result_rows
        stored = [(str(n), str(t)) for n, t in rows]
        expected = expected_columns(table)
        for column in sorted(set(expected) - set(stored)):
            problems.append(f"{table}: missing or different {column}")
        for column in sorted(set(stored) - set(expected)):
            problems.append(f"{table}: unexpected {column}")
    return problems


def apply_retention(client: Any, retention: Retention) -> None:
    """Set (or remove) the TTL of both tables to match `retention` (idempotent, metadata only).

    `materialize_ttl_after_modify = 0`: changing the setting does not rewrite every stored part at
    start-up; old parts follow the new rules at their next merge, or at once after
    `ALTER TABLE ... MATERIALIZE TTL` (docs/deploy.md).
    """
    rules = retention.ttl_rules()
    for table in TABLES:
        if rules:
            client.command(
                f"ALTER TABLE {table} MODIFY TTL {', '.join(rules)}"
                " SETTINGS materialize_ttl_after_modify = 0"
            )
        elif _has_ttl(client, table):
            client.command(f"ALTER TABLE {table} REMOVE TTL")


def _has_ttl(client: Any, table: str) -> bool:
    """Whether the table has TTL rules now."""
    rows = client.query(
        "SELECT engine_full FROM system.tables WHERE database = currentDatabase()"
        " AND name = {t:String}",
        parameters={"t": table},
    ).result_rows
    return bool(rows) and " TTL " in str(rows[0][0])
