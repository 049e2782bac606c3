"""DuckDBStore: the embedded event store, one DuckDB file (ARCHITECTURE "event store").

Writes are Arrow batches, one transaction per `write` holding the rows and the spool checkpoint,
so a replay after a crash never duplicates rows. Reads run on a cursor of their own: DuckDB
connections are not thread-safe, cursors (duplicate connections to one database) are.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from footfall.model.columns import ORDER
from footfall.store.base import VisitorHistory, latest_versions
from footfall.store.duckdb import migrator, schema

_SELECT_ONLY = frozenset({duckdb.StatementType.SELECT})
_INPUT_ERRORS = (
    duckdb.InvalidInputException,
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
)

# Sessions: no primary key; delete the stored versions a batch supersedes, then insert the batch
# rows no stored row outranks. Against 1M stored sessions, 10k-row batches half updates
# (bench/store_write.py): 60k rows/s (51k when updates hit old sessions), versus 30k (15k) for a
# PRIMARY KEY with INSERT ... ON CONFLICT DO UPDATE or INSERT OR REPLACE, which rewrite every
# column of a conflicting row and maintain an ART index; the file is also ~40% smaller.
_DELETE_SUPERSEDED = """
DELETE FROM sessions USING (
    SELECT CAST(website_id AS UUID) AS website_id, session_id, session_version FROM batch_sessions
) AS batch
WHERE sessions.website_id = batch.website_id AND sessions.session_id = batch.session_id
  AND sessions.session_version <= batch.session_version
"""
# ... and rows still stored under a batch key have a higher version: those batch rows lose.
_INSERT_SESSIONS = schema.insert_sql("sessions", "batch_sessions") + (
    " WHERE NOT EXISTS (SELECT 1 FROM sessions AS s"
    " WHERE s.website_id = CAST(batch_sessions.website_id AS UUID)"
    " AND s.session_id = batch_sessions.session_id)"
)
_SET_CHECKPOINT = (
    "INSERT INTO ingest_state VALUES ('checkpoint', ?) "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
)
_VISITOR_HISTORY = f"""
WITH earlier AS (
    SELECT session_id, "timestamp" FROM sessions
    WHERE website_id = CAST($website AS UUID) AND visitor_id = $visitor
      AND "timestamp" < make_timestamp(CAST($before AS BIGINT))
)
SELECT
    (SELECT count(*) FROM earlier),
    (SELECT epoch_us(min("timestamp")) FROM earlier),
    (SELECT epoch_us(max("timestamp")) FROM earlier),
    (SELECT epoch_us(max(e."timestamp")) FROM events AS e
     WHERE e.website_id = CAST($website AS UUID) AND e.event_type = {ORDER}
       AND e."timestamp" < make_timestamp(CAST($before AS BIGINT))
       AND e.session_id IN (SELECT session_id FROM earlier))
"""


# why: one query for a whole batch of visitors; a lookup per new visitor costs ~1-2 ms, which
# capped the pipeline at a few hundred new visitors per second
_VISITOR_HISTORIES = f"""
WITH keys AS (
    SELECT unnest($visitors) AS visitor_id, make_timestamp(unnest($befores)) AS before
),
earlier AS (
    SELECT s.visitor_id, s.session_id, s."timestamp" FROM sessions AS s
    JOIN keys AS k ON s.visitor_id = k.visitor_id AND s."timestamp" < k.before
    WHERE s.website_id = CAST($website AS UUID)
),
orders AS (
    SELECT r.visitor_id, max(e."timestamp") AS last_order FROM events AS e
    JOIN earlier AS r ON e.session_id = r.session_id
    WHERE e.website_id = CAST($website AS UUID) AND e.event_type = {ORDER}
    GROUP BY r.visitor_id
)
SELECT r.visitor_id, count(*), epoch_us(min(r."timestamp")), epoch_us(max(r."timestamp")),
       epoch_us(any_value(o.last_order))
FROM earlier AS r LEFT JOIN orders AS o USING (visitor_id)
GROUP BY r.visitor_id
"""


def _micros(unix_seconds: float) -> int:
    """Unix seconds as integer microseconds (the bound form of a TIMESTAMP)."""
    return round(unix_seconds * 1_000_000)


def _seconds(micros: int | None) -> float | None:
    """Integer microseconds back to unix seconds."""
    return None if micros is None else micros / 1_000_000


class DuckDBStore:
    """EventStore on one DuckDB database file (or `:memory:`)."""

    #: the query compiler's dialect for this store's SQL (`query.dialects.by_name`)
    dialect = "duckdb"

    def __init__(self, path: str) -> None:
        self.path = path
        self._con = duckdb.connect(path)
        # Every commit goes to the WAL; at checkpoint_threshold DuckDB folds it into the file, which
        # stalls that commit. The 16MB default checkpoints after about each 50k-event batch; 256MB
        # took event writes from ~95k to ~130k rows/s (bench/store_write.py, final checkpoint
        # included) for a WAL replay of a second or two after a crash.
        self._con.execute("SET checkpoint_threshold = '256MB'")
        self._cursor_lock = threading.Lock()  # guards cursor creation on the shared connection
        self._write_lock = threading.Lock()  # one writer transaction at a time
        self._writer = self._con.cursor()
        self._closed = False

    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent)."""
        with self._write_lock:
            migrator.migrate(self._writer)

    def write(
        self, events: Sequence[dict[str, Any]], sessions: Sequence[dict[str, Any]], checkpoint: int
    ) -> None:
        """Append events, upsert sessions and set the checkpoint in one transaction."""
        # Arrow conversion first: a value that does not fit its column fails before BEGIN.
        batches: dict[str, pa.Table] = {}
        if events:
            batches["events"] = schema.to_arrow("events", list(events))
        if sessions:
            batches["sessions"] = schema.to_arrow("sessions", latest_versions(sessions))
        with self._write_lock:
            cur = self._writer
            # Registered outside the transaction: unregistering drops a view, which DuckDB
            # refuses inside an aborted transaction, hiding the original error.
            for table, batch in batches.items():
                cur.register(f"batch_{table}", batch)
            try:
                self._transaction(cur, set(batches), checkpoint)
            finally:
                for table in batches:
                    cur.unregister(f"batch_{table}")

    @staticmethod
    def _transaction(cur: duckdb.DuckDBPyConnection, tables: set[str], checkpoint: int) -> None:
        """Insert the registered batches and set the checkpoint: all or nothing."""
        cur.execute("BEGIN TRANSACTION")
        try:
            if "events" in tables:
                cur.execute(schema.insert_sql("events", "batch_events"))
            if "sessions" in tables:
                cur.execute(_DELETE_SUPERSEDED)
                cur.execute(_INSERT_SESSIONS)
            cur.execute(_SET_CHECKPOINT, [checkpoint])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def checkpoint(self) -> int:
        """The last spool seq whose rows are committed (0 for an empty store)."""
        rows = self._fetch("SELECT value FROM ingest_state WHERE key = 'checkpoint'", ())
        return int(rows[0][0]) if rows else 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read-only SELECT with bound parameters on a cursor of its own."""
        with self._cursor() as cur:
            statements = cur.extract_statements(sql)
            if len(statements) != 1 or statements[0].type not in _SELECT_ONLY:
                raise ValueError("execute() runs exactly one read-only SELECT statement")
            try:
                return cur.execute(sql, list(params)).fetchall()
            except _INPUT_ERRORS as e:
                # a value the engine refuses (a regex RE2 rejects, an out-of-range number) is the
                # caller's bad input, not a store failure: the query layer answers 400
                raise ValueError(str(e).splitlines()[0]) from None

    def recent_sessions(self, since: float) -> list[dict[str, Any]]:
        """Session rows whose last_event_time >= since (unix s), oldest activity first."""
        return self._fetch_dicts(
            f"SELECT {schema.select_list('sessions')} FROM sessions"
            " WHERE last_event_time >= make_timestamp(CAST(? AS BIGINT))"
            " ORDER BY last_event_time, website_id, session_id",
            [_micros(since)],
        )

    def session_events(self, website_id: str, session_id: int) -> list[dict[str, Any]]:
        """All event rows of one session ordered by event_index."""
        return self._fetch_dicts(
            f"SELECT {schema.select_list('events')} FROM events"
            " WHERE website_id = CAST(? AS UUID) AND session_id = ?"
            " ORDER BY event_index, event_id",
            [website_id, session_id],
        )

    def visitor_history(
        self, website_id: str, visitor_id: int, before: float
    ) -> VisitorHistory | None:
        """Aggregate of the visitor's sessions starting before `before`; None when never seen."""
        params = {"website": website_id, "visitor": visitor_id, "before": _micros(before)}
        with self._cursor() as cur:
            row = cur.execute(_VISITOR_HISTORY, params).fetchone()
        if row is None or not row[0]:
            return None
        count, first, last, order = row
        return VisitorHistory(int(count), _seconds(first), _seconds(last), _seconds(order))

    def visitor_histories(
        self, website_id: str, keys: Sequence[tuple[int, float]]
    ) -> dict[int, VisitorHistory]:
        """visitor_history for many (visitor_id, before) pairs of one website in one query."""
        if not keys:
            return {}
        params = {
            "website": website_id,
            "visitors": [k[0] for k in keys],
            "befores": [_micros(k[1]) for k in keys],
        }
        with self._cursor() as cur:
            rows = cur.execute(_VISITOR_HISTORIES, params).fetchall()
        return {
            int(v): VisitorHistory(int(n), _seconds(first), _seconds(last), _seconds(order))
            for v, n, first, last, order in rows
        }

    def counts(self, website_id: str | None = None) -> dict[str, int]:
        """Row counts for tests and `footfall status`: events, sessions, visitors, bounces."""
        where = "WHERE website_id = CAST($website AS UUID)" if website_id is not None else ""
        params = {"website": website_id} if website_id is not None else {}
        sql = (
            f"SELECT (SELECT count(*) FROM events {where}),"
            f" (SELECT count(*) FROM sessions {where}),"
            f" (SELECT count(*) FROM (SELECT DISTINCT website_id, visitor_id FROM sessions {where})),"
            f" (SELECT coalesce(sum(is_bounce), 0) FROM sessions {where})"
        )
        with self._cursor() as cur:
            row = cur.execute(sql, params).fetchone()
        assert row is not None  # an aggregate without GROUP BY returns one row
        return dict(zip(("events", "sessions", "visitors", "bounces"), map(int, row), strict=True))

    def close(self) -> None:
        """Release the database file (idempotent)."""
        with self._write_lock, self._cursor_lock:
            if not self._closed:
                self._closed = True
                self._writer.close()
                self._con.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor for the calling thread; the caller closes it (`with`)."""
        with self._cursor_lock:
            if self._closed:
                raise RuntimeError("the event store is closed")
            return self._con.cursor()

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows of an internal query, on a cursor of its own."""
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def _fetch_dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """Rows of an internal query as dicts keyed by column name."""
        with self._cursor() as cur:
            result = cur.execute(sql, list(params))
            names = [d[0] for d in result.description or ()]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
