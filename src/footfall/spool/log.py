"""Spool: the durable, append-only log of segment files between the collector and the pipeline.

On disk: `<base seq, 20 digits>.seg` files, each a run of records `seq u64 | length u32 | crc32 u32
| payload` (little-endian; the CRC covers seq, length and payload), described in `segment.py`.

Durability: in "process" mode `append` returns once `os.write` has handed the bytes to the kernel,
which survives `kill -9` of the server; in "fsync" mode it returns once they are fsynced, and
concurrent callers share one fsync (group commit: whoever finds no fsync running becomes the
leader, syncs everything written so far with the lock released, and wakes the others). Readers
and `last_seq` only see acknowledged records, so in fsync mode the pipeline never stores a record
that power loss could take back (its seq would then be reused for another record, and event ids
derive from seqs). A `LOCK` file (flock) keeps a second process from opening the same directory.

Recovery on open scans only the last segment (earlier ones were sealed by a completed rotation):
a torn or corrupt tail there is truncated, so appends continue after the last whole record.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from footfall import telemetry
from footfall.spool.commit import GroupCommit
from footfall.spool.files import SpoolError, lock_directory, write_all
from footfall.spool.reader import Reader, View
from footfall.spool.segment import framed_size, list_segments, scan, segment_name

log = logging.getLogger(__name__)

DURABILITIES = ("process", "fsync")
_NEVER = 1 << 64  # skip_through value that keeps no record (recovery only validates)

telemetry.describe("footfall_spool_last_seq", "Seq of the last acknowledged spool record.")
telemetry.describe("footfall_spool_bytes", "Bytes in spool segment files.")
telemetry.describe("footfall_spool_segments", "Spool segment files on disk.")
telemetry.describe("footfall_spool_released_seq", "Highest seq the consumer has released.")
telemetry.describe("footfall_spool_records_total", "Records appended to the spool.")
telemetry.describe("footfall_spool_fsyncs_total", "Group-commit fsync rounds of the spool.")
telemetry.describe("footfall_spool_corrupt_total", "Corrupt spool spans skipped or truncated.")


class Spool(GroupCommit):
    """Append-only log of segment files whose records have dense, increasing seqs from 1."""

    def __init__(
        self, directory: Path, *, durability: str = "process", segment_bytes: int = 64 << 20
    ) -> None:
        if durability not in DURABILITIES:
            raise ValueError(f"durability must be one of {DURABILITIES}, not {durability!r}")
        if segment_bytes < 1:
            raise ValueError("segment_bytes must be positive")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        super().__init__(self.directory, fsync=durability == "fsync")
        self._segment_bytes = segment_bytes
        # Why a second lock: reads do file I/O without blocking appends, and `release` must not
        # delete a segment a read is in the middle of. Order: _read_lock, then _lock.
        self._read_lock = threading.Lock()
        self._reader = Reader(self.directory)
        self._dir_lock = lock_directory(self.directory)
        self._bases = list_segments(self.directory) or [self._create(1)]
        self._ends = {b: (self.directory / segment_name(b)).stat().st_size for b in self._bases}
        self._active = self._bases[-1]
        self._fd = os.open(self.directory / segment_name(self._active), os.O_RDWR | os.O_APPEND)
        self._offset = self._recover()
        del self._ends[self._active]  # _ends holds sealed segments only
        self._released = self._bases[0] - 1
        self._bytes = sum(self._ends.values()) + self._offset
        self._gauges()

    def _recover(self) -> int:
        """Validate the active segment, truncate a torn or corrupt tail, set the seq counters."""
        size = os.fstat(self._fd).st_size
        found = scan(self._fd, 0, size, expected=self._active, skip_through=_NEVER)
        if found.offset < size:
            # Why: a crash mid-write leaves a partial record; later appends must not bury it.
            log.warning("spool %s: dropping %d-byte torn tail", self.directory, size - found.offset)
            telemetry.inc("footfall_spool_corrupt_total")
            os.ftruncate(self._fd, found.offset)
            if self._fsync:
                os.fsync(self._fd)
        self._written = self._visible = found.last_seq or self._active - 1
        return found.offset

    @property
    def last_seq(self) -> int:
        """Seq of the last acknowledged record (0 when the log is empty)."""
        return self._visible

    def append(self, payloads: Sequence[bytes]) -> int:
        """Append `payloads` as consecutive records; return the seq of the first one."""
        with self._lock:
            first, target = self._write(payloads)
            if self._fsync:
                self._sync_through(target)
            else:
                self._publish(target)
        self._count(len(payloads))
        return first

    async def append_async(self, payloads: Sequence[bytes]) -> int:
        """Like `append`, for asyncio callers; never blocks the event loop on an fsync."""
        if not self._fsync:
            return self.append(payloads)  # a write() is sub-millisecond: no thread hop needed
        with self._lock:  # only held for write() calls, never across an fsync
            first, target = self._write(payloads)
        await self._wait_synced(target)
        self._count(len(payloads))
        return first

    def _write(self, payloads: Sequence[bytes]) -> tuple[int, int]:
        """Write `payloads` (lock held), rotating first if the segment is full; (first, last seq)."""
        self._check_open()
        size = framed_size(payloads)
        if payloads and self._offset > 0 and self._offset + size > self._segment_bytes:
            self._rotate()
        first = self._written + 1
        if payloads:
            write_all(self._fd, payloads, first, self._offset)
            self._offset += size
            self._bytes += size
            self._written += len(payloads)
        return first, self._written

    def _count(self, records: int) -> None:
        telemetry.inc("footfall_spool_records_total", records)
        telemetry.set_gauge("footfall_spool_last_seq", self._visible)
        telemetry.set_gauge("footfall_spool_bytes", self._bytes)

    def _rotate(self) -> None:
        """Seal the active segment and start a new one at the next seq (lock held, no fsync)."""
        self._seal(self._fd)  # fsync mode: the next group commit syncs and closes it
        self._ends[self._active] = self._offset
        self._active = self._create(self._written + 1)
        self._bases.append(self._active)
        self._fd = os.open(self.directory / segment_name(self._active), os.O_RDWR | os.O_APPEND)
        self._offset = 0
        telemetry.set_gauge("footfall_spool_segments", len(self._bases))

    def _create(self, base: int) -> int:
        """Create the empty segment file for `base`."""
        path = self.directory / segment_name(base)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        self._dir_dirty = True  # why: else power loss can forget the new file
        return base

    def read(self, after_seq: int, max_records: int = 10_000) -> list[tuple[int, bytes]]:
        """Acknowledged records with seq > `after_seq`, in order, at most `max_records`."""
        with self._read_lock:
            with self._lock:
                self._check_open()
                if after_seq >= self._visible or max_records <= 0:
                    return []
                # Why self._offset: every byte below it is a whole record (writes happen under
                # this lock); records past `visible` are filtered out by seq.
                ends = {**self._ends, self._active: self._offset}
                view = View(list(self._bases), ends, self._visible)
            return self._reader.read(view, after_seq, max_records)

    def wait(self, after_seq: int, timeout: float) -> bool:
        """Block until `last_seq` > `after_seq` or `timeout` seconds pass; True if new data."""
        with self._cond:
            self._cond.wait_for(lambda: self._visible > after_seq or self._closed, timeout)
            return self._visible > after_seq

    def release(self, upto_seq: int) -> None:
        """Delete the sealed segments whose records all have seq <= `upto_seq` (consumed)."""
        with self._read_lock:
            with self._lock:
                self._check_open()
                upto = min(upto_seq, self._visible)
                self._released = max(self._released, upto)
                doomed: list[int] = []
                while len(self._bases) > 1 and self._bases[1] - 1 <= upto:
                    doomed.append(self._bases.pop(0))
                    self._bytes -= self._ends.pop(doomed[-1])
            for base in doomed:
                self._reader.forget(base)
                # No directory fsync: a deleted segment resurrected by power loss only holds
                # records the consumer already has, and it resumes after its checkpoint.
                (self.directory / segment_name(base)).unlink(missing_ok=True)
        self._gauges()

    def stats(self) -> dict[str, int]:
        """Segments, bytes, last_seq, released_seq (and fsyncs made) of this spool."""
        with self._lock:
            return {
                "segments": len(self._bases),
                "bytes": self._bytes,
                "last_seq": self._visible,
                "released_seq": self._released,
                "fsyncs": self._fsyncs,
            }

    def _gauges(self) -> None:
        telemetry.set_gauge("footfall_spool_last_seq", self._visible)
        telemetry.set_gauge("footfall_spool_bytes", self._bytes)
        telemetry.set_gauge("footfall_spool_segments", len(self._bases))
        telemetry.set_gauge("footfall_spool_released_seq", self._released)

    def _check_open(self) -> None:
        if self._closed:
            raise SpoolError("spool is closed")

    def close(self) -> None:
        """Close the files and the directory lock; later calls raise SpoolError."""
        with self._read_lock, self._cond:
            if self._closed:
                return
            while self._syncing:
                self._cond.wait()
            self._closed = True
            self._abandon_waiters()
            self._reader.close()
            self._close_sealed()
            os.close(self._fd)
            os.close(self._dir_lock)
            self._cond.notify_all()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
