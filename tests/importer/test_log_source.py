"""Reading logs in chunks: compression, line ends, resuming, fingerprints."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from footfall.importer.source import LogSource

LINES = [f"line {i} " + "x" * (i % 50) for i in range(2000)]


def write(path: Path, text: str) -> Path:
    data = text.encode()
    if path.suffix == ".gz":
        data = gzip.compress(data)
    elif path.suffix == ".bz2":
        data = bz2.compress(data)
    path.write_bytes(data)
    return path


def read_all(source: LogSource, start: int = 0) -> list[str]:
    return [line for chunk in source.chunks(start) for line in chunk.lines]


@pytest.mark.parametrize("name", ["a.log", "a.log.gz", "a.log.bz2"])
def test_every_line_once_whatever_the_compression(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, "\r\n".join(LINES) + "\r\n")
    with LogSource(path) as source:
        head, _ = source.head()
        assert head[:2] == LINES[:2]
        assert read_all(source) == LINES
        assert source.position == path.stat().st_size


def test_resume_after_an_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "a.log.gz", "\n".join(LINES) + "\n")
    with LogSource(path) as source:
        chunks = list(source.chunks())
    offset = len(("\n".join(LINES[:700]) + "\n").encode())
    with LogSource(path) as source:
        source.skip(offset)
        assert read_all(source, offset) == LINES[700:]
    assert chunks[-1].end == path.stat().st_size or chunks[-1].end > offset


def test_an_unfinished_last_line_waits_in_a_plain_file_only(tmp_path: Path) -> None:
    plain = write(tmp_path / "a.log", "one\ntwo\nthr")
    with LogSource(plain) as source:
        assert read_all(source) == ["one", "two"]
    packed = write(tmp_path / "a.log.gz", "one\ntwo\nthr")
    with LogSource(packed) as source:
        assert read_all(source) == ["one", "two", "thr"]


def test_fingerprint_survives_growth_but_not_another_log(tmp_path: Path) -> None:
    path = write(tmp_path / "a.log", "#Software: X\n#Fields: a b\n" + "\n".join(LINES[:3]) + "\n")
    with LogSource(path) as source:
        _, before = source.head()
    with path.open("a") as f:
        f.write("\n".join(LINES[3:]) + "\n")
    with LogSource(path) as source:
        _, after = source.head()
    other = write(tmp_path / "b.log", "#Software: X\n#Fields: a b\n" + "\n".join(LINES[1:3]) + "\n")
    with LogSource(other) as source:
        _, different = source.head()
    assert before == after != different
