"""open_store: the event store named by FOOTFALL_EVENTS_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.store import open_store
from footfall.store.duckdb import DuckDBStore


def test_duckdb_file_url(tmp_path: Path) -> None:
    path = tmp_path / "data" / "events.duckdb"
    path.parent.mkdir()
    store = open_store(f"duckdb://{path}")
    assert isinstance(store, DuckDBStore)
    assert store.path == str(path)
    store.migrate()
    store.write([], [], 3)
    store.close()
    assert path.exists()
    reopened = open_store(f"duckdb://{path}")
    assert reopened.checkpoint() == 3
    reopened.close()


def test_duckdb_memory_url() -> None:
    store = open_store("duckdb:///:memory:")
    assert isinstance(store, DuckDBStore)
    assert store.path == ":memory:"
    store.migrate()
    assert store.checkpoint() == 0
    store.close()


@pytest.mark.parametrize(
    ("dsn", "message"),
    [
        ("clickhouse://localhost:8123/footfall", "'clickhouse'"),
        ("sqlite:///x.db", "'sqlite'"),
        ("/var/lib/footfall/events.duckdb", "scheme ''"),
        ("duckdb://relative.duckdb", "absolute path"),
        ("duckdb:///", "no database path"),
    ],
)
def test_other_urls_are_refused(dsn: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_store(dsn)
