"""Copy a DuckDB event store into a ClickHouse one (`footfall migrate-store`), then verify it.

Rows travel as Arrow batches in the converted read form of both stores (timestamps as float
seconds, UUIDs and times as text), so nothing is re-derived on the way. The spool checkpoint is
copied last: a server started on the new store resumes the spool exactly where the old one was.
Verification reads both stores back in one order and compares row counts and, per column, a
digest of every value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.clickhouse import schema as ch_schema

#: the order both stores are read back in for the checksums (text UUIDs order alike in both)
_KEYS = {"events": ("website_id", "event_id"), "sessions": ("website_id", "session_id")}


@dataclass(frozen=True, slots=True)
class TableCheck:
    """Rows and per-column digests of one table in the source and in the target."""

    source_rows: int
    target_rows: int
    source_digests: dict[str, str] = field(default_factory=dict)
    target_digests: dict[str, str] = field(default_factory=dict)

    @property
    def mismatched(self) -> list[str]:
        """Columns whose digests differ (empty when the copy is exact)."""
        return sorted(c for c, d in self.source_digests.items() if self.target_digests.get(c) != d)

    @property
    def equal(self) -> bool:
        """Same row count and, when verified, same digest for every column."""
        return self.source_rows == self.target_rows and not self.mismatched


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What `copy_store` did: the checkpoint carried over and one check per table."""

    checkpoint: int
    tables: dict[str, TableCheck]

    @property
    def equal(self) -> bool:
        """Whether every table arrived complete."""
        return all(t.equal for t in self.tables.values())


def copy_store(
    source_dsn: str,
    target_dsn: str,
    *,
    batch_rows: int = 100_000,
    verify: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row and the checkpoint of a DuckDB store into an empty ClickHouse store."""
    if not source_dsn.startswith("duckdb:///"):
        raise ValueError(f"--from must be a DuckDB store (duckdb:///path), got {source_dsn!r}")
    if not target_dsn.startswith(("clickhouse://", "chdb://")):
        raise ValueError(
            f"--to must be a ClickHouse store (clickhouse:// or chdb://), got {target_dsn!r}"
        )
    import duckdb

    source = duckdb.connect("/" + source_dsn[len("duckdb:///") :], read_only=True)
    target = ClickHouseStore(parse_url(target_dsn))
    try:
        target.migrate()
        if target.checkpoint() or any(target.counts().values()):
            raise ValueError(f"the target store {target.target.label} is not empty")
        [(checkpoint,)] = source.execute(
            "SELECT coalesce(max(value), 0) FROM ingest_state WHERE key = 'checkpoint'"
        ).fetchall()
        for table in ch_schema.TABLES:
            copied = 0
            for batch in _duckdb_batches(source, table, batch_rows, ordered=False):
                if table == "events":
                    target.write_arrow(batch, None, 0)
                else:
                    target.write_arrow(None, batch, 0)
                copied += batch.num_rows
                if progress is not None:
                    progress(table, copied)
        target.write_arrow(None, None, int(checkpoint))
        checks = {
            table: _check(source, target, table, batch_rows, verify) for table in ch_schema.TABLES
        }
        return CopyReport(int(checkpoint), checks)
    finally:
        target.close()
        source.close()


def _duckdb_select(table: str) -> str:
    """The DuckDB read form of every model column (what `ch_schema.arrow_schema` expects)."""
    from footfall.store.duckdb import schema as duck_schema

    return f"SELECT {duck_schema.select_list(table)} FROM {table}"


def _duckdb_batches(
    source: Any, table: str, batch_rows: int, *, ordered: bool
) -> Iterator[pa.Table]:
    """The rows of a DuckDB table as Arrow tables of `ch_schema.arrow_schema(table)`."""
    sql = _duckdb_select(table)
    if ordered:
        first, second = _KEYS[table]
        sql += f" ORDER BY CAST({first} AS VARCHAR), {second}"
    relation = source.sql(sql)
    # a streamed reader (no full copy of the table); DuckDB 2 renamed fetch_arrow_reader
    read = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
    for batch in read(batch_rows):
        yield pa.Table.from_batches([batch]).cast(ch_schema.arrow_schema(table))


def _check(
    source: Any, target: ClickHouseStore, table: str, batch_rows: int, verify: bool
) -> TableCheck:
    """Row counts of both sides, and the per-column digests when `verify`."""
    counted = target.counts()
    target_rows = counted["events" if table == "events" else "sessions"]
    [(source_rows,)] = source.execute(f"SELECT count(*) FROM {table}").fetchall()
    if not verify:
        return TableCheck(int(source_rows), target_rows)
    return TableCheck(
        int(source_rows),
        target_rows,
        column_digests(_duckdb_batches(source, table, batch_rows, ordered=True)),
        column_digests(target.scan(table, _KEYS[table], batch_rows)),
    )


def column_digests(batches: Iterator[pa.Table]) -> dict[str, str]:
    """A BLAKE2 digest per column over every value in row order (None, floats, lists included)."""
    digests: dict[str, hashlib.blake2b] = {}
    for batch in batches:
        for name in batch.column_names:
            digest = digests.setdefault(name, hashlib.blake2b(digest_size=16))
            values = batch.column(name).to_pylist()
            # a separator after every value: batch boundaries do not change the digest
            digest.update("".join(f"{v!r}\x1f" for v in values).encode())
    return {name: d.hexdigest() for name, d in digests.items()}
