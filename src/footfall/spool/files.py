"""File-system helpers of the spool: the directory lock, whole writes, directory fsync."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Sequence
from pathlib import Path

from footfall.spool.segment import encode

LOCK_NAME = "LOCK"


class SpoolError(Exception):
    """The spool cannot serve the call: closed, locked by another process, or failed fsync."""


def lock_directory(directory: Path) -> int:
    """Take an exclusive lock on `directory` for this open spool; return the lock file's fd."""
    fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        # Why flock: two writers on one log would interleave seqs; the kernel drops the lock
        # when the holder dies, even by kill -9, so no stale lock survives a crash.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise SpoolError(f"spool directory {directory} is in use by another Spool") from None
    return fd


def write_all(fd: int, payloads: Sequence[bytes], first_seq: int, offset: int) -> None:
    """Write `payloads` framed from `first_seq` at the end of `fd` (at `offset`), all or nothing."""
    buf = memoryview(encode(first_seq, payloads))
    done = 0
    try:
        while done < len(buf):  # one write() unless the kernel takes fewer bytes (rare)
            done += os.write(fd, buf[done:])
    except BaseException:
        # Why truncate: a half-written batch would sit under the next append as corruption.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, offset)
        raise


def fsync_directory(directory: Path) -> None:
    """fsync a directory so a file created in it survives power loss."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
