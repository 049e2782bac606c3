"""Bulk end to end only: `footfall serve` on loopback, bulk POSTs for a while, wait until committed.

The quick A/B figure for ingestion work (bench/ingest.py runs it among the other figures).
Prints the load generator's figures plus the end-to-end rate and the server's CPU time per event.
Usage: `.venv/bin/python bench/bulk.py [--seconds 10 | --hits N] [--profile OUT.raw]`; with --profile the
server is sampled by py-spy (when installed) for the whole run, in collapsed-stack form.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import committed_rows, load  # noqa: E402

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Run one bulk end-to-end measurement and print it as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument(
        "--hits", type=int, default=0, help="send this many hits (fixed work), not --seconds"
    )
    ap.add_argument("--profile", help="write py-spy samples of the server here")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        p = provision(Path(tmp) / "data")
        s = Server(p.data_dir)
        s.start()
        spy = None
        try:
            if a.profile and s.proc is not None:
                spy_bin = str(Path(sys.executable).parent / "py-spy")
                pid = str(s.proc.pid)
                spy = subprocess.Popen(
                    [spy_bin, "record", "-r", "100", "-f", "raw", "-o", a.profile, "--pid", pid],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            assert s.proc is not None
            before, cpu_before = committed_rows(s), cpu_seconds(s.proc.pid)
            m0 = s.metrics()
            started = time.perf_counter()
            bulk = load(
                s.url + "/matomo.php",
                p.app_id,
                connections=a.connections,
                seconds=a.seconds,
                bulk=500,
                requests=a.hits // 500,
            )
            sent = time.perf_counter() - started
            s.wait_idle(300)
            took = time.perf_counter() - started
            events = committed_rows(s) - before
            # why: on a shared machine wall time says as much about the neighbours as about us;
            # the server's own CPU time per event is the steadier A/B figure
            cpu = cpu_seconds(s.proc.pid) - cpu_before
            bulk["server_cpu_us_per_event"] = round(cpu / max(events, 1) * 1e6, 1)
            m1 = s.metrics()
            for key, name in (
                ('footfall_pipeline_rows_total{table="sessions"}', "session_rows_per_event"),
                ("footfall_pipeline_flushes_total", "flushes_per_1k_events"),
            ):
                scale = 1000 if name.startswith("flushes") else 1
                bulk[name] = round((m1.get(key, 0) - m0.get(key, 0)) * scale / max(events, 1), 3)
            bulk["drain_seconds"] = round(took - sent, 2)
            bulk["end_to_end_events_per_s"] = round(events / took, 1)
        finally:
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
            s.stop()
    print(json.dumps(bulk))


if __name__ == "__main__":
    main()
