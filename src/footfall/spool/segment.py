"""Segment files of the spool: naming, record framing, and scanning.

A segment is named after the seq of its first record, zero-padded to 20 digits
(`00000000000000000001.seg`), so sorting the names sorts the log. A record is a 16-byte
little-endian header `seq u64 | length u32 | crc32 u32` followed by `length` payload bytes; the
CRC (zlib.crc32) covers the first 12 header bytes and the payload, so a torn or zero-filled tail
and a record from the wrong place are both detected.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".seg"
HEADER = struct.Struct("<QII")
_PREFIX = struct.Struct("<QI")  # the part of the header the CRC covers
_CRC = struct.Struct("<I")
MAX_PAYLOAD = 0xFFFFFFFF
#: Bytes read per pread when scanning; big enough to amortize the syscall over many records.
CHUNK = 1 << 20


def segment_name(base: int) -> str:
    """File name of the segment whose first record has seq `base`."""
    return f"{base:020d}{SUFFIX}"


def list_segments(directory: Path) -> list[int]:
    """Base seqs of the segment files in `directory`, ascending (other files are ignored)."""
    bases = []
    for entry in os.scandir(directory):
        stem = entry.name[: -len(SUFFIX)]
        if entry.name.endswith(SUFFIX) and len(stem) == 20 and stem.isdigit():
            bases.append(int(stem))
    return sorted(bases)


def framed_size(payloads: Sequence[bytes]) -> int:
    """Bytes that `encode(payloads)` will take on disk (independent of the seqs)."""
    return HEADER.size * len(payloads) + sum(len(p) for p in payloads)


def encode(first_seq: int, payloads: Sequence[bytes]) -> bytes:
    """Frame `payloads` as consecutive records numbered from `first_seq`, as one buffer."""
    parts: list[bytes] = []
    add, pack, pack_crc, crc32 = parts.append, _PREFIX.pack, _CRC.pack, zlib.crc32
    seq = first_seq
    for payload in payloads:
        if len(payload) > MAX_PAYLOAD:
            raise ValueError(f"spool record of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
        prefix = pack(seq, len(payload))
        add(prefix)
        add(pack_crc(crc32(payload, crc32(prefix))))
        add(payload)
        seq += 1
    return b"".join(parts)


@dataclass(slots=True)
class Scan:
    """What `scan` found: the kept records, where it stopped, and why."""

    offset: int  #: file offset just after the last valid record scanned
    last_seq: int = 0  #: seq of the last valid record scanned (0 when none)
    records: list[tuple[int, bytes]] = field(default_factory=list)
    #: "end" (reached `end`), "limit" (got `limit` records or reached `upto`), "torn" (a record
    #: runs past `end`)
    #: or "corrupt" (bad CRC, or a seq other than the expected one)
    stopped: str = "end"


def scan(
    fd: int,
    offset: int,
    end: int,
    *,
    expected: int | None = None,
    skip_through: int = 0,
    upto: int = sys.maxsize,
    limit: int = sys.maxsize,
) -> Scan:
    """Parse records of `fd` in [offset, end), keeping those with `skip_through` < seq <= `upto`.

    With `expected`, the first record must have that seq and each next one the following seq
    (recovery); without it only the CRC is checked (reads, which may start mid-segment).
    """
    result = Scan(offset)
    want = CHUNK
    while result.offset < end and result.stopped == "end":
        buf = os.pread(fd, min(want, end - result.offset), result.offset)
        if not buf:  # file shorter than believed: treat like a torn record
            result.stopped = "torn"
            break
        need = _parse(buf, result, expected, (skip_through, upto), limit)
        if need and result.offset + need > end:
            result.stopped = "torn"
        # Why: a record bigger than CHUNK must be read whole before it can be parsed.
        want = max(CHUNK, need)
    return result


def _parse(
    buf: bytes, result: Scan, expected: int | None, window: tuple[int, int], limit: int
) -> int:
    """Parse whole records of `buf` into `result`; return the bytes the next record needs (0: none)."""
    view, size, pos = memoryview(buf), len(buf), 0
    unpack, crc32, records = HEADER.unpack_from, zlib.crc32, result.records
    skip_through, upto = window
    if expected is not None and result.last_seq:
        expected = result.last_seq + 1
    need = 0
    while pos < size:
        if size - pos < HEADER.size:
            need = HEADER.size
            break
        seq, length, crc = unpack(view, pos)
        stop = pos + HEADER.size + length
        if seq > upto:  # not acknowledged yet (fsync mode): leave it for a later read
            result.stopped = "limit"
            break
        if expected is not None and seq != expected:
            result.stopped = "corrupt"
            break
        if stop > size:
            need = HEADER.size + length
            break
        payload = view[pos + HEADER.size : stop]
        if crc32(payload, crc32(view[pos : pos + 12])) != crc:
            result.stopped = "corrupt"
            break
        if seq > skip_through:
            records.append((seq, payload.tobytes()))
        pos, result.last_seq = stop, seq
        if expected is not None:
            expected = seq + 1
        if len(records) >= limit:
            result.stopped = "limit"
            break
    result.offset += pos
    return need
