"""Event store: the `events` and `sessions` tables behind one interface (DuckDB, ClickHouse)."""

from __future__ import annotations

from footfall.store.base import EventStore, VisitorHistory

__all__ = ["EventStore", "VisitorHistory", "open_store"]

_DUCKDB = "duckdb:///"
_SCHEMES = "duckdb:///…, clickhouse://… or chdb:///…"


def open_store(dsn: str, *, retention: str = "") -> EventStore:
    """The event store named by `dsn`, opened, not migrated: call `migrate()` before writing.

    - `duckdb:///abs/path.duckdb` or `duckdb:///:memory:`: the embedded DuckDB store;
    - `clickhouse://user:password@host:8123/database`: a ClickHouse server (clickhouse-connect);
    - `chdb:///abs/directory`: ClickHouse in-process (chDB; one directory per process).

    `retention` is the `clickhouse_retention` setting (`DAYS[,APP_ID=DAYS…]`, see
    `store.clickhouse.retention`);
    a DuckDB store refuses a non-empty one rather than ignore it.
    """
    scheme = dsn.partition("://")[0] if "://" in dsn else ""
    if scheme in ("clickhouse", "chdb"):
        # Imported here so that `footfall.store` (and base.py) load without the drivers.
        from footfall.store.clickhouse import ClickHouseStore, parse_retention, parse_url

        return ClickHouseStore(parse_url(dsn), parse_retention(retention))
    if scheme != "duckdb":
        raise ValueError(f"unsupported event store scheme {scheme!r} in {dsn!r} (use {_SCHEMES})")
    if retention.strip():
        raise ValueError("clickhouse_retention applies to ClickHouse event stores only")
    if not dsn.startswith(_DUCKDB):
        raise ValueError(f"a DuckDB event store URL is duckdb:///<absolute path>, got {dsn!r}")
    path = dsn[len(_DUCKDB) :]
    if path == ":memory:":
        target = path
    elif path:
        target = "/" + path  # the third slash starts the absolute path
    else:
        raise ValueError(f"no database path in {dsn!r}")
    from footfall.store.duckdb import DuckDBStore

    return DuckDBStore(target)
