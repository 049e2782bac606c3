"""Reading a log file fast: plain, gzip or bzip2, in large chunks cut at line ends.

why chunks: one `read` and one `decode` per 2 MiB costs far less than a `readline` per line, and
a chunk is also the unit the importer appends to the spool and records as done.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["CHUNK_BYTES", "Chunk", "LogSource"]

CHUNK_BYTES = 2 << 20
_HEAD_BYTES = 64 << 10


class Chunk:
    """Whole lines of a log and where they end in the decompressed stream."""

    __slots__ = ("end", "first_line", "lines")

    def __init__(self, lines: list[str], end: int, first_line: int) -> None:
        self.lines = lines  #: the lines, without line ends
        self.end = end  #: decompressed byte offset just after the last line
        self.first_line = first_line  #: 0-based number of the first line in the file


class LogSource:
    """One log file opened for reading (compression chosen by the name's suffix)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._raw: IO[bytes] = self.path.open("rb")
        self.size = self.path.stat().st_size
        stream: IO[bytes]
        if self.path.suffix == ".gz":
            stream = gzip.GzipFile(fileobj=self._raw)  # type: ignore[assignment]
        elif self.path.suffix == ".bz2":
            stream = bz2.BZ2File(self._raw)
        else:
            stream = self._raw
        self._stream = stream

    @property
    def position(self) -> int:
        """Bytes of the file itself read so far (compressed bytes for .gz/.bz2): for progress."""
        return self._raw.tell()

    def head(self) -> tuple[list[str], str]:
        """The first lines (≤ 64 KiB, for format detection) and the file's fingerprint.

        The fingerprint hashes the lines up to and including the first line that is not a
        `#` directive: that line carries its own time stamp, so two different logs do not share
        it, while a log that grows (appended lines) keeps it.
        """
        data = self._stream.read(_HEAD_BYTES)
        self._rewind()
        text = data.decode("utf-8", "replace")
        lines = text.replace("\r\n", "\n").split("\n")
        if not data.endswith(b"\n"):
            lines.pop()  # an unfinished last line is not part of the head yet
        digest = hashlib.sha256()
        for line in lines:
            digest.update(line.encode() + b"\n")
            if line.strip() and not line.startswith("#"):
                break
        return lines, digest.hexdigest()

    def _rewind(self) -> None:
        self._stream.seek(0)

    def skip(self, offset: int) -> None:
        """Continue after the first `offset` decompressed bytes (lines already imported)."""
        if self._stream is self._raw:
            self._raw.seek(offset)
            return
        left = offset
        while left > 0:
            got = self._stream.read(min(left, CHUNK_BYTES))
            if not got:
                break
            left -= len(got)

    def chunks(self, start: int = 0, first_line: int = 0) -> Iterator[Chunk]:
        """The rest of the file from decompressed offset `start` (where `skip` left it) as chunks
        of whole lines.

        A last line without a line end is read only from a compressed file (which is complete);
        in a plain file it may be a line the server is still writing, so it waits for the next
        import.
        """
        read = self._stream.read
        offset = start
        line_no = first_line
        tail = b""
        while True:
            data = read(CHUNK_BYTES)
            if not data:
                break
            data = tail + data if tail else data
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                tail = data
                continue
            tail = data[cut:]
            lines = _lines(data[:cut])
            offset += cut
            yield Chunk(lines, offset, line_no)
            line_no += len(lines)
        if tail and self._stream is not self._raw:
            yield Chunk(_lines(tail + b"\n"), offset + len(tail), line_no)

    def close(self) -> None:
        """Close the file."""
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()

    def __enter__(self) -> LogSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lines(block: bytes) -> list[str]:
    """A block of whole lines (ending with a line end) as str lines without their ends."""
    text = block.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    lines.pop()  # the empty string after the last line end
    return lines
