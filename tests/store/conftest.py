"""Fixtures of the event-store tests: a migrated DuckDB file in tmp_path and row factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from footfall.store.duckdb import DuckDBStore

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
OTHER_WEBSITE = "7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88"
T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC

RowFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """Path of the DuckDB file of one test."""
    return str(tmp_path / "events.duckdb")


@pytest.fixture
def store(db_path: str) -> Iterator[DuckDBStore]:
    """A migrated store on a fresh file, closed after the test."""
    opened = DuckDBStore(db_path)
    opened.migrate()
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
