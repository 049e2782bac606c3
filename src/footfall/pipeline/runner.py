"""Pipeline: consumes the spool in order, turns records into rows and writes them in batches.

One worker thread owns the sessionizer and the store writes; decoding, parsing and the enrichment
steps of a backlog may run in worker processes (`pipeline.workers`), small batches stay inline.
Each flush writes the event rows, the changed session rows and the spool checkpoint in one store
transaction, so a restart resumes exactly after the last committed record: a replay never
duplicates rows (event ids come from the spool seq) and never loses an acknowledged one.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from footfall import telemetry
from footfall.model.directory import AppDirectory
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.sessions.sessionizer import Sessionizer
from footfall.pipeline.steps.timing import StepTimer, publish_seconds
from footfall.pipeline.workers import TIMING_SAMPLE, EnrichPool, WorkerGone, WorkerSpec, enrich
from footfall.store.base import EventStore

log = logging.getLogger("footfall.pipeline")

Step = Callable[[Hit, AppSettings], Reason | None]

#: read batches smaller than this are enriched inline, not in a worker process: at low load the
#: round trip would only add latency (measured in BENCHMARKS.md), and one core has room to spare
INLINE_RECORDS = 1_000

#: acknowledged records waiting beyond which the pipeline is "behind" (more than about a
#: second of work at the measured rates): it then flushes less often (`backlog_flush_interval`)
#: and rewrites active sessions less often (`backlog_staleness`), see `Pipeline._behind`
BACKLOG_RECORDS = 20_000

#: how far back (processing time) open sessions are restored on start: the longest timeout we
#: allow (session_max_duration_seconds is 12 h, but an idle session closes after its timeout)
RESTORE_WINDOW_SECONDS = 4 * 3600

telemetry.describe("footfall_pipeline_records_total", "Spool records processed by the pipeline.")
telemetry.describe(
    "footfall_pipeline_worker_records_total", "Spool records enriched in worker processes."
)
telemetry.describe("footfall_pipeline_dropped_total", "Hits dropped by the pipeline, by reason.")
telemetry.describe("footfall_pipeline_rows_total", "Rows written to the event store, by table.")
telemetry.describe("footfall_pipeline_flush_seconds_total", "Time spent writing batches.")
telemetry.describe("footfall_pipeline_flushes_total", "Batches written.")
telemetry.describe("footfall_pipeline_last_flush_seconds", "Duration of the last flush.")
telemetry.describe(
    "footfall_spool_lag_records", "Acknowledged records not yet committed to the store."
)


@dataclass(slots=True)
class Batch:
    """What one store transaction writes: event rows, session rows, and the spool position."""

    events: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    position: int


class SpoolReader(Protocol):
    """The consumer side of `footfall.spool.Spool`."""

    def read(self, after_seq: int, max_records: int = ...) -> list[tuple[int, bytes]]: ...
    def wait(self, after_seq: int, timeout: float) -> bool: ...
    def release(self, upto_seq: int) -> None: ...
    @property
    def last_seq(self) -> int: ...


class Pipeline:
    """Runs the ingestion steps and the sessionizer over the spool and writes batches to the store."""

    def __init__(
        self,
        spool: SpoolReader,
        store: EventStore,
        directory: AppDirectory,
        steps: Sequence[Step],
        *,
        flush_interval: float = 0.2,
        flush_max_rows: int = 50_000,
        read_batch: int = 5_000,
        session_staleness: float = 0.8,
        backlog_staleness: float = 5.0,
        backlog_flush_interval: float = 1.0,
        backlog_records: int = BACKLOG_RECORDS,
        workers: WorkerSpec | None = None,
        inline_records: int = INLINE_RECORDS,
    ) -> None:
        self.spool = spool
        self.store = store
        self.directory = directory
        self.steps = list(steps)
        self._timer = StepTimer(self.steps, publish_every=64, scale=TIMING_SAMPLE)
        self.flush_interval = flush_interval
        self.flush_max_rows = flush_max_rows
        self.read_batch = read_batch
        self.session_staleness = session_staleness
        self.backlog_staleness = max(backlog_staleness, session_staleness)
        self.backlog_flush_interval = max(backlog_flush_interval, flush_interval)
        self.backlog_records = backlog_records
        self.sessionizer = Sessionizer(history=store.visitor_history)
        self.position = store.checkpoint()
        self.committed = self.position  # written to the store
        self.handed = self.position  # handed to the writer (committed once written)
        self._read = self.position  # read from the spool (maybe still with a worker)
        self.workers = workers  # None: enrich inline only
        self.inline_records = inline_records
        self._pool: EnrichPool | None = None  # started on the first large batch
        self._events: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # why: DuckDB inserts run outside the GIL; a writer thread lets the next batch be parsed
        # and sessionized while the previous one is written. FIFO keeps versions in order; the
        # bound (2 batches) is the back-pressure that keeps memory flat.
        self._writes: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
        self._writer: threading.Thread | None = None
        self._last_flush = time.monotonic()
        self._last_expire = 0.0
        self.error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Restore open sessions and start the worker thread."""
        self.restore()
        self._writer = threading.Thread(
            target=self._write_loop, name="footfall-writer", daemon=True
        )
        self._writer.start()
        self._thread = threading.Thread(target=self._run, name="footfall-pipeline", daemon=True)
        self._thread.start()

    def start_workers(self, wait: float = 0.0) -> bool:
        """Start the worker processes now, before `start` (an import knows a backlog is coming);
        wait up to `wait` seconds for them to be ready. Whether they are."""
        if self.workers is None:
            return False
        if self._pool is None:
            self._pool = EnrichPool(self.workers)
        try:
            return self._pool.wait_ready(wait) if wait > 0 else False
        except WorkerGone:
            self._lose_workers()
            return False

    def stop(self, timeout: float = 30.0) -> None:
        """Process what is already spooled, write it, and stop the worker."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def restore(self) -> None:
        """Rebuild the sessions that may still be open from the store (after a restart)."""
        since = time.time() - RESTORE_WINDOW_SECONDS
        restored = 0
        for row in self.store.recent_sessions(since):
            app = self.directory.settings(str(row["website_id"]))
            if app is None:
                continue
            events = self.store.session_events(str(row["website_id"]), int(row["session_id"]))
            self.sessionizer.restore(row, events, app)
            restored += 1
        if restored:
            log.info("restored open sessions", extra={"sessions": restored})

    # --- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                stopping = self._stop.is_set()
                records = self._read_more()
                pool = self._pool
                if (
                    pool is not None
                    and pool.pending
                    and (not records or pool.pending >= pool.capacity)
                ):
                    self._take()
                busy = bool(records) or self._in_flight()
                if self._due() or (stopping and not busy):
                    self.flush(final=stopping and not busy)
                if stopping and not busy:
                    self._hand(None)
                    if self._writer is not None:
                        self._writer.join()
                    return
                if self.error is not None:
                    raise RuntimeError("the store writer stopped") from self.error
                if not busy:
                    wait = max(0.0, self.flush_interval - (time.monotonic() - self._last_flush))
                    self.spool.wait(self._read, min(wait, 0.05) if self._events else 0.2)
        except BaseException as e:  # the worker must never die silently
            self.error = e
            log.exception("pipeline worker stopped")
            raise
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def _in_flight(self) -> bool:
        return self._pool is not None and self._pool.pending > 0

    def _read_more(self) -> list[tuple[int, bytes]]:
        """Read the next batch and enrich it inline or hand it to a worker; [] when none."""
        pool = self._pool
        if pool is not None and pool.pending >= pool.capacity:
            return []
        records = self.spool.read(self._read, self.read_batch)
        if not records:
            return records
        self._read = records[-1][0]
        if self._to_workers(len(records)):
            assert self._pool is not None
            self._pool.submit(records)
        else:
            self.process(records)
        return records

    def _to_workers(self, size: int) -> bool:
        """Whether a read batch goes to the workers (starting them on the first large batch).

        Batches stay in spool order: once one is in flight, every later one follows it.
        """
        pool = self._pool
        if pool is not None and pool.pending:
            return True
        if self.workers is None or size < self.inline_records:
            return False
        if pool is None:
            self._pool = EnrichPool(self.workers)
            return False  # inline until the workers have started
        try:
            return pool.ready()
        except WorkerGone:
            self._lose_workers()
            return False

    def _take(self) -> None:
        """Sessionize the oldest batch a worker enriched (redo it inline if the worker died)."""
        assert self._pool is not None
        try:
            records, items, seconds = self._pool.take()
        except WorkerGone:
            self._lose_workers()
            return
        publish_seconds(seconds)
        ready: list[tuple[Hit, AppSettings]] = []
        apps: dict[str, AppSettings | None] = {}
        for item in items:
            if type(item) is str:
                telemetry.inc("footfall_pipeline_dropped_total", reason=item)
                continue
            hit = Hit(*item)
            website_id = hit.website_id
            app = (
                apps[website_id]
                if website_id in apps
                else apps.setdefault(website_id, self.directory.settings(website_id))
            )
            if app is None:
                telemetry.inc("footfall_pipeline_dropped_total", reason=Reason.UNKNOWN_APP.value)
            else:
                ready.append((hit, app))
        self._sessionize(ready, records[-1][0], len(records))
        telemetry.inc("footfall_pipeline_worker_records_total", len(records))

    def _lose_workers(self) -> None:
        """A worker died: enrich inline from now on, redoing the batches it had not answered."""
        assert self._pool is not None
        left = self._pool.abandon()
        self._pool = None
        self.workers = None
        log.error("an enrichment worker stopped; enriching inline from now on")
        for records in left:
            self.process(records)

    def _due(self) -> bool:
        if len(self._events) >= self.flush_max_rows:
            return True
        pending = self._events or self.position != self.handed or self.sessionizer.has_dirty()
        interval = self.backlog_flush_interval if self._behind() else self.flush_interval
        if bool(pending) and time.monotonic() - self._last_flush >= interval:
            return True
        # why: open sessions must close (final row, abandoned cart) on an idle server too, not
        # only when the next hit arrives; `flush` runs the expiry at most once a second.
        return self.sessionizer.open_sessions() > 0 and time.time() - self._last_expire >= 1.0

    def _behind(self) -> bool:
        """True while more than `backlog_records` acknowledged records wait to be processed.

        why: those records are more than about a second of work old, so the 1-second contract
        cannot hold for them whatever is flushed; writing fewer, larger transactions and fewer
        session versions then drains the backlog faster (a transaction's cost grows with the
        stored sessions its upsert scans, not only with its rows: BENCHMARKS.md).
        """
        return self.spool.last_seq - self.position > self.backlog_records

    def process(self, records: Sequence[tuple[int, bytes]]) -> None:
        """Turn spool records into event rows (kept until the next flush).

        Two phases: parse and enrich every record, then sessionize in spool order. Between them
        the sessionizer asks the store once for all visitors of the batch it has not cached.
        """
        ready: list[tuple[Hit, AppSettings]] = []
        directory, steps, timer = self.directory, self.steps, self._timer
        for seq, payload in records:
            item = enrich(seq, payload, directory, steps, timer)
            if isinstance(item, Reason):
                telemetry.inc("footfall_pipeline_dropped_total", reason=item.value)
            else:
                ready.append(item)
        if records:
            self._sessionize(ready, records[-1][0], len(records))

    def _sessionize(self, ready: list[tuple[Hit, AppSettings]], last_seq: int, count: int) -> None:
        """Sessionize enriched hits in spool order; `last_seq` ends the batch of `count` records."""
        if ready:
            self.sessionizer.prefetch(ready, self.store.visitor_histories)
        events = self._events
        for hit, app in ready:
            try:
                rows, reason = self.sessionizer.add(hit, app)
            except Exception:  # bad input must never stop the pipeline: count it and go on
                log.exception("hit failed in the sessionizer", extra={"seq": hit.seq})
                reason, rows = Reason.INVALID, []
            if reason is not None:
                telemetry.inc("footfall_pipeline_dropped_total", reason=reason.value)
            events.extend(rows)
        self.position = last_seq
        self._read = max(self._read, last_seq)
        telemetry.inc("footfall_pipeline_records_total", count)

    def flush(self, final: bool = False) -> None:
        """Hand pending rows, changed sessions and the position to the writer (one transaction).

        A session row is rewritten at most every `session_staleness` seconds while it is active
        (so session columns are at most flush interval + staleness behind, within the 1-second
        contract; `backlog_staleness` while behind the spool, see `_behind`);
        `final` writes every changed session. Without a writer thread (tests,
        benchmarks driving `process` directly) the batch is written before this returns.
        """
        now = time.time()
        if now - self._last_expire >= 1.0:
            extra, closed = self.sessionizer.expire(now, processing=True)
            self._events.extend(extra)
            self._last_expire = now
        else:
            closed = []
        sessions = closed + self.sessionizer.drain_dirty(0.0 if final else self._staleness())
        self._last_flush = time.monotonic()
        if not self._events and not sessions and self.position == self.handed:
            return
        batch = Batch(self._events, sessions, self.position)
        self._events = []
        self.handed = self.position
        if self._writer is None:
            self._write(batch)
        else:
            self._hand(batch)

    def _staleness(self) -> float:
        """How long an active session's row may lag its events: longer while behind the spool.

        why: rewriting every active session each 0.8 s cost more than the events themselves
        under a backlog (~0.65 session rows per event in the bulk benchmark, about half of the
        writer's time). Caught up, the 1-second contract holds again within one staleness
        period; a new session's row is always written with its first events.
        """
        return self.backlog_staleness if self._behind() else self.session_staleness

    def _hand(self, batch: Batch | None) -> None:
        """Queue a batch for the writer thread, waiting while two are already queued."""
        while True:
            if self.error is not None:
                raise RuntimeError("the store writer stopped") from self.error
            try:
                self._writes.put(batch, timeout=0.5)
                return
            except queue.Full:
                continue

    def _write_loop(self) -> None:
        try:
            while (batch := self._writes.get()) is not None:
                self._write(batch)
        except BaseException as e:  # a write that fails stops ingestion; healthz says so
            self.error = e
            log.exception("pipeline writer stopped")

    def _write(self, batch: Batch) -> None:
        """Write one batch in one store transaction and account it."""
        started = time.perf_counter()
        self.store.write(batch.events, batch.sessions, batch.position)
        took = time.perf_counter() - started
        telemetry.inc("footfall_pipeline_rows_total", len(batch.events), table="events")
        telemetry.inc("footfall_pipeline_rows_total", len(batch.sessions), table="sessions")
        telemetry.inc("footfall_pipeline_flush_seconds_total", took)
        telemetry.inc("footfall_pipeline_flushes_total")
        telemetry.set_gauge("footfall_pipeline_last_flush_seconds", took)
        self.committed = batch.position
        self.spool.release(batch.position)
        telemetry.set_gauge("footfall_spool_lag_records", self.spool.last_seq - batch.position)

    def wait_until_committed(self, seq: int, timeout: float = 10.0) -> bool:
        """Block until every record up to `seq` is committed (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self.committed < seq:
            if self.error is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True
