"""open_store: the event store named by FOOTFALL_EVENTS_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.store import open_store
from footfall.store.clickhouse import ClickHouseStore, Target, parse_url
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
        ("sqlite:///x.db", "'sqlite'"),
        ("/var/lib/footfall/events.duckdb", "scheme ''"),
        ("duckdb://relative.duckdb", "absolute path"),
        ("duckdb:///", "no database path"),
        ("chdb://relative/dir", "absolute directory"),
        ("chdb:///", "absolute directory"),
        ("clickhouse:///footfall", "no host"),
        ("clickhouse://host:8123/Bad-Name", "database name"),
    ],
)
def test_other_urls_are_refused(dsn: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_store(dsn)


def test_chdb_directory_url(tmp_path: Path) -> None:
    store = open_store(f"chdb://{tmp_path / 'ch'}")
    assert isinstance(store, ClickHouseStore)
    assert store.target == Target("chdb", "default", path=str(tmp_path / "ch"))
    store.migrate()
    store.write([], [], 4)
    store.close()
    reopened = open_store(f"chdb://{tmp_path / 'ch'}")
    reopened.migrate()
    assert reopened.checkpoint() == 4
    reopened.close()


def test_clickhouse_server_url_is_parsed() -> None:
    target = parse_url("clickhouse://ingest:p%40ss@ch.internal:9000/analytics")
    assert target == Target(
        "http", "analytics", host="ch.internal", port=9000, username="ingest", password="p@ss"
    )
    assert target.label == "clickhouse://ch.internal:9000/analytics"  # no credentials in logs
    assert parse_url("clickhouse://localhost").database == "default"


def test_clickhouse_server_url_connects_over_http(tmp_path: Path) -> None:
    # No ClickHouse server runs here: the HTTP client is built and fails to connect (loopback).
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Exception, match=r"(?i)connect"):
        open_store(f"clickhouse://default@127.0.0.1:{port}/footfall")


def test_duckdb_refuses_a_retention(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ClickHouse event stores only"):
        open_store(f"duckdb://{tmp_path / 'e.duckdb'}", retention="30")
