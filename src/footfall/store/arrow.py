"""The Arrow form rows of the event store are gathered in before either backend writes them.

Both stores take the model's columns (`model.columns`, typed with DuckDB type names) the same way:
timestamps as float unix seconds, UUIDs and TIMEs as text that each engine's insert converts."""

from __future__ import annotations

import pyarrow as pa

from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS, Column

__all__ = ["TABLES", "arrow_schema"]

#: table name → its columns, in storage order
TABLES: dict[str, tuple[Column, ...]] = {"events": EVENT_COLUMNS, "sessions": SESSION_COLUMNS}

_ARROW: dict[str, pa.DataType] = {
    "UTINYINT": pa.uint8(),
    "USMALLINT": pa.uint16(),
    "UINTEGER": pa.uint32(),
    "UBIGINT": pa.uint64(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "UUID": pa.string(),
    "TIME": pa.string(),
    "TIMESTAMP": pa.float64(),
    "INTEGER[]": pa.list_(pa.int32()),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema a batch of rows of `table` is built with."""
    return pa.schema([pa.field(c.name, _ARROW[c.type]) for c in TABLES[table]])
