"""ClickHouseStore: the scale-out event store (ARCHITECTURE "event store"), on a server or chDB.

ClickHouse has no transaction spanning two tables and a checkpoint, so one `write` is made one
logical step another way. Every write gets the next write id; its rows carry it (column
`write_id`), and its last act is the `ingest_state` row (checkpoint, write id): the commit. A crash
before that row leaves rows whose write id is above the committed one; `migrate()` (run on every
start, before the pipeline restores sessions and replays the spool) deletes them, and a write that
fails in this process deletes its own at once. Event ids come from the spool position, so the
replay then writes the very same rows once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from footfall.model.columns import ORDER
from footfall.store.base import VisitorHistory, latest_versions
from footfall.store.clickhouse import migrator, schema
from footfall.store.clickhouse.clients import Target, connect
from footfall.store.clickhouse.retention import Retention

_COMMITTED = (
    "SELECT argMax(value, write_id), max(write_id) FROM ingest_state WHERE key = 'checkpoint'"
)
_COMMIT = "INSERT INTO ingest_state VALUES ('checkpoint', {checkpoint:UInt64}, {write:UInt64})"
_SELECT_KINDS = ("SELECT", "WITH", "(")
_ERROR_CODE = re.compile(r"Code: (\d+)\.")
#: ClickHouse error codes that mean a bound value was bad: ARGUMENT_OUT_OF_BOUND,
#: CANNOT_CONVERT_TYPE, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, CANNOT_COMPILE_REGEXP
_INPUT_ERRORS = frozenset({69, 70, 321, 427})
_EXECUTE_ONLY = "execute() runs exactly one read-only SELECT statement"

# One query for a batch of visitors (a lookup per new visitor capped the pipeline, see the DuckDB
# store). FINAL before the filter: a later session version may carry another visitor_id (a uid
# seen mid-session), and only the newest version counts.
_VISITOR_HISTORIES = f"""
WITH
keys AS (
    SELECT tupleElement(k, 1) AS visitor_id,
           fromUnixTimestamp64Micro(tupleElement(k, 2), 'UTC') AS before
    FROM (SELECT arrayJoin(arrayZip({{visitors:Array(UInt64)}}, {{befores:Array(Int64)}})) AS k)
),
earlier AS (
    SELECT s.visitor_id AS visitor_id, s.session_id AS session_id, s.`timestamp` AS started,
           k.before AS before
    FROM (SELECT visitor_id, session_id, `timestamp` FROM sessions FINAL
          WHERE website_id = {{website:UUID}}) AS s
    INNER JOIN keys AS k ON s.visitor_id = k.visitor_id
    WHERE s.`timestamp` < k.before
),
orders AS (
    SELECT r.visitor_id AS visitor_id, max(e.`timestamp`) AS last_order
    FROM events AS e INNER JOIN earlier AS r ON e.session_id = r.session_id
    WHERE e.website_id = {{website:UUID}} AND e.event_type = {ORDER} AND e.`timestamp` < r.before
    GROUP BY r.visitor_id
)
SELECT r.visitor_id, count(), toUnixTimestamp64Micro(min(r.started)),
       toUnixTimestamp64Micro(max(r.started)), toUnixTimestamp64Micro(any(o.last_order))
FROM earlier AS r LEFT JOIN orders AS o ON r.visitor_id = o.visitor_id
GROUP BY r.visitor_id
SETTINGS join_use_nulls = 1
"""


def _micros(unix_seconds: float) -> int:
    """Unix seconds as integer microseconds (the bound form of a DateTime64(6))."""
    return round(unix_seconds * 1_000_000)


def _seconds(micros: int | None) -> float | None:
    """Integer microseconds back to unix seconds."""
    return None if micros is None else micros / 1_000_000


class ClickHouseStore:
    """EventStore on ClickHouse: a server (clickhouse-connect over HTTP) or chDB in-process."""

    #: the query compiler's dialect for this store's SQL (`query.dialects.by_name`)
    dialect = "clickhouse"

    def __init__(self, target: Target, retention: Retention | None = None) -> None:
        self.target = target
        self.retention = retention or Retention()
        self._writer = connect(target)
        try:
            self._reader = connect(target, readonly=True)
        except BaseException:
            self._writer.close()
            raise
        self._write_lock = threading.Lock()  # one write (and its write id) at a time
        self._write_id = 0  # the committed write id, read by migrate()
        self._closed = False

    def migrate(self) -> None:
        """Create or upgrade the schema, apply the retention TTL, drop uncommitted rows."""
        with self._write_lock:
            self._check_open()
            migrator.migrate(self._writer)
            migrator.apply_retention(self._writer, self.retention)
            _, committed = self._committed()
            self._discard_above(committed)
            self._write_id = committed

    def write(
        self, events: Sequence[dict[str, Any]], sessions: Sequence[dict[str, Any]], checkpoint: int
    ) -> None:
        """Append events, upsert sessions and set the checkpoint as one logical step."""
        self.write_arrow(
            schema.to_arrow("events", events) if events else None,
            schema.to_arrow("sessions", latest_versions(sessions)) if sessions else None,
            checkpoint,
        )

    def write_arrow(
        self, events: pa.Table | None, sessions: pa.Table | None, checkpoint: int
    ) -> None:
        """`write` for batches already in `schema.arrow_schema` form (bulk copies).

        Sessions must hold one row per key; every batch is validated before anything is sent.
        """
        if checkpoint < 0:
            raise ValueError(f"checkpoint must be a spool seq (>= 0), got {checkpoint}")
        with self._write_lock:
            self._check_open()
            write_id = self._write_id + 1
            batches = {
                table: schema.prepare(table, batch, write_id)
                for table, batch in (("events", events), ("sessions", sessions))
                if batch is not None and batch.num_rows
            }
            try:
                for table, batch in batches.items():
                    self._writer.insert_arrow(table, batch)
                self._writer.command(
                    _COMMIT, parameters={"checkpoint": checkpoint, "write": write_id}
                )
            except BaseException:
                self._discard_above(self._write_id)
                raise
            self._write_id = write_id

    def checkpoint(self) -> int:
        """The last spool seq whose rows are committed (0 for an empty store)."""
        checkpoint, _ = self._committed()
        return checkpoint

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read-only SELECT; params[i] binds to the placeholder `{p<i>:Type}`."""
        self._check_open()
        self._check_single_select(sql)
        bound = {f"p{i}": value for i, value in enumerate(params)} or None
        try:
            return [tuple(row) for row in self._reader.query(sql, parameters=bound).result_rows]
        except Exception as error:
            code = _ERROR_CODE.search(str(error))
            if code is None or int(code.group(1)) not in _INPUT_ERRORS:
                raise
            # a value the engine refuses (a regex RE2 rejects, an out-of-range number) is the
            # caller's bad input, not a store failure: the query layer answers 400
            raise ValueError(str(error).splitlines()[0][code.start() :][:300]) from None

    def recent_sessions(self, since: float) -> list[dict[str, Any]]:
        """Session rows whose last_event_time >= since (unix s), oldest activity first."""
        return self._dicts(
            f"SELECT {schema.select_list('sessions', 's')} FROM sessions AS s FINAL"
            " WHERE s.last_event_time >= fromUnixTimestamp64Micro({since:Int64}, 'UTC')"
            " ORDER BY s.last_event_time, s.website_id, s.session_id",
            {"since": _micros(since)},
        )

    def session_events(self, website_id: str, session_id: int) -> list[dict[str, Any]]:
        """All event rows of one session ordered by event_index."""
        return self._dicts(
            f"SELECT {schema.select_list('events', 'e')} FROM events AS e"
            " WHERE e.website_id = {website:UUID} AND e.session_id = {session:UInt64}"
            " ORDER BY e.event_index, e.event_id",
            {"website": website_id, "session": session_id},
        )

    def visitor_history(
        self, website_id: str, visitor_id: int, before: float
    ) -> VisitorHistory | None:
        """Aggregate of the visitor's sessions starting before `before`; None when never seen."""
        return self.visitor_histories(website_id, [(visitor_id, before)]).get(visitor_id)

    def visitor_histories(
        self, website_id: str, keys: Sequence[tuple[int, float]]
    ) -> dict[int, VisitorHistory]:
        """visitor_history for many (visitor_id, before) pairs of one website in one query."""
        if not keys:
            return {}
        self._check_open()
        params = {
            "website": website_id,
            "visitors": [k[0] for k in keys],
            "befores": [_micros(k[1]) for k in keys],
        }
        rows = self._reader.query(_VISITOR_HISTORIES, parameters=params).result_rows
        return {
            int(v): VisitorHistory(int(n), _seconds(first), _seconds(last), _seconds(order))
            for v, n, first, last, order in rows
        }

    def counts(self, website_id: str | None = None) -> dict[str, int]:
        """Row counts for tests and `footfall migrate-store`: events, sessions, visitors, bounces."""
        where = "WHERE website_id = {website:UUID}" if website_id is not None else ""
        sql = (
            f"SELECT (SELECT count() FROM events {where}),"
            f" (SELECT count() FROM sessions FINAL {where}),"
            f" (SELECT uniqExact(website_id, visitor_id) FROM sessions FINAL {where}),"
            f" (SELECT sum(is_bounce) FROM sessions FINAL {where})"
        )
        self._check_open()
        params = {"website": website_id} if website_id is not None else None
        [row] = self._reader.query(sql, parameters=params).result_rows
        return dict(zip(("events", "sessions", "visitors", "bounces"), map(int, row), strict=True))

    def scan(self, table: str, order: Sequence[str], batch_rows: int) -> Iterator[pa.Table]:
        """Every row of `table` (FINAL: newest session versions) in `schema.arrow_schema` form,
        ordered by `order` (UUIDs compared as text), in batches of about `batch_rows`."""
        self._check_open()
        final = " FINAL" if table == "sessions" else ""
        keys = ", ".join(
            f"toString(t.{schema.quote(k)})" if k == "website_id" else f"t.{schema.quote(k)}"
            for k in order
        )
        sql = (
            f"SELECT {schema.select_list(table, 't')} FROM {table} AS t{final} ORDER BY {keys}"
            f" SETTINGS max_block_size = {int(batch_rows)}"
        )
        wanted = schema.arrow_schema(table)
        with self._reader.query_arrow_stream(sql) as stream:
            for block in stream:
                if isinstance(block, pa.RecordBatch):
                    block = pa.Table.from_batches([block])
                yield block.cast(wanted)

    def close(self) -> None:
        """Close both connections (idempotent); chDB releases its directory with the last one."""
        with self._write_lock:
            if not self._closed:
                self._closed = True
                self._reader.close()
                self._writer.close()

    # --- internals -----------------------------------------------------------------------

    def _committed(self) -> tuple[int, int]:
        """(checkpoint, write id) of the last committed write; (0, 0) for an empty store."""
        self._check_open()
        [(checkpoint, write_id)] = self._reader.query(_COMMITTED).result_rows
        return int(checkpoint), int(write_id)

    def _discard_above(self, committed: int) -> None:
        """Delete the rows of writes newer than `committed` (crashed or failed ones).

        The minmax index on write_id makes the count a metadata lookup when nothing is there.
        """
        for table in schema.TABLES:
            [(stray,)] = self._writer.query(
                f"SELECT count() FROM {table} WHERE write_id > {{w:UInt64}}",
                parameters={"w": committed},
            ).result_rows
            if stray:
                self._writer.command(
                    f"DELETE FROM {table} WHERE write_id > {{w:UInt64}}",
                    parameters={"w": committed},
                )

    def _check_single_select(self, sql: str) -> None:
        """Refuse anything but one SELECT before it runs (chDB would run several statements)."""
        try:
            [(formatted,)] = self._reader.query(
                "SELECT formatQuerySingleLine({q:String})", parameters={"q": sql}
            ).result_rows
        except Exception as error:  # the parser's verdict: several statements, or no SQL
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ValueError(f"{_EXECUTE_ONLY}: {reason}") from None
        if not str(formatted).upper().startswith(_SELECT_KINDS):
            raise ValueError(_EXECUTE_ONLY)

    def _dicts(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of an internal query as dicts keyed by column name."""
        self._check_open()
        rows: list[dict[str, Any]] = self._reader.query_arrow(sql, parameters=params).to_pylist()
        return rows

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the event store is closed")
