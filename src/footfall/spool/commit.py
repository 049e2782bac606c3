"""GroupCommit: when written spool records become acknowledged, and who fsyncs them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from pathlib import Path

from footfall import telemetry
from footfall.spool.files import SpoolError, fsync_directory

_Waiter = tuple[int, asyncio.AbstractEventLoop, "asyncio.Future[None]"]


class GroupCommit:
    """Publishes written records: at once in process mode, after a shared fsync in fsync mode.

    A base of `Spool`, which owns the files and calls these methods with `_lock` held. In fsync
    mode a writer that finds no fsync running becomes the leader: it syncs everything written so
    far with the lock released, so other writers keep writing and then share the next fsync.
    """

    directory: Path
    _fd: int  # the active segment, set by Spool
    _written: int  # last seq written to a file, set by Spool

    def __init__(self, directory: Path, *, fsync: bool) -> None:
        self.directory = directory
        self._fsync = fsync
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._visible = 0  #: last acknowledged seq
        self._closed = False
        self._syncing = False
        self._failed: OSError | None = None
        self._fsyncs = 0
        self._sealed: list[int] = []  # fds of rotated segments waiting for their last fsync
        self._dir_dirty = False  # a segment file was created since the last directory fsync
        self._async_waiters: list[_Waiter] = []

    def _publish(self, seq: int) -> None:
        """Acknowledge records up to `seq`: wake `wait()`ers, followers and async waiters."""
        self._visible = seq
        self._cond.notify_all()
        if self._async_waiters:
            done = [w for w in self._async_waiters if w[0] <= seq]
            self._async_waiters = [w for w in self._async_waiters if w[0] > seq]
            for _, loop, future in done:
                _resolve(loop, future, None)

    def _seal(self, fd: int) -> None:
        """Retire the fd of a rotated segment; in fsync mode only after its data is synced."""
        if self._fsync:
            # Why defer: an fsync here would run under the lock and stall every writer (and an
            # asyncio caller's event loop); the next group commit syncs it without the lock.
            self._sealed.append(fd)
        else:
            os.close(fd)

    def _close_sealed(self) -> None:
        for fd in self._sealed:
            os.close(fd)
        self._sealed = []

    def _raise_if_failed(self) -> None:
        if self._closed:
            raise SpoolError("spool closed before the records were acknowledged")
        if self._failed is not None:
            raise SpoolError(f"spool fsync failed, restart to recover: {self._failed}")

    def _sync_through(self, target: int) -> None:
        """Return once every record up to `target` is fsynced, leading or joining a commit."""
        while self._visible < target:
            self._raise_if_failed()
            if self._syncing:
                self._cond.wait()
            else:
                self._lead()

    def _lead(self) -> None:
        """Run commit rounds while anyone (thread or coroutine) waits for written records."""
        while True:
            self._commit_round()
            pending = any(w[0] > self._visible for w in self._async_waiters)
            if self._failed is not None or self._closed or not pending:
                return

    def _commit_round(self) -> None:
        """fsync everything written so far with the lock released, then publish it."""
        self._syncing = True
        fds, self._sealed = [*self._sealed, self._fd], []
        dirty, self._dir_dirty = self._dir_dirty, False
        seq = self._written
        self._lock.release()
        try:
            for fd in fds:
                os.fdatasync(fd)
            if dirty:
                fsync_directory(self.directory)
        except OSError as e:
            # Why fatal: after a failed fsync the kernel may drop the dirty pages, so a retry
            # that succeeds could still have lost data (the PostgreSQL "fsyncgate").
            self._failed = e
        finally:
            self._lock.acquire()
            self._syncing = False
            self._fsyncs += 1
            self._cond.notify_all()
        for fd in fds[:-1]:  # sealed segments: this round took them over
            os.close(fd)
        telemetry.inc("footfall_spool_fsyncs_total")
        if self._failed is None:
            self._publish(seq)
        else:
            self._abandon_waiters()

    async def _wait_synced(self, target: int) -> None:
        """Wait, without blocking the event loop, until records up to `target` are fsynced."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._raise_if_failed()
            if self._visible >= target:
                return
            self._async_waiters.append((target, loop, future))
            lead = not self._syncing  # else the running leader serves us after its round
        if lead:
            await asyncio.to_thread(self._lead_for_async)
        await future

    def _lead_for_async(self) -> None:
        with self._lock:
            if not self._syncing and self._failed is None and not self._closed:
                self._lead()

    def _abandon_waiters(self) -> None:
        """Fail the coroutines still waiting for an fsync (on close, or after a failed fsync)."""
        for _, loop, future in self._async_waiters:
            _resolve(loop, future, SpoolError(f"spool records not synced: {self._failed}"))
        self._async_waiters = []


def _resolve(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[None], error: Exception | None
) -> None:
    """Complete `future` from any thread (it may be cancelled, or its loop closed)."""

    def settle() -> None:
        if not future.done():
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting anymore
        loop.call_soon_threadsafe(settle)
