"""CPU per ingested event, stage by stage, against the 50,000 events/s budget on 2 cores.

At 50,000 events/s two cores give 40 µs of CPU per event for everything on the machine, and a
stage that must run in one process (one sessionizer state, one DuckDB writer) gets at most one
core: 20 µs. This script runs each stage of the ingest path over the pipeline benchmark's records
(`bench/ingest.py`: page views of 20k visitors, 36 user agents) in one thread and measures its CPU
time (`time.process_time`, DuckDB's own threads included), so the sum says how far the code is
from the budget whatever the process layout.

`--mypyc` compiles the hot modules of a copy of `src/` with mypyc (needs mypy from the dev extras
and a C compiler), reruns the measurement against it and puts both columns side by side.
Writes the `budget` section of BENCHMARKS.md unless `--no-write`.
Usage: `.venv/bin/python bench/budget.py [--events N] [--batch N] [--mypyc] [--no-write]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
TARGET_EVENTS_PER_S = 50_000
BACKLOG_STALENESS = 5.0  # Pipeline.backlog_staleness: how long an active session's row may lag
BUDGET_TOTAL_US = 40.0  # 2 cores / 50,000 events/s
BUDGET_SERIAL_US = 20.0  # 1 core / 50,000 events/s

#: (stage, where it can run): "" any process; "state" the one thread holding the open sessions
#: (a visitor's hits must meet one state); "writer" the one DuckDB connection (native threads).
STAGES: list[tuple[str, str]] = [
    ("collector: bulk body → records (ASGI, 500 objects per POST)", ""),
    ("spool append (`process` durability)", ""),
    ("spool read + decode + parse", ""),
    ("enrichment steps", ""),
    ("visitor-history prefetch", "state"),
    ("sessionizer (incl. event rows)", "state"),
    ("session rows (`drain_dirty`)", "state"),
    ("Arrow conversion, events", ""),
    ("Arrow conversion, sessions", ""),
    ("DuckDB insert + session upsert + commit", "writer"),
]

#: What `--mypyc` compiles: the per-event path. `put_geo` is left out (mypyc cannot compile its
#: exception class deriving from RuntimeError); the rest of the package stays interpreted.
MYPYC_MODULES = [
    "collect/params.py",
    "collect/values.py",
    "model/columns.py",
    "model/directory.py",
    "model/hit.py",
    "model/reasons.py",
    "model/record.py",
    "model/settings.py",
    "pipeline/sessions/goals.py",
    "pipeline/sessions/identity.py",
    "pipeline/sessions/rows.py",
    "pipeline/sessions/sessionizer.py",
    "pipeline/sessions/state.py",
    "pipeline/sessions/timings.py",
    "pipeline/sessions/visitors.py",
    "pipeline/steps/_shared.py",
    "pipeline/steps/anonymize.py",
    "pipeline/steps/classify.py",
    "pipeline/steps/consent.py",
    "pipeline/steps/drop_bot.py",
    "pipeline/steps/drop_excluded.py",
    "pipeline/steps/normalize_url.py",
    "pipeline/steps/put_campaign.py",
    "pipeline/steps/put_custom_dimensions.py",
    "pipeline/steps/put_device.py",
    "pipeline/steps/put_referrer.py",
    "pipeline/steps/put_site_search.py",
    "pipeline/steps/timing.py",
    "store/arrow.py",
    "store/base.py",
]


class Clock:
    """CPU seconds per stage."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {name: 0.0 for name, _ in STAGES}

    def run(self, stage: str, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(*args)`, its CPU time counted to `stage`."""
        t = time.process_time()
        result = fn(*args)
        self.cpu[stage] += time.process_time() - t
        return result


def collector_us(items: int, posts: int) -> float:
    """CPU µs per item of log-importer bulk bodies through the collector (null spool)."""
    from parse import bulk_body, collector, post_once  # bench/parse.py

    app = collector()
    body = bulk_body(items)
    for _ in range(3):
        assert post_once(app, "/ppms.php", body) < 300
    t = time.process_time()
    for _ in range(posts):
        post_once(app, "/ppms.php", body)
    return (time.process_time() - t) / (posts * items) * 1e6


def measure(events: int, batch: int) -> dict[str, Any]:
    """Run every stage over `events` records in batches of `batch`; CPU µs per event by stage."""
    from ingest import PIPELINE_SITE, pipeline_payloads  # bench/ingest.py

    import footfall
    from footfall.app import tune_gc
    from footfall.collect.params import parse_hit
    from footfall.model.record import RawRecord
    from footfall.model.settings import AppSettings
    from footfall.pipeline.sessions.sessionizer import Sessionizer
    from footfall.pipeline.steps import StepConfig, default_steps
    from footfall.spool.log import Spool
    from footfall.store import open_store
    from footfall.store.base import latest_versions
    from footfall.store.duckdb import schema

    payloads = pipeline_payloads(events)
    app = AppSettings(website_id=PIPELINE_SITE, alias=1)
    steps = default_steps(StepConfig(geoip_mmdb="", device_cache_size=50_000, secret_key=b"k" * 32))
    clock = Clock()
    names = [name for name, _ in STAGES]
    per_item = collector_us(500, max(4, events // 5000))
    with tempfile.TemporaryDirectory(prefix="footfall-budget-") as tmp:
        spool = Spool(Path(tmp) / "spool")
        store = open_store(f"duckdb:///{Path(tmp) / 'events.duckdb'}")
        store.migrate()

        def parsed(records: list[tuple[int, bytes]]) -> list[Any]:
            return [parse_hit(RawRecord.decode(payload, seq)) for seq, payload in records]

        def enriched(hits: list[Any]) -> list[Any]:
            """(hit, app) of the hits no step dropped."""
            ready = []
            for hit in hits:
                for step in steps:
                    if step(hit, app) is not None:
                        break
                else:
                    ready.append((hit, app))
            return ready

        # warm the device-detector cache as a running server has it (a cold parse is ~34 ms)
        enriched(parsed(list(enumerate(payloads[:3000], 1))))
        tune_gc()
        # processing time as if the events arrived at the target rate: how often an active
        # session's row is rewritten (the backlog staleness of 5 s) then does not depend on how
        # fast this machine happens to be
        done = [0]
        sessionizer = Sessionizer(
            history=store.visitor_history, clock=lambda: done[0] / TARGET_EVENTS_PER_S
        )

        def read_parsed(after: int, size: int) -> list[Any]:
            return parsed(spool.read(after, size))

        def sessionize(ready: list[Any]) -> list[Any]:
            rows: list[Any] = []
            for hit, settings in ready:
                rows.extend(sessionizer.add(hit, settings)[0])
            return rows

        stored = session_rows = 0
        for start in range(0, events, batch):
            chunk = payloads[start : start + batch]
            clock.run(names[1], spool.append, chunk)
            hits = clock.run(names[2], read_parsed, start, len(chunk))
            ready = clock.run(names[3], enriched, hits)
            clock.run(names[4], sessionizer.prefetch, ready, store.visitor_histories)
            rows = clock.run(names[5], sessionize, ready)
            # a batch stands for one flush of a backlogged server
            sessions = clock.run(names[6], sessionizer.drain_dirty, BACKLOG_STALENESS)
            latest = latest_versions(sessions) if sessions else []
            arrow_before = clock.cpu[names[7]] + clock.cpu[names[8]]
            clock.run(names[7], schema.to_arrow, "events", rows)
            if latest:
                clock.run(names[8], schema.to_arrow, "sessions", latest)
            arrow = clock.cpu[names[7]] + clock.cpu[names[8]] - arrow_before
            # store.write converts the rows to Arrow again: this batch's conversions are taken off
            t = time.process_time()
            store.write(rows, sessions, start + len(chunk))
            clock.cpu[names[9]] += max(time.process_time() - t - arrow, 0.0)
            spool.release(start + len(chunk))
            done[0] = start + len(chunk)
            stored += len(rows)
            session_rows += len(latest)
        counted = store.execute("SELECT count(*) FROM events")[0][0]
        store.close()
        spool.close()
    assert counted == stored == events, (counted, stored, events)
    stages = {name: round(cpu / events * 1e6, 2) for name, cpu in clock.cpu.items()}
    stages[names[0]] = round(per_item, 2)
    compiled = footfall.pipeline.sessions.sessionizer.__file__.endswith(".so")  # type: ignore[attr-defined]
    return {
        "events": events,
        "batch": batch,
        "session_rows_per_event": round(session_rows / events, 3),
        "compiled": compiled,
        "stages_us": stages,
    }


def build_mypyc(workdir: Path) -> Path:
    """A copy of src/ with MYPYC_MODULES compiled in place; returns the directory for PYTHONPATH."""
    src = workdir / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copy(ROOT / "pyproject.toml", workdir)  # the mypy settings (found from src/ upwards)
    (workdir / "setup.py").write_text(
        "import sys\nfrom setuptools import setup\nfrom mypyc.build import mypycify\n"
        "setup(name='footfall-mypyc', packages=[],"
        " ext_modules=mypycify(sys.argv.pop().split(','), opt_level='3'))\n"
    )
    modules = ",".join(f"footfall/{m}" for m in MYPYC_MODULES)
    command = [sys.executable, "../setup.py", "build_ext", "--inplace", modules]
    print(f"compiling {len(MYPYC_MODULES)} modules with mypyc…", file=sys.stderr, flush=True)
    t = time.monotonic()
    done = subprocess.run(command, cwd=src, capture_output=True, text=True)
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:]
        sys.exit(f"mypyc build failed (needs mypy and a C compiler):\n{output}")
    print(f"  built in {time.monotonic() - t:.0f} s", file=sys.stderr)
    return src


def measure_in(pythonpath: Path, events: int, batch: int) -> dict[str, Any]:
    """`measure` in a child interpreter importing footfall from `pythonpath`."""
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    command = [sys.executable, __file__, "--events", str(events), "--batch", str(batch), "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the measurement failed:\n{done.stderr[-3000:]}")
    return orjson.loads(done.stdout)  # type: ignore[no-any-return]


def bounds(stages: dict[str, float]) -> tuple[float, float, float]:
    """(total µs, the sessions thread's µs, events/s 2 cores could reach with perfect parallelism)."""
    where = dict(STAGES)
    total = sum(stages.values())
    serial = sum(us for name, us in stages.items() if where[name] == "state")
    return total, serial, min(2e6 / total, 1e6 / serial)


def render(results: dict[str, dict[str, Any]], machine: str, load: float) -> str:
    """The BENCHMARKS.md section."""
    runs = list(results.items())
    first = runs[0][1]
    heads = " | ".join(f"{label} µs" for label, _ in runs)
    lines = [
        "<!-- budget:start -->",
        "## CPU per event against the 50,000 events/s budget (`bench/budget.py`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}: {machine}; 1-minute load average at the end "
        f"{load:.1f}. Each stage runs in one thread over {first['events']:,} page views "
        f"(20k visitors, 36 user agents) in batches of {first['batch']:,}; CPU time by "
        "`time.process_time` (DuckDB's threads included). Where: *state* runs in the one thread "
        "holding the open sessions (every hit of a visitor must meet the same state), *writer* "
        "on the one DuckDB connection (its native threads can use both cores), the rest in any "
        "number of processes.",
        "",
        f"| stage | where | {heads} |",
        "|---|---|" + "---|" * len(runs),
    ]
    for name, where in STAGES:
        cells = " | ".join(f"{run['stages_us'][name]:.1f}" for _, run in runs)
        lines.append(f"| {name} | {where} | {cells} |")
    totals = [bounds(run["stages_us"]) for _, run in runs]
    lines += [
        f"| **total** (budget {BUDGET_TOTAL_US:.0f} µs) | | "
        + " | ".join(f"**{t:.1f}**" for t, _, _ in totals)
        + " |",
        f"| **sessions thread** (budget {BUDGET_SERIAL_US:.0f} µs: one core) | | "
        + " | ".join(f"**{s:.1f}**" for _, s, _ in totals)
        + " |",
        "| events/s 2 cores could reach with perfect parallelism and no load generator | | "
        + " | ".join(f"{r:,.0f}" for _, _, r in totals)
        + " |",
        "",
        f"Session rows written per event: {first['session_rows_per_event']}. Not counted: the "
        "load generator and HTTP parsing (uvicorn), which share the same two cores in the "
        "end-to-end benchmark.",
        "",
        f"Raw results: `{orjson.dumps(results, option=orjson.OPT_SORT_KEYS).decode()}`",
        "<!-- budget:end -->",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=600_000, help="records to ingest")
    parser.add_argument(
        "--batch",
        type=int,
        default=20_000,
        help="records per batch (one flush; a backlogged server commits ~18k)",
    )
    parser.add_argument("--mypyc", action="store_true", help="also measure a mypyc-compiled copy")
    parser.add_argument("--json", action="store_true", help="print the raw measurement only")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if args.json:
        sys.stdout.write(orjson.dumps(measure(args.events, args.batch)).decode())
        return
    results = {"interpreted": measure_in(ROOT / "src", args.events, args.batch)}
    if args.mypyc:
        with tempfile.TemporaryDirectory(prefix="footfall-mypyc-") as tmp:
            compiled = measure_in(build_mypyc(Path(tmp)), args.events, args.batch)
        if not compiled["compiled"]:
            sys.exit("the compiled copy was not the one imported")
        results["mypyc-compiled"] = compiled
    from benchmarks_md import put_section
    from ingest import machine

    section = render(results, machine(), os.getloadavg()[0])
    print(section)
    if not args.no_write:
        put_section("budget", section)
        print(f"\nwrote the budget section of {ROOT / 'BENCHMARKS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
