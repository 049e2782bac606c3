"""Event store: the `events` and `sessions` tables behind one interface (DuckDB, ClickHouse)."""

from __future__ import annotations

from footfall.store.base import EventStore, VisitorHistory

__all__ = ["EventStore", "VisitorHistory", "open_store"]

_DUCKDB = "duckdb:///"


def open_store(dsn: str) -> EventStore:
    """The event store named by `dsn`: `duckdb:///abs/path.duckdb` or `duckdb:///:memory:`.

    The store is opened, not migrated: call `migrate()` before the first write.
    """
    scheme = dsn.partition("://")[0] if "://" in dsn else ""
    if scheme != "duckdb":
        raise ValueError(f"unsupported event store scheme {scheme!r} in {dsn!r} (use duckdb:///…)")
    if not dsn.startswith(_DUCKDB):
        raise ValueError(f"a DuckDB event store URL is duckdb:///<absolute path>, got {dsn!r}")
    path = dsn[len(_DUCKDB) :]
    if path == ":memory:":
        target = path
    elif path:
        target = "/" + path  # the third slash starts the absolute path
    else:
        raise ValueError(f"no database path in {dsn!r}")
    # Imported here so that `footfall.store` (and base.py) load without the DuckDB driver.
    from footfall.store.duckdb import DuckDBStore

    return DuckDBStore(target)
