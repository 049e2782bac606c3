"""DuckDB schema: DDL matches model.columns exactly; migrations are versioned and idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS, Column
from footfall.store.duckdb import DuckDBStore, migrator


@pytest.fixture
def store(db_path: str) -> Iterator[DuckDBStore]:
    """This module tests the DuckDB backend only (ClickHouse: test_clickhouse_schema.py)."""
    opened = DuckDBStore(db_path)
    opened.migrate()
    yield opened
    opened.close()


def _information_schema(db_path: str, table: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(db_path) as con:
        return con.execute(
            "SELECT column_name, data_type, is_nullable, column_default"
            " FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()


@pytest.mark.parametrize(
    ("table", "columns"), [("events", EVENT_COLUMNS), ("sessions", SESSION_COLUMNS)]
)
def test_tables_match_model_columns(
    store: DuckDBStore, db_path: str, table: str, columns: tuple[Column, ...]
) -> None:
    store.close()
    stored = _information_schema(db_path, table)
    assert [(n, t) for n, t, _, _ in stored] == [(c.name, c.type) for c in columns]
    for (name, _, nullable, default), column in zip(stored, columns, strict=True):
        assert nullable == ("YES" if column.nullable else "NO"), name
        if column.nullable or column.type == "UUID":
            assert default is None, name  # website_id is required: '' is no UUID
        else:
            assert default is not None, name


def test_no_primary_key_on_event_tables(store: DuckDBStore) -> None:
    rows = store.execute(
        "SELECT table_name FROM duckdb_constraints()"
        " WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name"
    )
    assert rows == [("ingest_state",), ("schema_migrations",)]


def test_missing_keys_take_the_declared_defaults(store: DuckDBStore, website: str) -> None:
    store.write([{"website_id": website}], [{"website_id": website}], 1)
    [event] = store.session_events(website, 0)
    [session] = store.recent_sessions(0.0)
    for columns, row in ((EVENT_COLUMNS, event), (SESSION_COLUMNS, session)):
        for column in columns:
            if column.name == "website_id":
                continue
            expected = None if column.nullable else column.default
            assert row[column.name] == expected, column.name


def test_migrate_twice_is_a_no_op(db_path: str) -> None:
    store = DuckDBStore(db_path)
    store.migrate()
    store.write([], [], 5)
    store.migrate()
    assert store.checkpoint() == 5
    store.close()
    with duckdb.connect(db_path) as con:
        versions = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert versions == [(1, "initial"), (2, "event_custom_variables_6_10")]


NEW_IN_0002 = [
    f"event_custom_variable_{part}_{k}" for k in range(6, 11) for part in ("key", "value")
]


def test_a_store_of_before_0002_gets_event_variables_6_to_10(db_path: str, website: str) -> None:
    """A store made before 0002 (its columns dropped, its record removed) is brought to
    model.columns by the packaged file, and its old rows read '' in the new slots."""
    store = DuckDBStore(db_path)
    store.migrate()
    store.write([{"website_id": website, "event_id": 1}], [], 1)
    store.close()
    with duckdb.connect(db_path) as con:
        for name in NEW_IN_0002:
            con.execute(f"ALTER TABLE events DROP COLUMN {name}")
        con.execute("DELETE FROM schema_migrations WHERE version = 2")
        assert migrator.schema_drift(con) != []
        assert migrator.migrate(con) == [2]
        assert migrator.schema_drift(con) == []
        assert con.execute(
            "SELECT event_custom_variable_key_6, event_custom_variable_value_10 FROM events"
        ).fetchall() == [("", "")]
    store = DuckDBStore(db_path)
    store.migrate()
    row = {"website_id": website, "event_id": 2, "event_custom_variable_key_8": "lang"}
    store.write([row], [], 2)
    [(key,)] = store.execute("SELECT event_custom_variable_key_8 FROM events WHERE event_id = 2")
    store.close()
    assert key == "lang"


def test_fresh_store_records_every_file_and_runs_none(tmp_path: Path, db_path: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("-- baseline\n")
    (folder / "0002_fails_if_run.sql").write_text("SELECT * FROM no_such_table;\n")
    with duckdb.connect(db_path) as con:
        assert migrator.migrate(con, folder) == [1, 2]
        assert migrator.migrate(con, folder) == []


def test_older_store_runs_pending_files_once(tmp_path: Path, db_path: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("-- baseline\n")
    with duckdb.connect(db_path) as con:
        migrator.migrate(con, folder)
        (folder / "0002_session_index.sql").write_text(
            "CREATE INDEX sessions_visitor ON sessions (website_id, visitor_id);\n"
            "CREATE TABLE notes (text VARCHAR);\n"
        )
        (folder / "README.txt").write_text("not a migration")
        assert migrator.migrate(con, folder) == [2]
        assert migrator.migrate(con, folder) == []  # CREATE INDEX again would fail
        assert con.execute("SELECT count(*) FROM notes").fetchone() == (0,)


def test_drift_from_model_columns_refuses_to_migrate(tmp_path: Path, db_path: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("-- baseline\n")
    with duckdb.connect(db_path) as con:
        migrator.migrate(con, folder)
        (folder / "0002_extra.sql").write_text("ALTER TABLE events ADD COLUMN extra VARCHAR;")
        with pytest.raises(RuntimeError, match="unexpected \\('extra'"):
            migrator.migrate(con, folder)
        # the failed migration rolled back: neither the column nor the version is recorded
        assert migrator.schema_drift(con) == []
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (1,)


def test_two_files_with_one_number_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "0002_a.sql").write_text("")
    (tmp_path / "0002_b.sql").write_text("")
    with pytest.raises(ValueError, match="two migrations numbered 0002"):
        migrator.available(tmp_path)


def test_packaged_migrations_start_at_initial() -> None:
    assert [(m.version, m.name) for m in migrator.available()][:1] == [(1, "initial")]
