"""Event store: the `events` and `sessions` tables behind one interface (DuckDB, ClickHouse)."""
