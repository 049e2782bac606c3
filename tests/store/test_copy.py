"""`footfall migrate-store`: DuckDB → chDB, every row, every column and the checkpoint."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from footfall.cli import main
from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS, Column
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.copy import column_digests
from footfall.store.duckdb import DuckDBStore

WEBSITES = ("0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01", "7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88")
T0 = 1_700_000_000.0
_MAX = {"UTINYINT": 255, "USMALLINT": 65535, "UINTEGER": 2**32 - 1, "UBIGINT": 2**64 - 1}


def _value(column: Column, rnd: random.Random) -> Any:
    """A random value of the column's type: extremes, NULLs, quotes and non-ASCII included."""
    if column.nullable and rnd.random() < 0.3:
        return None
    kind = column.type
    if kind in _MAX:
        return rnd.choice((0, 1, _MAX[kind], rnd.randint(0, _MAX[kind])))
    if kind == "INTEGER":
        return rnd.randint(-(2**31), 2**31 - 1)
    if kind == "DOUBLE":
        return rnd.choice((0.0, -1.5, 1e-9, 123456.789, rnd.uniform(-1e6, 1e6)))
    if kind == "VARCHAR":
        return rnd.choice(("", "a'b\"c", "zażółć 🦶", "https://example.com/?q=1&r=%20", "x" * 300))
    if kind == "TIME":
        return f"{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}"
    if kind == "TIMESTAMP":
        return T0 + rnd.randint(0, 90 * 86400) + rnd.randint(0, 999_999) / 1e6
    if kind == "UUID":
        return WEBSITES[0]
    if kind == "INTEGER[]":
        return sorted(rnd.sample(range(-5, 50), rnd.randint(0, 4)))
    raise AssertionError(kind)


def _rows(
    columns: tuple[Column, ...], n: int, rnd: random.Random, key: str
) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        row = {c.name: _value(c, rnd) for c in columns}
        row["website_id"] = WEBSITES[i % 2]
        row[key] = i + 1  # unique per table (event_id, session_id)
        rows.append(row)
    return rows


@pytest.fixture
def source(tmp_path: Path) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """A DuckDB store with random rows in every column and checkpoint 4242."""
    rnd = random.Random(8)
    events = _rows(EVENT_COLUMNS, 700, rnd, "event_id")
    sessions = _rows(SESSION_COLUMNS, 300, rnd, "session_id")
    path = tmp_path / "events.duckdb"
    store = DuckDBStore(str(path))
    store.migrate()
    store.write(events[:400], sessions, 4000)
    store.write(events[400:], [], 4242)
    store.close()
    return f"duckdb://{path}", events, sessions


def test_migrate_store_copies_every_column_and_the_checkpoint(
    source: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dsn, events, sessions = source
    target = f"chdb://{tmp_path / 'ch'}"
    code = main(["migrate-store", "--from", dsn, "--to", target, "--batch-rows", "128", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["checkpoint"] == 4242 and report["equal"] is True
    assert report["tables"]["events"] == {
        "source_rows": 700,
        "target_rows": 700,
        "columns_verified": len(EVENT_COLUMNS),
        "columns_mismatched": [],
    }
    assert report["tables"]["sessions"]["target_rows"] == 300
    assert report["tables"]["sessions"]["columns_verified"] == len(SESSION_COLUMNS)

    # Independently of the command's own checksums: the rows read back through the interface.
    copied = ClickHouseStore(parse_url(target))
    copied.migrate()
    try:
        assert copied.checkpoint() == 4242
        by_key = {(s["website_id"], s["session_id"]): s for s in copied.recent_sessions(0.0)}
        assert by_key == {(s["website_id"], s["session_id"]): s for s in sessions}
        stored = copied.session_events(WEBSITES[0], events[0]["session_id"])
        expected = [
            e
            for e in events
            if e["website_id"] == WEBSITES[0] and e["session_id"] == events[0]["session_id"]
        ]
        key = lambda e: (e["event_index"], e["event_id"])  # noqa: E731
        assert sorted(stored, key=key) == sorted(expected, key=key)
    finally:
        copied.close()


def test_migrate_store_refuses_a_non_empty_target(
    source: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dsn, _, _ = source
    target = f"chdb://{tmp_path / 'ch'}"
    assert main(["migrate-store", "--from", dsn, "--to", target, "--no-verify"]) == 0
    assert main(["migrate-store", "--from", dsn, "--to", target]) == 2
    assert "is not empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "chdb:///x", "--to", "chdb:///y"], "--from must be a DuckDB store"),
        (["--from", "duckdb:///x.duckdb", "--to", "duckdb:///y"], "--to must be a ClickHouse"),
    ],
)
def test_migrate_store_names_a_bad_url(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate-store", *args]) == 2
    assert message in capsys.readouterr().err


def test_column_digests_see_one_changed_value() -> None:
    table = pa.table({"a": [1, 2, None], "b": [[1], [], [2, 3]], "c": [0.1, 0.2, 0.3]})
    changed = table.set_column(2, "c", pa.array([0.1, 0.2, 0.30000000000000004]))
    first, second = column_digests(iter([table])), column_digests(iter([changed]))
    assert first["a"] == second["a"] and first["b"] == second["b"]
    assert first["c"] != second["c"]
    moved = column_digests(iter([table.slice(0, 1), table.slice(1)]))
    assert moved == first  # batch boundaries do not matter
