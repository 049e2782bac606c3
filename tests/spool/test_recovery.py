"""Spool recovery: a torn or corrupt tail is dropped on open; random histories survive reopen."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.spool import Spool
from footfall.spool.segment import HEADER, list_segments, segment_name


def last_segment(directory: Path) -> Path:
    return directory / segment_name(list_segments(directory)[-1])


def cut(n: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[:-n])

    return damage


def add(junk: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with path.open("ab") as f:
            f.write(junk)

    return damage


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


# (damage, records that survive of the 10 written)
DAMAGES = {
    "payload cut": (cut(3), 9),
    "header cut": (cut(len(b"last") + HEADER.size - 5), 9),
    "garbage": (add(b"\x07garbage that is not a record"), 10),
    "zero fill": (add(bytes(4096)), 10),
    "short junk": (add(b"\x01\x02"), 10),
    "bad crc": (flip_last_byte, 9),
}


@pytest.mark.parametrize("name", DAMAGES)
def test_torn_tail_is_dropped(tmp_path: Path, name: str) -> None:
    damage, survivors = DAMAGES[name]
    with Spool(tmp_path) as spool:
        spool.append([f"r{i}".encode() for i in range(1, 10)])
        spool.append([b"last"])
    damage(last_segment(tmp_path))
    with Spool(tmp_path) as spool:
        assert spool.last_seq == survivors
        assert spool.append([b"new"]) == survivors + 1
        records = spool.read(0)
    assert [s for s, _ in records] == list(range(1, survivors + 2))
    assert records[-1] == (survivors + 1, b"new")
    with Spool(tmp_path) as spool:  # the repaired log stays clean
        assert spool.read(0) == records


def test_torn_tail_in_fresh_segment(tmp_path: Path) -> None:
    with Spool(tmp_path, segment_bytes=100) as spool:
        spool.append([b"a" * 60])
        spool.append([b"b" * 60])  # rotates: segment 2
    add(b"\x03\x00")(last_segment(tmp_path))
    with Spool(tmp_path, segment_bytes=100) as spool:
        assert spool.last_seq == 2
        assert spool.append([b"c"]) == 3


def test_empty_last_segment_keeps_seq(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        spool.append([b"a", b"b"])
    (tmp_path / segment_name(3)).touch()  # a crash right after a rotation
    with Spool(tmp_path) as spool:
        assert spool.last_seq == 2
        assert spool.append([b"c"]) == 3
        assert spool.read(0) == [(1, b"a"), (2, b"b"), (3, b"c")]


histories = st.lists(st.lists(st.binary(max_size=300), max_size=12), max_size=25)


@settings(max_examples=60, deadline=None)
@given(before=histories, after=histories, segment_bytes=st.integers(64, 2048))
def test_random_histories_survive_reopen(
    before: list[list[bytes]], after: list[list[bytes]], segment_bytes: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        expected: list[bytes] = []
        for history in (before, after):
            with Spool(directory, segment_bytes=segment_bytes) as spool:
                assert spool.last_seq == len(expected)
                for batch in history:
                    assert spool.append(batch) == len(expected) + 1
                    expected.extend(batch)
        with Spool(directory, segment_bytes=segment_bytes) as spool:
            assert spool.last_seq == len(expected)
            got = spool.read(0, max_records=len(expected) + 1)
        assert got == list(enumerate(expected, start=1))
