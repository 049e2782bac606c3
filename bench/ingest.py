"""Ingestion benchmark: HTTP single hits, bulk end to end, pipeline throughput, collector latency.

Starts a real `footfall serve` on loopback, drives it from a separate load process (bench/load.py),
and writes the figures with the machine description into BENCHMARKS.md (between the markers of the
"ingest" section). Usage: `.venv/bin/python bench/ingest.py [--quick]`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402
from load import UAS  # noqa: E402

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402


def machine() -> str:
    """CPU model, cores, memory, OS and Python version."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except OSError:
        mem = "?"
    return f"{cpu}, {os.cpu_count()} cores, {mem} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def load(url: str, idsite: str, **kw: Any) -> dict[str, Any]:
    """Run bench/load.py in its own process and return its JSON result."""
    args = [sys.executable, str(ROOT / "bench" / "load.py"), "--url", url, "--idsite", idsite]
    for k, v in kw.items():
        args += [f"--{k}", str(v)]
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=600)
    return dict(json.loads(out.stdout))


def committed_rows(s: Server) -> float:
    return s.metrics().get('footfall_pipeline_rows_total{table="events"}', 0.0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its live child processes (the enrichment workers)."""
    total = cpu_seconds(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(OSError):  # it exited meanwhile
                total += tree_cpu_seconds(int(child))
    return total


def bulk_end_to_end(s: Server, idsite: str, hits: int, connections: int = 4) -> dict[str, Any]:
    """Send `hits` in bulk POSTs of 500, wait until all are committed; rates and costs.

    Fixed work rather than a fixed time: the collector acknowledges several times faster than
    the pipeline commits, so the figure is the pipeline's drain rate either way, and a fixed
    amount keeps runs comparable. On a shared machine wall time says as much about the
    neighbours as about us: the server's own CPU time per event is the steadier A/B figure.
    """
    assert s.proc is not None
    pid = s.proc.pid
    before, m0 = committed_rows(s), s.metrics()
    cpu_before, tree_before = cpu_seconds(pid), tree_cpu_seconds(pid)
    started = time.perf_counter()
    bulk = load(
        s.url + "/matomo.php",
        idsite,
        connections=connections,
        seconds=3600,
        bulk=500,
        requests=hits // 500,
    )
    sent = time.perf_counter() - started
    s.wait_idle(1800)
    took = time.perf_counter() - started
    m1 = s.metrics()
    events = committed_rows(s) - before
    bulk["end_to_end_events_per_s"] = round(events / took, 1)
    bulk["drain_seconds"] = round(took - sent, 2)
    cpu = cpu_seconds(pid) - cpu_before
    tree = tree_cpu_seconds(pid) - tree_before
    # the server process (collector, pipeline thread, DuckDB) and with its enrichment workers
    bulk["server_cpu_us_per_event"] = round(cpu / max(events, 1) * 1e6, 1)
    bulk["server_and_workers_cpu_us_per_event"] = round(tree / max(events, 1) * 1e6, 1)
    key = 'footfall_pipeline_rows_total{table="sessions"}'
    bulk["session_rows_per_event"] = round((m1.get(key, 0) - m0.get(key, 0)) / max(events, 1), 3)
    flushes = m1.get("footfall_pipeline_flushes_total", 0) - m0.get(
        "footfall_pipeline_flushes_total", 0
    )
    bulk["events_per_flush"] = round(events / max(flushes, 1))
    return bulk


def bench_http(seconds: float, bulk_hits: int) -> dict[str, Any]:
    """Single GETs (closed loop), latency at 1,000 hits/s (open loop), bulk end to end."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        p = provision(Path(tmp) / "data")
        s = Server(p.data_dir)
        s.start()
        try:
            results["single"] = load(
                s.url + "/matomo.php", p.app_id, connections=32, seconds=seconds
            )
            s.wait_idle(120)
            results["latency_1000"] = load(
                s.url + "/matomo.php", p.app_id, connections=16, seconds=seconds, rate=1000
            )
            s.wait_idle(120)
            results["bulk"] = bulk_end_to_end(s, p.app_id, bulk_hits)
        finally:
            s.stop()
    return results


PIPELINE_SITE = "5f0c4b2e-8a4e-4d8a-9d0e-4f4b1d1a2b3c"


def pipeline_payloads(n: int) -> list[bytes]:
    """`n` encoded spool records of the pipeline benchmarks: page views over the last hour from
    20k visitors (random /16s), 36 user agents, 500 pages, three referrers."""
    from footfall.model.record import RawRecord

    rnd = random.Random(3)
    t0 = time.time() - 3600
    payloads = []
    for i in range(n):
        params = {
            "idsite": PIPELINE_SITE,
            "rec": "1",
            "url": f"https://shop.example.com/p/{rnd.randint(1, 500)}",
            "urlref": rnd.choice(["", "https://www.google.com/", "https://news.example.org/a"]),
            "_id": f"{rnd.randint(1, 20000):016x}",
            "res": "1920x1080",
            "cdt": str(t0 + i * 3600 / n),
        }
        rec = RawRecord(
            PIPELINE_SITE,
            params,
            time.time(),
            ip=f"81.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.9",
            user_agent=rnd.choice(UAS),
            trusted=True,
            protocol="ppms",
        )
        payloads.append(rec.encode())
    return payloads


def bench_pipeline(n: int, workers: int = 0) -> dict[str, Any]:
    """The pipeline alone over a pre-filled spool, 36 distinct user agents over 20k visitors."""
    from footfall.model.directory import StaticDirectory
    from footfall.model.settings import AppSettings
    from footfall.pipeline.runner import Pipeline
    from footfall.pipeline.steps import StepConfig, default_steps
    from footfall.pipeline.steps.timing import StepTimer
    from footfall.pipeline.workers import WorkerSpec, enrich
    from footfall.spool.log import Spool
    from footfall.store import open_store

    site = PIPELINE_SITE
    with tempfile.TemporaryDirectory() as tmp:
        spool = Spool(Path(tmp) / "spool")
        payloads = pipeline_payloads(n)
        for i in range(0, n, 10_000):
            spool.append(payloads[i : i + 10_000])
        store = open_store(f"duckdb:///{Path(tmp) / 'events.duckdb'}")
        store.migrate()
        config = StepConfig(geoip_mmdb="", device_cache_size=50_000, secret_key=b"k" * 32)
        apps = [AppSettings(website_id=site, alias=1)]
        pipe = Pipeline(
            spool,
            store,
            StaticDirectory(apps),
            default_steps(config),
            flush_max_rows=50_000,
            workers=(
                WorkerSpec(config, functools.partial(StaticDirectory, apps), workers)
                if workers
                else None
            ),
        )
        # warm the user-agent cache and tune the GC the way a running server has them (the
        # steps only: sessions stored now would be restored, one query each, by `start`)
        for seq, payload in spool.read(0, 2000):
            enrich(seq, payload, pipe.directory, pipe.steps, StepTimer(pipe.steps))
        from footfall.app import tune_gc

        tune_gc()
        from footfall import telemetry

        if workers:  # started and warmed (their own user-agent caches) like a busy server's
            pipe.start_workers(wait=300)
            assert pipe._pool is not None
            pipe._pool.submit(spool.read(0, 2000))
            pipe._pool.take()
        sessions_before = telemetry.value("footfall_pipeline_rows_total", table="sessions")
        started, cpu_started = time.perf_counter(), time.process_time()
        tree_started = tree_cpu_seconds(os.getpid())
        # the pipeline's own threads, as a server runs it (reader/sessionizer and writer)
        pipe.start()
        pipe.wait_until_committed(spool.last_seq, timeout=3600)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        tree = tree_cpu_seconds(os.getpid()) - tree_started
        pipe.stop()
        processed = spool.last_seq
        sessions = telemetry.value("footfall_pipeline_rows_total", table="sessions")
        sessions -= sessions_before
        store.close()
        spool.close()
    return {
        "events": processed,
        "seconds": round(took, 3),
        "events_per_s": round(processed / took, 1),
        # why: the machine is shared; CPU time per event (DuckDB's threads included) is the
        # steadier figure for comparing two versions
        "cpu_us_per_event": round(cpu / processed * 1e6, 1),
        "workers": workers,
        "with_workers_cpu_us_per_event": round(tree / processed * 1e6, 1),
        "session_rows_per_event": round(sessions / processed, 3),
    }


def write_markdown(r: dict[str, Any]) -> None:
    """Replace the ingest section of BENCHMARKS.md."""
    h = r["http"]
    section = f"""<!-- ingest:start -->
## Ingestion (`bench/ingest.py`)

Run on {r["date"]}: {r["machine"]}; 1-minute load average at the end {r["load_average_1m_at_end"]} (the
machine is shared: above 2 the figures measure the neighbours as much as the code). Server:
`footfall serve`, default settings (`process` durability, 200 ms flush, enrichment workers:
{r["pipeline"]["workers"]}). Load: `bench/load.py` in a separate process, keep-alive connections
on loopback. The pipeline-alone figure runs the pipeline's own threads over a pre-filled spool as
a server does (200 ms flushes, backlog rules); CPU per event counts this process (and workers).

| figure | result | floor |
|---|---|---|
| single GET hits/s over HTTP (32 connections, {h["single"]["seconds"]} s) | {h["single"]["hits_per_s"]:,.0f} | 5,000 |
| bulk hits/s acknowledged (500 hits per POST, 4 connections) | {h["bulk"]["hits_per_s"]:,.0f} | |
| bulk events/s end to end into DuckDB ({h["bulk"]["hits"]:,} hits, send until committed) | {h["bulk"]["end_to_end_events_per_s"]:,.0f} | 50,000 |
| … server CPU per event / session rows per event / events per transaction | {h["bulk"]["server_cpu_us_per_event"]} µs / {h["bulk"]["session_rows_per_event"]} / {h["bulk"]["events_per_flush"]:,} | |
| pipeline events/s alone (spool → steps → sessionizer → DuckDB; 36 user agents, 20k visitors) | {r["pipeline"]["events_per_s"]:,.0f} ({r["pipeline"]["with_workers_cpu_us_per_event"]} µs CPU per event, {r["pipeline"]["session_rows_per_event"]} session rows per event) | |
| collector latency p50 / p99 at 1,000 hits/s | {h["latency_1000"]["p50_ms"]} ms / {h["latency_1000"]["p99_ms"]} ms | p99 < 10 ms |
| single GET latency p50 / p99 under full load | {h["single"]["p50_ms"]} ms / {h["single"]["p99_ms"]} ms | |

Raw results: `{json.dumps(r, sort_keys=True)}`
<!-- ingest:end -->"""
    put_section("ingest", section)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="shorter runs (for a smoke check)")
    ap.add_argument(
        "--no-write", action="store_true", help="print only, do not update BENCHMARKS.md"
    )
    ap.add_argument(
        "--pipeline-only", type=int, metavar="N", help="only the pipeline figure over N records"
    )
    ap.add_argument(
        "--workers", type=int, default=-1, help="enrichment worker processes (-1: the server's)"
    )
    a = ap.parse_args()
    from footfall.app import enrichment_workers

    a.workers = enrichment_workers(a.workers)
    if a.pipeline_only:
        print(json.dumps(bench_pipeline(a.pipeline_only, a.workers)))
        sys.exit(0)
    res: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    res["pipeline"] = bench_pipeline(20_000 if a.quick else 200_000, a.workers)
    res["http"] = bench_http(3 if a.quick else 10, 100_000 if a.quick else 1_000_000)
    # why: the machine may be shared; the load at the end says how much the figures can be trusted
    res["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
    print(json.dumps(res, indent=2))
    if not a.no_write:
        write_markdown(res)
