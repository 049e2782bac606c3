"""Fixtures of the event-store tests: a migrated store of each backend in tmp_path, row factories.

`store` runs a test once per backend (DuckDB file, chDB directory): tests of the `EventStore`
interface use it. Backend-specific test modules override `store` with their own backend only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
OTHER_WEBSITE = "7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88"
T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC

RowFactory = Callable[..., dict[str, Any]]
#: a store of either backend (both also have `counts()`)
AnyStore = DuckDBStore | ClickHouseStore
BACKENDS = ("duckdb", "chdb")


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """Path of the DuckDB file of one test."""
    return str(tmp_path / "events.duckdb")


@pytest.fixture
def chdb_dir(tmp_path: Path) -> str:
    """Directory of the chDB engine of one test (one directory per process at a time)."""
    return str(tmp_path / "chdb")


def open_backend(backend: str, db_path: str, chdb_dir: str) -> AnyStore:
    """A migrated store of `backend` on the test's file or directory."""
    opened: AnyStore
    if backend == "duckdb":
        opened = DuckDBStore(db_path)
    else:
        opened = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    opened.migrate()
    return opened


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, db_path: str, chdb_dir: str) -> Iterator[AnyStore]:
    """A migrated store of each backend, closed after the test."""
    opened = open_backend(request.param, db_path, chdb_dir)
    yield opened
    opened.close()


def _event(session_id: int = 1, index: int = 0, **values: Any) -> dict[str, Any]:
    """A minimal event row: only the keys a test cares about (the rest take defaults)."""
    row: dict[str, Any] = {
        "website_id": WEBSITE,
        "event_id": session_id * 100 + index,
        "session_id": session_id,
        "timestamp": T0 + index,
        "event_index": index,
    }
    row.update(values)
    return row


def _session(session_id: int = 1, version: int = 1, **values: Any) -> dict[str, Any]:
    """A minimal session row: only the keys a test cares about (the rest take defaults)."""
    row: dict[str, Any] = {
        "website_id": WEBSITE,
        "session_id": session_id,
        "session_version": version,
        "timestamp": T0,
        "last_event_time": T0 + 60,
        "visitor_id": 42,
    }
    row.update(values)
    return row


@pytest.fixture
def event() -> RowFactory:
    """Factory of event rows: event(session_id, index, **columns)."""
    return _event


@pytest.fixture
def session() -> RowFactory:
    """Factory of session rows: session(session_id, version, **columns)."""
    return _session


@pytest.fixture
def website() -> str:
    """The website id the row factories use."""
    return WEBSITE


@pytest.fixture
def other_website() -> str:
    """A second website id, for the tenant filter."""
    return OTHER_WEBSITE
