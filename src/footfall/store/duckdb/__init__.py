"""DuckDB event store (embedded default)."""

from footfall.store.duckdb.store import DuckDBStore

__all__ = ["DuckDBStore"]
