"""fsync durability: group commit from threads and from asyncio."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from footfall.spool import Spool


def test_fsync_group_commit_from_threads(tmp_path: Path) -> None:
    threads, per_thread = 16, 40
    with Spool(tmp_path, durability="fsync", segment_bytes=2048) as spool:
        firsts: list[int] = []
        barrier = threading.Barrier(threads)

        def write(t: int) -> None:
            barrier.wait()
            for i in range(per_thread):
                seq = spool.append([f"{t}:{i}".encode()])
                assert spool.last_seq >= seq  # acknowledged means visible
                firsts.append(seq)

        workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=60)
        total = threads * per_thread
        assert sorted(firsts) == list(range(1, total + 1))
        assert spool.stats()["fsyncs"] < total  # callers shared fsyncs
        assert len({p for _, p in spool.read(0)}) == total
    with Spool(tmp_path, durability="fsync") as spool:
        assert spool.last_seq == total


def test_fsync_group_commit_from_asyncio(tmp_path: Path) -> None:
    async def main(spool: Spool) -> list[int]:
        batches = [[f"{i}:{j}".encode() for j in range(i % 3)] for i in range(300)]
        return await asyncio.gather(*(spool.append_async(b) for b in batches))

    with Spool(tmp_path, durability="fsync", segment_bytes=1024) as spool:
        firsts = asyncio.run(main(spool))
        total = sum(i % 3 for i in range(300))
        assert spool.last_seq == total
        assert spool.stats()["fsyncs"] < 100
        records = spool.read(0)
        assert [s for s, _ in records] == list(range(1, total + 1))
        for i, first in enumerate(firsts):
            for j in range(i % 3):
                assert records[first + j - 1] == (first + j, f"{i}:{j}".encode())


def test_append_async_in_process_mode(tmp_path: Path) -> None:
    async def main(spool: Spool) -> list[int]:
        return [await spool.append_async([b"a", b"b"]), await spool.append_async([b"c"])]

    with Spool(tmp_path) as spool:
        assert asyncio.run(main(spool)) == [1, 3]
        assert spool.read(0) == [(1, b"a"), (2, b"b"), (3, b"c")]


def test_fsync_mixed_threads_and_asyncio(tmp_path: Path) -> None:
    async def main(spool: Spool) -> None:
        await asyncio.gather(*(spool.append_async([b"async"]) for _ in range(200)))

    with Spool(tmp_path, durability="fsync", segment_bytes=512) as spool:
        workers = [
            threading.Thread(target=lambda: [spool.append([b"thread"]) for _ in range(50)])
            for _ in range(4)
        ]
        for w in workers:
            w.start()
        asyncio.run(main(spool))
        for w in workers:
            w.join(timeout=60)
        assert spool.last_seq == 400
        assert len(spool.read(0)) == 400
