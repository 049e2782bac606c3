"""kill -9 right after acknowledgments loses none of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from footfall.spool import Spool

CHILD = """
import sys
from pathlib import Path
from footfall.spool import Spool

spool = Spool(Path(sys.argv[1]), durability=sys.argv[2], segment_bytes=16384)
i = 0
while True:
    i += 1
    seq = spool.append([f"record-{i}-".encode() * (i % 5)])
    sys.stdout.write(f"{seq}\\n")
    sys.stdout.flush()
"""


def payload(i: int) -> bytes:
    return f"record-{i}-".encode() * (i % 5)


# Fewer acknowledgments in fsync mode: each one waits for the disk.
@pytest.mark.parametrize(("durability", "acks"), [("process", 1000), ("fsync", 300)])
def test_kill_9_loses_no_acknowledged_record(tmp_path: Path, durability: str, acks: int) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), durability],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        acked = [int(child.stdout.readline()) for _ in range(acks)]
    finally:
        child.kill()  # SIGKILL: no cleanup, no flush, no close
        child.wait(timeout=30)
        child.stdout.close()
    assert acked == list(range(1, acks + 1))
    with Spool(tmp_path, durability=durability) as spool:
        assert spool.last_seq >= acks
        records = spool.read(0, max_records=spool.last_seq)
    # Every acknowledged record is there, and so is every later one that made it to disk.
    assert records == [(i, payload(i)) for i in range(1, len(records) + 1)]
