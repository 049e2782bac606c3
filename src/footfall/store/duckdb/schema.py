"""DuckDB DDL and column expressions generated from `model.columns` (DATA-MODEL §0, §1).

`model.columns` is the one description of the stored columns; everything DuckDB needs (CREATE
TABLE, the casts that turn an Arrow batch into table rows, the conversions back to plain Python
values) is derived here, so a column is declared once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import pyarrow as pa

from footfall.model.columns import Column
from footfall.store.arrow import TABLES as TABLES
from footfall.store.arrow import arrow_schema as arrow_schema

#: the checkpoint table: one row per key ('checkpoint' = last spool seq committed)
INGEST_STATE_DDL = (
    "CREATE TABLE IF NOT EXISTS ingest_state (key VARCHAR PRIMARY KEY, value UBIGINT NOT NULL)"
)


def quote(name: str) -> str:
    """A double-quoted SQL identifier (`timestamp` is a DuckDB keyword)."""
    return '"' + name.replace('"', '""') + '"'


def literal(column: Column) -> str:
    """The SQL literal of a column's default value."""
    value = column.default
    if column.type == "TIMESTAMP":
        stamp = datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return f"TIMESTAMP '{stamp}'"
    if column.type == "INTEGER[]":
        return "[" + ", ".join(str(int(v)) for v in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def has_default(column: Column) -> bool:
    """Whether a missing value of this column can take its default.

    The UUID default of `model.columns` is '' which is no UUID: DuckDB would reject it at insert
    time, so `website_id` has no DEFAULT clause and a row without it fails (it is the tenant key).
    """
    return not column.nullable and not (column.type == "UUID" and column.default == "")


def column_ddl(column: Column) -> str:
    """One column definition: name, type, NOT NULL DEFAULT for non-nullable columns."""
    sql = f"{quote(column.name)} {column.type}"
    if column.nullable:
        return sql
    sql += " NOT NULL"
    return sql + f" DEFAULT {literal(column)}" if has_default(column) else sql


def table_ddl(table: str) -> str:
    """CREATE TABLE IF NOT EXISTS for `events` or `sessions`, exactly as `model.columns` says.

    No primary key on either table: a PK on `events` costs too much at 10M rows (idempotence comes
    from the checkpoint), and `sessions` upserts are delete-then-insert (see `store.py`).
    """
    body = ",\n  ".join(column_ddl(c) for c in TABLES[table])
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}\n)"


def insert_expr(column: Column) -> str:
    """SELECT expression turning the Arrow column into the stored value (default when null)."""
    name = quote(column.name)
    if column.type == "TIMESTAMP":
        # Float seconds → integer microseconds → TIMESTAMP. `to_timestamp` would give TIMESTAMPTZ,
        # whose cast to TIMESTAMP depends on the session's TimeZone setting; this does not.
        expr = f"make_timestamp(CAST(round({name} * 1000000) AS BIGINT))"
    else:
        expr = f"CAST({name} AS {column.type})"
    if has_default(column):
        # A missing key and an explicit None in a NOT NULL column both take the default.
        expr = f"COALESCE({expr}, CAST({literal(column)} AS {column.type}))"
    return expr


def insert_sql(table: str, source: str) -> str:
    """INSERT INTO `table` SELECT <casts> FROM `source` (a registered Arrow table)."""
    columns = TABLES[table]
    names = ", ".join(quote(c.name) for c in columns)
    exprs = ", ".join(insert_expr(c) for c in columns)
    return f"INSERT INTO {table} ({names}) SELECT {exprs} FROM {source}"


def select_expr(column: Column, alias: str = "") -> str:
    """SELECT expression reading a stored column back as a plain Python value."""
    ref = (alias + "." if alias else "") + quote(column.name)
    if column.type == "TIMESTAMP":
        expr = f"epoch_us({ref}) / 1000000.0"
    elif column.type in ("TIME", "UUID"):
        # TIME → 'HH:MM:SS', UUID → canonical lowercase text (the driver would give uuid.UUID).
        expr = f"CAST({ref} AS VARCHAR)"
    else:
        return ref
    return f"{expr} AS {quote(column.name)}"


def select_list(table: str, alias: str = "") -> str:
    """The SELECT list of all columns of `table`, converted by `select_expr`."""
    return ", ".join(select_expr(c, alias) for c in TABLES[table])


def expected_columns(table: str) -> list[tuple[str, str, bool]]:
    """(name, DuckDB type, nullable) of every column of `table`, in order (drift checks)."""
    return [(c.name, c.type, c.nullable) for c in TABLES[table]]


#: rows converted per call into Arrow: a conversion holds the interpreter lock throughout
#: (3 µs per event row, 6 µs per session row), so a 50k-row batch in one call stalled the
#: collector's event loop for 0.2-0.4 s; chunks of 2,048 bound each stall to ~8-16 ms
ARROW_CHUNK_ROWS = 2048

#: value types whose `==` implies the same Arrow value in their column (not float: -0.0 == 0.0)
_CONSTANT_TYPES = (type(None), str, int, list)


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Column lists of `rows` (missing keys → null) as an Arrow table of `arrow_schema(table)`.

    Explicit types make an out-of-range value (a negative UBIGINT) fail here, before the
    transaction starts.
    """
    schema = arrow_schema(table)
    struct_type = pa.struct(list(schema))
    row_values = _row_getter(table)
    chunks = []
    for i in range(0, len(rows), ARROW_CHUNK_ROWS):
        chunk = rows[i : i + ARROW_CHUNK_ROWS]
        try:
            columns = list(zip(*map(row_values, chunk), strict=True))
        except KeyError:  # a row without some column: the struct conversion gives it null
            struct = pa.array(chunk, type=struct_type)
            chunks.append(pa.RecordBatch.from_struct_array(struct))
            continue
        arrays = [_column(values, f.type) for values, f in zip(columns, schema, strict=True)]
        chunks.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    return pa.Table.from_batches(chunks, schema=schema)


def _column(values: tuple[Any, ...], type_: pa.DataType) -> pa.Array:
    """One column's values as an Arrow array; a column of one repeated value without converting
    each (most of a batch's columns: a page view sets ~8 of the 73 event columns)."""
    first = values[0]
    if type(first) in _CONSTANT_TYPES and values.count(first) == len(values):
        return pa.repeat(pa.scalar(first, type=type_), len(values))
    return pa.array(values, type=type_)


@functools.cache
def _row_getter(table: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values in column order (one C-level call; KeyError when a column is missing)."""
    return itemgetter(*(c.name for c in TABLES[table]))
