"""Spool: append/read round trips, segment rotation, reopen, release, threads, wait."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from footfall import telemetry
from footfall.spool import Spool, SpoolError
from footfall.spool.segment import list_segments


def payload(i: int) -> bytes:
    return f"record-{i}-".encode() * (i % 5)


def test_round_trip(tmp_path: Path) -> None:
    with Spool(tmp_path / "spool") as spool:
        assert spool.last_seq == 0
        assert spool.read(0) == []
        assert spool.append([b"a", b"", b"ccc"]) == 1
        assert spool.append([b"d"]) == 4
        assert spool.last_seq == 4
        assert spool.read(0) == [(1, b"a"), (2, b""), (3, b"ccc"), (4, b"d")]
        assert spool.read(2, max_records=1) == [(3, b"ccc")]
        assert spool.read(4) == []
        assert telemetry.value("footfall_spool_last_seq") == 4


def test_empty_append_writes_nothing(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        assert spool.append([]) == 1
        assert spool.last_seq == 0
        assert spool.append([b"x"]) == 1


def test_seqs_dense_across_rotation(tmp_path: Path) -> None:
    with Spool(tmp_path, segment_bytes=500) as spool:
        for i in range(1, 201):
            assert spool.append([payload(i)]) == i
        spool.append([payload(i) for i in range(201, 251)])  # a batch bigger than a segment
        assert len(list_segments(tmp_path)) > 10
        assert spool.read(0, max_records=1000) == [(i, payload(i)) for i in range(1, 251)]


@pytest.mark.parametrize("after", [0, 1, 7, 49, 50, 51, 120, 199, 200])
def test_read_from_any_position(tmp_path: Path, after: int) -> None:
    with Spool(tmp_path, segment_bytes=300) as spool:
        spool.append([payload(i) for i in range(1, 101)])
        for i in range(101, 201):
            spool.append([payload(i)])
        got = spool.read(after, max_records=30)
        assert got == [(i, payload(i)) for i in range(after + 1, min(after + 31, 201))]


def test_tail_reads_in_small_pages(tmp_path: Path) -> None:
    with Spool(tmp_path, segment_bytes=1000) as spool:
        spool.append([payload(i) for i in range(1, 301)])
        seen: list[tuple[int, bytes]] = []
        while page := spool.read(seen[-1][0] if seen else 0, max_records=7):
            seen.extend(page)
        assert seen == [(i, payload(i)) for i in range(1, 301)]


def test_large_records(tmp_path: Path) -> None:
    big = bytes(range(256)) * 9000  # bigger than a read chunk and than a segment
    with Spool(tmp_path, segment_bytes=1 << 20) as spool:
        spool.append([b"small", big, b"after"])
        spool.append([big])
        assert spool.read(0) == [(1, b"small"), (2, big), (3, b"after"), (4, big)]
    with Spool(tmp_path) as spool:
        assert spool.last_seq == 4
        assert spool.read(3) == [(4, big)]


def test_reopen_recovers_last_seq(tmp_path: Path) -> None:
    with Spool(tmp_path, segment_bytes=400) as spool:
        spool.append([payload(i) for i in range(1, 61)])
    with Spool(tmp_path, segment_bytes=400) as spool:
        assert spool.last_seq == 60
        assert spool.append([b"next"]) == 61
        assert spool.read(58) == [(59, payload(59)), (60, payload(60)), (61, b"next")]


def test_release_deletes_consumed_segments_only(tmp_path: Path) -> None:
    with Spool(tmp_path, segment_bytes=1000) as spool:
        spool.append([b"x" * 100] * 8)  # 116 bytes a record: 8 per segment
        spool.append([b"y" * 100] * 8)
        spool.append([b"z" * 100] * 8)
        assert list_segments(tmp_path) == [1, 9, 17]
        spool.release(12)  # segment 9 still holds 13..16
        assert list_segments(tmp_path) == [9, 17]
        assert spool.read(0)[0][0] == 9
        spool.release(16)
        assert list_segments(tmp_path) == [17]
        spool.release(1000)  # never the active segment
        assert list_segments(tmp_path) == [17]
        assert spool.stats() == {
            "segments": 1,
            "bytes": 8 * 116,
            "last_seq": 24,
            "released_seq": 24,
            "fsyncs": 0,
        }
        assert spool.append([b"w"]) == 25
    with Spool(tmp_path) as spool:
        assert spool.stats()["released_seq"] == 16
        assert [s for s, _ in spool.read(0)] == list(range(17, 26))


def test_concurrent_appends_and_reads(tmp_path: Path) -> None:
    threads, per_thread = 8, 300
    with Spool(tmp_path, segment_bytes=4096) as spool:
        firsts: list[int] = []
        seen: list[tuple[int, bytes]] = []

        def write(t: int) -> None:
            for i in range(per_thread):
                batch = [f"{t}:{i}:{j}".encode() for j in range(i % 3 + 1)]
                firsts.append(spool.append(batch))

        def tail() -> None:
            while len(seen) < total:
                spool.wait(seen[-1][0] if seen else 0, timeout=0.1)
                seen.extend(spool.read(seen[-1][0] if seen else 0, max_records=50))

        total = threads * sum(i % 3 + 1 for i in range(per_thread))
        workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
        reader = threading.Thread(target=tail)
        for w in [reader, *workers]:
            w.start()
        for w in [*workers, reader]:
            w.join(timeout=60)
        assert len(set(firsts)) == threads * per_thread
        assert spool.last_seq == total
        assert [s for s, _ in seen] == list(range(1, total + 1))
        assert len({p for _, p in seen}) == total
        assert seen == spool.read(0, max_records=total)


def test_wait_wakes_up(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        started = time.monotonic()
        assert spool.wait(0, timeout=0.05) is False
        assert time.monotonic() - started >= 0.04
        timer = threading.Timer(0.05, spool.append, args=([b"x"],))
        timer.start()
        assert spool.wait(0, timeout=10) is True
        assert time.monotonic() - started < 5
        assert spool.wait(0, timeout=0) is True
        timer.join()


def test_directory_is_locked_and_close_is_final(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    with pytest.raises(SpoolError):
        Spool(tmp_path)
    spool.close()
    spool.close()
    with pytest.raises(SpoolError):
        spool.append([b"x"])
    with pytest.raises(SpoolError):
        spool.read(0)
    Spool(tmp_path).close()


def test_invalid_options(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Spool(tmp_path, durability="sometimes")
    with pytest.raises(ValueError):
        Spool(tmp_path, segment_bytes=0)
