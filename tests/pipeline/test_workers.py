"""Enrichment in worker processes: the same rows as inline, in spool order, over real stores."""

from __future__ import annotations

import functools
import random
import time
from pathlib import Path
from typing import Any

from footfall import telemetry
from footfall.model.directory import StaticDirectory
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings, Goal
from footfall.pipeline.runner import Pipeline
from footfall.pipeline.steps import StepConfig, default_steps
from footfall.pipeline.workers import WorkerSpec
from footfall.spool.log import Spool
from footfall.store import open_store

SITE = "0b7d1c7e-4a4c-4a53-9d34-2a1f9b0c5e11"
OTHER = "7a0c3b1e-1111-4a53-9d34-2a1f9b0c5e11"  # not in the directory: dropped as unknown_app
CONFIG = StepConfig(geoip_mmdb="", device_cache_size=1000, secret_key=b"s" * 32)
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
]
APP = AppSettings(
    website_id=SITE,
    alias=1,
    urls=("https://shop.example.com",),
    excluded_ips=("10.9.*.*",),
    goals=(Goal(id=1, name="checkout", trigger="url_contains", pattern="/checkout"),),
)


def _payloads(n: int) -> list[bytes]:
    """Page views, events, orders, goals, bots, excluded IPs, unknown apps and corrupt records."""
    rnd = random.Random(7)
    t0 = time.time() - 3600
    out: list[bytes] = []
    for i in range(n):
        site = OTHER if i % 97 == 0 else SITE
        params: dict[str, Any] = {
            "idsite": site,
            "rec": "1",
            "url": f"https://shop.example.com/{rnd.choice(['a', 'b', 'checkout'])}?utm_source=x{i % 5}",
            "_id": f"{rnd.randint(1, 300):016x}",
            "cdt": str(t0 + i),
        }
        if i % 11 == 0:
            params |= {"e_c": "video", "e_a": "play", "e_v": "3"}
        if i % 23 == 0:
            params |= {"idgoal": "0", "ec_id": f"o{i}", "revenue": "12.5"}
        if i % 31 == 0:
            params["uid"] = f"user{i % 7}"
        ip = "10.9.1.1" if i % 53 == 0 else f"81.2.{i % 200}.160"
        record = RawRecord(site, params, t0 + i, ip=ip, user_agent=rnd.choice(UAS), trusted=True)
        out.append(b"\x00corrupt" if i % 89 == 0 else record.encode())
    return out


def _run(tmp: Path, payloads: list[bytes], workers: WorkerSpec | None) -> dict[str, list[Any]]:
    spool = Spool(tmp / "spool")
    store = open_store(f"duckdb:///{tmp / 'events.duckdb'}")
    store.migrate()
    steps = default_steps(CONFIG)
    pipe = Pipeline(
        spool,
        store,
        StaticDirectory([APP]),
        steps,
        read_batch=400,
        workers=workers,
        inline_records=0,
    )
    if workers is not None:
        assert pipe.start_workers(wait=120)
    pipe.start()
    spool.append(payloads)
    assert pipe.wait_until_committed(spool.last_seq, timeout=120)
    pipe.stop()
    assert pipe.error is None
    tables = {
        "events": store.execute("SELECT * FROM events ORDER BY event_id"),
        # how many versions a session went through depends on when the flushes happened
        "sessions": store.execute(
            "SELECT * EXCLUDE (session_version) FROM sessions ORDER BY session_id"
        ),
        "checkpoint": [store.checkpoint()],
    }
    store.close()
    spool.close()
    return tables


def test_workers_give_the_same_rows_and_counters_as_inline(tmp_path: Path) -> None:
    payloads = _payloads(3000)
    before = telemetry.snapshot().get("footfall_pipeline_dropped_total", {})
    inline = _run(tmp_path / "inline", payloads, None)
    middle = telemetry.snapshot().get("footfall_pipeline_dropped_total", {})
    enriched_before = telemetry.value("footfall_pipeline_worker_records_total")
    spec = WorkerSpec(CONFIG, functools.partial(StaticDirectory, [APP]), workers=2)
    pooled = _run(tmp_path / "pooled", payloads, spec)
    after = telemetry.snapshot().get("footfall_pipeline_dropped_total", {})
    # every record went through a worker (the pool was ready before the first read)
    assert telemetry.value("footfall_pipeline_worker_records_total") - enriched_before == 3000
    assert pooled["checkpoint"] == inline["checkpoint"] == [3000]
    assert len(inline["events"]) > 1500
    assert pooled["events"] == inline["events"]
    assert pooled["sessions"] == inline["sessions"]
    # the drop reasons counted in the workers reach this process's counters, the same ones
    drops_inline = {k: v - before.get(k, 0) for k, v in middle.items()}
    drops_pooled = {k: v - middle.get(k, 0) for k, v in after.items()}
    assert {"reason=corrupt_record", "reason=unknown_app", "reason=bot"} <= {
        k for k, v in drops_inline.items() if v
    }
    assert drops_pooled == drops_inline


def test_the_default_worker_count_follows_the_cores() -> None:
    from footfall.app import enrichment_workers

    assert [enrichment_workers(-1, cores) for cores in (1, 2, 3, 4, 16)] == [0, 0, 0, 1, 1]
    assert [enrichment_workers(n, 2) for n in (0, 1, 2)] == [0, 1, 2]
