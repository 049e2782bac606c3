"""ClickHouse DDL, Arrow batches and read-back expressions, generated from `model.columns`.

`model.columns` declares each stored column once, with a DuckDB type; this module maps it to its
ClickHouse type (seed 001 Table 2 "Database Type": uint8 → UInt8, string → String, ...), chooses the
table engines and keys (DATA-MODEL §0), and builds the Arrow batches the store inserts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from footfall.model.columns import Column
from footfall.store.arrow import TABLES as TABLES
from footfall.store.arrow import arrow_schema as arrow_schema

#: ClickHouse-only column on both tables: the id of the `write` that stored the row. The write's
#: commit is its `ingest_state` row; rows of a write that never committed are deleted on `migrate`
#: (see `store.py`), so a replay after a crash never doubles them.
WRITE_ID = "write_id"

_TYPES: dict[str, str] = {
    "UTINYINT": "UInt8",
    "USMALLINT": "UInt16",
    "UINTEGER": "UInt32",
    "UBIGINT": "UInt64",
    "INTEGER": "Int32",
    "DOUBLE": "Float64",
    "VARCHAR": "String",
    "UUID": "UUID",
    # why: `Time` is GA since ClickHouse 25.12 (the minimum version, docs/deploy.md); it keeps
    # local_hour a plain toHour() for the dialect
    "TIME": "Time",
    "TIMESTAMP": "DateTime64(6, 'UTC')",
    "INTEGER[]": "Array(Int32)",
}

# Strings with few distinct values: the [str,str] enums of seed 001 Table 2 (string(2)/string(3)
# ids: OS, browser, language, brand, continent, DMA) and the other open but small vocabularies.
# why not FixedString(n): it pads with zero bytes, and device brands are up to 3 characters where
# the seed says string(2) (DATA-MODEL §2).
LOW_CARDINALITY = frozenset(
    {
        "operating_system",
        "operating_system_version",
        "browser_engine",
        "browser_name",
        "browser_version",
        "browser_language_iso639",
        "device_brand",
        "device_model",
        "resolution",
        "location_continent_iso_code",
        "location_country_name",
        "location_subdivision_1_name",
        "location_subdivision_2_name",
        "location_city_name",
        "location_metro_code",
        "location_provider",
        "location_organization",
        "source",
        "medium",
        "source_medium",
        "tracking_source",
        "search_category",
        "custom_event_category",
        "custom_event_action",
        "content_interaction",
    }
)

#: engine and keys of each table (why: see docs/deploy.md "Schema")
_ENGINES: dict[str, str] = {
    # Append-only; per-app time-range scans read (website_id, day) ranges of one month's parts,
    # and session_id next keeps a session's events together for the window functions of §0.
    "events": (
        "ENGINE = MergeTree PARTITION BY toYYYYMM(timestamp)"
        " ORDER BY (website_id, toDate(timestamp), session_id, event_id)"
    ),
    # One row per version; merges keep the highest session_version of each (website_id,
    # session_id) (`timestamp` is the session start and never changes between versions, so the
    # day in the key and the partition are the same for every version). Reads use FINAL.
    "sessions": (
        "ENGINE = ReplacingMergeTree(session_version) PARTITION BY toYYYYMM(timestamp)"
        " ORDER BY (website_id, toDate(timestamp), session_id)"
    ),
}
_INDEXES: dict[str, tuple[str, ...]] = {
    "events": (f"INDEX write_id_range {WRITE_ID} TYPE minmax GRANULARITY 1",),
    "sessions": (
        f"INDEX write_id_range {WRITE_ID} TYPE minmax GRANULARITY 1",
        "INDEX last_event_range last_event_time TYPE minmax GRANULARITY 1",
        "INDEX visitor_bloom visitor_id TYPE bloom_filter(0.01) GRANULARITY 4",
    ),
}

#: the commit log of writes: the newest row (highest write_id) holds the checkpoint
INGEST_STATE_DDL = (
    "CREATE TABLE IF NOT EXISTS ingest_state"
    " (key String, value UInt64, write_id UInt64)"
    " ENGINE = ReplacingMergeTree(write_id) ORDER BY key"
)

_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$"


def quote(name: str) -> str:
    """A backquoted identifier (`timestamp` is also a type name)."""
    return "`" + name.replace("`", "``") + "`"


def column_type(column: Column) -> str:
    """The ClickHouse type of a column, nullability and low cardinality included."""
    base = _TYPES[column.type]
    if column.nullable:
        base = f"Nullable({base})"
    if column.name in LOW_CARDINALITY:
        base = f"LowCardinality({base})"
    return base


def literal(column: Column) -> str:
    """The SQL literal of a column's default (a missing value or NULL in a non-nullable column)."""
    value = column.default
    if column.type == "TIMESTAMP":
        return f"toDateTime64({float(value)!r}, 6, 'UTC')"
    if column.type == "INTEGER[]":
        return "[" + ", ".join(str(int(v)) for v in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(value)


def column_ddl(column: Column) -> str:
    """One column definition; non-nullable columns carry the declared DEFAULT.

    `website_id` has none: '' is no UUID, and a row without its tenant is refused before the
    insert (`to_arrow`), not stored under the zero UUID.
    """
    sql = f"{quote(column.name)} {column_type(column)}"
    if column.nullable or column.type == "UUID":
        return sql
    return f"{sql} DEFAULT {literal(column)}"


def table_ddl(table: str) -> str:
    """CREATE TABLE IF NOT EXISTS for `events` or `sessions` (plus the write id and indexes)."""
    parts = [column_ddl(c) for c in TABLES[table]]
    parts.append(f"{WRITE_ID} UInt64")
    parts.extend(_INDEXES[table])
    body = ",\n  ".join(parts)
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}\n) {_ENGINES[table]}"


def expected_columns(table: str) -> list[tuple[str, str]]:
    """(name, ClickHouse type) as `system.columns` shows them, in order (drift checks)."""
    return [(c.name, column_type(c)) for c in TABLES[table]] + [(WRITE_ID, "UInt64")]


def to_arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows (missing keys → null → the column DEFAULT) as the Arrow batch `prepare` takes."""
    struct = pa.array(list(rows), type=pa.struct(list(arrow_schema(table))))
    return pa.Table.from_struct_array(struct)


def prepare(table: str, batch: pa.Table, write_id: int) -> pa.Table:
    """Validate a batch of `arrow_schema(table)` and convert it to the insert form.

    ClickHouse turns a malformed UUID or an out-of-range time into a value instead of refusing
    it, so both are checked here, before anything is written. Float-second timestamps become
    microsecond Arrow timestamps (what DateTime64(6) reads natively).
    """
    for column in TABLES[table]:
        values = batch.column(column.name)
        if column.type == "UUID":
            if values.null_count or not pc.all(pc.match_substring_regex(values, _UUID)).as_py():
                raise ValueError(f"{table}.{column.name}: every row needs a UUID")
        elif column.type == "TIME":
            valid = pc.match_substring_regex(values, _TIME)
            if not pc.all(pc.or_kleene(valid, pc.is_null(values))).as_py():
                raise ValueError(f"{table}.{column.name}: not a time of day (HH:MM:SS)")
        elif column.type == "TIMESTAMP":
            micros = pc.cast(pc.round(pc.multiply(values, 1_000_000)), pa.int64())
            index = batch.schema.get_field_index(column.name)
            batch = batch.set_column(
                index, column.name, pc.cast(micros, pa.timestamp("us", tz="UTC"))
            )
    ids = pa.array([write_id] * batch.num_rows, pa.uint64())
    return batch.append_column(WRITE_ID, ids)


def select_expr(column: Column, alias: str) -> str:
    """SELECT expression reading a stored column back as DuckDBStore returns it.

    why the table alias: ClickHouse resolves a bare name to a SELECT alias before a column, so
    `toString(website_id) AS website_id` would turn `WHERE website_id = …` into a String compare;
    internal queries qualify every column reference with the alias.
    """
    ref = f"{alias}.{quote(column.name)}"
    if column.type == "TIMESTAMP":
        return f"toUnixTimestamp64Micro({ref}) / 1000000.0 AS {quote(column.name)}"
    if column.type in ("TIME", "UUID"):
        return f"toString({ref}) AS {quote(column.name)}"
    return f"{ref} AS {quote(column.name)}"


def select_list(table: str, alias: str) -> str:
    """The SELECT list of all model columns of `table` (as `alias`), converted by `select_expr`."""
    return ", ".join(select_expr(c, alias) for c in TABLES[table])


_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def identifier(name: str) -> str:
    """A database name from a URL, refused unless it is a plain identifier."""
    if not _NAME.match(name):
        raise ValueError(f"database name {name!r}: use lowercase letters, digits and _")
    return name
