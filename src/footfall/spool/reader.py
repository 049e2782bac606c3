"""Reader: reads acknowledged records of the spool, resuming at the tail without re-scanning."""

from __future__ import annotations

import bisect
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from footfall import telemetry
from footfall.spool.segment import scan, segment_name

log = logging.getLogger(__name__)


@dataclass(slots=True)
class View:
    """What a read may see, snapshotted under the append lock."""

    bases: list[int]  #: segment base seqs, ascending
    ends: dict[int, int]  #: bytes of whole records per segment (the active one still grows)
    visible: int  #: last acknowledged seq: records past it are written but not yet fsynced


class Reader:
    """Reads records after a seq; remembers where the last read stopped (the common tail case).

    Not thread-safe by itself: the spool serializes reads with its read lock.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cursor: tuple[int, int, int] | None = None  # (after_seq, segment base, offset)
        self._fd: tuple[int, int] | None = None  # (segment base, read-only fd)

    def read(self, view: View, after_seq: int, max_records: int) -> list[tuple[int, bytes]]:
        """Records with `after_seq` < seq <= `view.visible`, in order, at most `max_records`."""
        index, offset = self._locate(view.bases, after_seq)
        out: list[tuple[int, bytes]] = []
        while True:
            base = view.bases[index]
            end = view.ends[base]
            if offset < end:
                found = scan(
                    self._segment_fd(base),
                    offset,
                    end,
                    skip_through=after_seq,
                    upto=view.visible,
                    limit=max_records - len(out),
                )
                out.extend(found.records)
                offset = found.offset
                if found.stopped == "limit":
                    break
                if found.stopped != "end":
                    # Why skip, not raise: bit rot in one segment must not stall the pipeline
                    # forever; it is logged and counted, and later segments still flow.
                    log.error("spool %s: corrupt segment %d at %d", self.directory, base, offset)
                    telemetry.inc("footfall_spool_corrupt_total")
                    offset = end
            if index + 1 == len(view.bases):
                break
            index, offset = index + 1, 0
        if out:  # the next read usually starts right after this one: resume there
            self._cursor = (out[-1][0], view.bases[index], offset)
        return out

    def _locate(self, bases: list[int], after_seq: int) -> tuple[int, int]:
        """Segment index and offset from which to look for records after `after_seq`."""
        cursor = self._cursor
        if cursor is not None and cursor[0] == after_seq:
            index = bisect.bisect_left(bases, cursor[1])
            if index < len(bases) and bases[index] == cursor[1]:
                return index, cursor[2]
        # Otherwise start at the segment holding after_seq + 1 and skip records up to after_seq.
        return max(bisect.bisect_right(bases, after_seq + 1) - 1, 0), 0

    def _segment_fd(self, base: int) -> int:
        """A read-only fd of segment `base`, kept open while reads stay in that segment."""
        if self._fd is not None and self._fd[0] == base:
            return self._fd[1]
        self.close()
        fd = os.open(self.directory / segment_name(base), os.O_RDONLY)
        self._fd = (base, fd)
        return fd

    def forget(self, base: int) -> None:
        """Close the fd of segment `base` if open (before the segment is deleted, or on close)."""
        if self._fd is not None and self._fd[0] == base:
            os.close(self._fd[1])
            self._fd = None

    def close(self) -> None:
        """Close the open segment fd."""
        if self._fd is not None:
            self.forget(self._fd[0])
