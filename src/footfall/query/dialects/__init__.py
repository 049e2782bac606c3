"""SQL dialects of the query compiler: one table of operations per engine."""

from __future__ import annotations

from footfall.query.dialects.base import Dialect
from footfall.query.dialects.clickhouse import ClickHouseDialect
from footfall.query.dialects.duckdb import DuckDBDialect

__all__ = ["ClickHouseDialect", "Dialect", "DuckDBDialect", "by_name"]

_DIALECTS: dict[str, type[Dialect]] = {d.name: d for d in (DuckDBDialect, ClickHouseDialect)}


def by_name(name: str) -> Dialect:
    """The dialect of a store (`EventStore.dialect`): "duckdb" or "clickhouse"."""
    try:
        return _DIALECTS[name]()
    except KeyError:
        raise ValueError(f"no query dialect {name!r} (known: {sorted(_DIALECTS)})") from None
