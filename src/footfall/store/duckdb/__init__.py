"""DuckDB event store (embedded default)."""
