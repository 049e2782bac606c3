"""Enrichment workers: decode, parse and the steps over spool batches in separate processes.

why: the server is one Python process, so the collector and the pipeline thread share one
interpreter lock and one core. Decoding, parsing and the enrichment steps are stateless per record
(the sessionizer is not), so they move to worker processes; the pipeline thread hands them read
batches in spool order, takes the results back in the same order and only sessionizes and writes.

Wire format, both ways pickled over one `multiprocessing` pipe per worker: a batch goes out as
`[(seq, payload), ...]`; it comes back as `(items, step_seconds)` where an item is the Reason value
(a str) of a dropped record or the kept Hit's fields as a plain tuple (a tuple of primitives
unpickles several times faster than a dataclass instance), and `step_seconds` is the sampled
per-step time the worker measured, published by the pipeline's process.

Workers start on the first backlog (not with the server: an idle server pays nothing) and take
batches only once they report ready; until then, and whenever a batch is small, the pipeline
enriches inline. A worker reads its app settings through its own directory (for the server a
`MetaDirectory` with a 1-second cache), so a settings change reaches it within a second. A worker
exits when its pipe closes, so it never outlives the server, even after `kill -9`.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import multiprocessing
import pickle
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection
from operator import attrgetter
from typing import Any

from footfall.collect.params import InvalidRequest, parse_hit
from footfall.model.directory import AppDirectory
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings
from footfall.pipeline.steps import Step, StepConfig, default_steps
from footfall.pipeline.steps.timing import StepTimer

log = logging.getLogger("footfall.pipeline")

__all__ = ["EnrichPool", "WorkerSpec", "enrich", "hit_fields", "meta_directory"]

#: one hit in TIMING_SAMPLE runs through the step timer (timing every hit costs ~30% of the
#: steps' time; a 1-in-32 sample estimates the per-step totals for ~1%)
TIMING_SAMPLE = 32

#: a Hit as a tuple of its fields in declaration order (`Hit(*t)` rebuilds it)
hit_fields: Callable[[Hit], tuple[Any, ...]] = attrgetter(*(f.name for f in fields(Hit)))

READY = b"ready"


def enrich(
    seq: int, payload: bytes, directory: AppDirectory, steps: Sequence[Step], timer: StepTimer
) -> tuple[Hit, AppSettings] | Reason:
    """Decode, parse and run the steps over one record; a Reason when it is dropped."""
    try:
        hit = parse_hit(RawRecord.decode(payload, seq))
    except InvalidRequest as e:
        return e.reason
    except ValueError:
        return Reason.CORRUPT_RECORD
    app = directory.settings(hit.website_id)
    if app is None:
        return Reason.UNKNOWN_APP
    try:
        if seq % TIMING_SAMPLE == 0:
            reason = timer.run(hit, app)
            if reason is not None:
                return reason
        else:
            for step in steps:
                reason = step(hit, app)
                if reason is not None:
                    return reason
    except Exception:  # bad input must never stop the pipeline: count it and go on
        log.exception("hit failed in the pipeline steps", extra={"seq": seq})
        return Reason.INVALID
    return hit, app


def meta_directory(dsn: str) -> AppDirectory:
    """The server's directory in a worker: the metadata store with a 1-second cache."""
    from footfall.meta.directory import MetaDirectory
    from footfall.meta.store import MetaStore

    return MetaDirectory(MetaStore(dsn), ttl=1.0)


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """How to build a worker: the steps' settings and a picklable directory factory."""

    steps: StepConfig
    directory: Callable[[], AppDirectory]
    workers: int = 1


def _worker_main(conn: Connection, spec: WorkerSpec) -> None:
    """A worker process: enrich every batch received, answer in order, exit on EOF."""
    from footfall.app import tune_gc

    directory = spec.directory()
    steps = default_steps(spec.steps)
    # the timer publishes nothing itself (publish_every is never reached): its sums go back
    timer = StepTimer(steps, publish_every=1 << 62, scale=TIMING_SAMPLE)
    tune_gc()
    inbox: queue.Queue[bytes | None] = queue.Queue()

    def receive() -> None:
        # why: a separate reader keeps the parent's send from ever blocking on a worker that is
        # itself blocked sending a result the parent has not read yet
        try:
            while True:
                inbox.put(conn.recv_bytes())
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=receive, name="footfall-enrich-recv", daemon=True).start()
    conn.send_bytes(READY)
    while (message := inbox.get()) is not None:
        records: list[tuple[int, bytes]] = pickle.loads(message)
        items: list[str | tuple[Any, ...]] = []
        for seq, payload in records:
            item = enrich(seq, payload, directory, steps, timer)
            items.append(item.value if isinstance(item, Reason) else hit_fields(item[0]))
        seconds = timer.take()
        try:
            conn.send_bytes(pickle.dumps((items, seconds), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the pipeline is gone
            return


class WorkerGone(Exception):
    """A worker process died or its pipe broke; its unanswered batches must be redone inline."""


class _Worker:
    def __init__(self, spec: WorkerSpec, index: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, spec), name=f"footfall-enrich-{index}", daemon=True
        )
        self.process.start()
        child.close()  # only the worker holds that end: the pipe closes when either side dies
        self.ready = False

    def poll_ready(self) -> bool:
        if not self.ready and self.conn.poll():
            try:
                self.ready = self.conn.recv_bytes() == READY
            except (EOFError, OSError):
                raise WorkerGone(self.process.name) from None
        return self.ready

    def receive(self) -> bytes:
        while not self.conn.poll(0.5):
            if not self.process.is_alive():
                raise WorkerGone(self.process.name)
        try:
            return self.conn.recv_bytes()
        except (EOFError, OSError):
            raise WorkerGone(self.process.name) from None

    def close(self) -> None:
        self.conn.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


class EnrichPool:
    """Worker processes fed with batches round-robin; results come back in submission order."""

    def __init__(self, spec: WorkerSpec) -> None:
        self._workers = [_Worker(spec, i) for i in range(max(1, spec.workers))]
        self._next = 0
        # (worker, records) per batch in flight, oldest first
        self._pending: collections.deque[tuple[_Worker, list[tuple[int, bytes]]]] = (
            collections.deque()
        )

    def ready(self) -> bool:
        """True once every worker has started (imports and device-detector tables loaded)."""
        return all([w.poll_ready() for w in self._workers])

    def wait_ready(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every worker to start; whether they have."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    @property
    def pending(self) -> int:
        """Batches handed out and not taken back yet."""
        return len(self._pending)

    @property
    def capacity(self) -> int:
        """Batches worth keeping in flight: two per worker (one worked on, one queued)."""
        return 2 * len(self._workers)

    def submit(self, records: list[tuple[int, bytes]]) -> None:
        """Hand one batch to the next worker."""
        worker = self._workers[self._next]
        self._next = (self._next + 1) % len(self._workers)
        self._pending.append((worker, records))
        # a broken pipe is found out in `take`, and the batch is redone inline
        with contextlib.suppress(OSError):
            worker.conn.send_bytes(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))

    def take(
        self,
    ) -> tuple[list[tuple[int, bytes]], list[str | tuple[Any, ...]], dict[str, float]]:
        """The oldest batch's records, its items and the step seconds; WorkerGone if it died."""
        worker, records = self._pending[0]
        data = worker.receive()
        self._pending.popleft()
        items, seconds = pickle.loads(data)
        return records, items, seconds

    def abandon(self) -> list[list[tuple[int, bytes]]]:
        """Stop every worker; the batches they had not answered, oldest first (to redo)."""
        left = [records for _, records in self._pending]
        self._pending.clear()
        self.close()
        return left

    def close(self) -> None:
        """Close the pipes (workers exit on EOF) and wait for the processes."""
        for w in self._workers:
            w.close()
