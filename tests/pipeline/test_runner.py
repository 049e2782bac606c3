"""The pipeline over a real spool and a real DuckDB file (or chDB store): checkpoints, replay,
bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall import telemetry
from footfall.model.directory import StaticDirectory
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings
from footfall.pipeline.runner import Pipeline
from footfall.pipeline.steps import StepConfig, default_steps
from footfall.spool.log import Spool
from footfall.store import open_store
from footfall.store.base import EventStore

SITE = "0b7d1c7e-4a4c-4a53-9d34-2a1f9b0c5e11"
APP = AppSettings(website_id=SITE, alias=1, urls=("https://shop.example.com",))
STEPS = default_steps(StepConfig(geoip_mmdb="", device_cache_size=1000, secret_key=b"s" * 32))
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def _record(params: dict[str, str], ts: float | None = None) -> bytes:
    base = {"idsite": SITE, "rec": "1"}
    return RawRecord(
        SITE, {**base, **params}, ts or time.time(), ip="81.2.69.160", user_agent=UA
    ).encode()


def _pipeline(tmp: Path, backend: str = "duckdb") -> tuple[Spool, EventStore, Pipeline]:
    spool = Spool(tmp / "spool")
    dsn = f"chdb://{tmp / 'chdb'}" if backend == "chdb" else f"duckdb:///{tmp / 'events.duckdb'}"
    store = open_store(dsn)
    store.migrate()
    return spool, store, Pipeline(spool, store, StaticDirectory([APP]), STEPS)


def _drain(pipe: Pipeline, spool: Spool) -> None:
    while pipe.position < spool.last_seq:
        pipe.process(spool.read(pipe.position, 1000))
    pipe.flush()


def _sessions(store: EventStore) -> str:
    """The sessions table as a count reads it (ClickHouse: FINAL, the newest versions)."""
    return "sessions FINAL" if store.dialect == "clickhouse" else "sessions"


@pytest.mark.parametrize("backend", ("duckdb", "chdb"))
def test_rows_and_checkpoint_commit_together_and_replay_adds_nothing(
    tmp_path: Path, backend: str
) -> None:
    spool, store, pipe = _pipeline(tmp_path, backend)
    spool.append(
        [
            _record({"url": f"https://shop.example.com/{i}", "_id": f"{i % 3:016x}"})
            for i in range(30)
        ]
    )
    _drain(pipe, spool)
    assert store.checkpoint() == 30
    assert store.execute("SELECT count(*) FROM events")[0][0] == 30
    # a second pipeline over the same spool and store (a restart) resumes after the checkpoint
    pipe2 = Pipeline(spool, store, StaticDirectory([APP]), STEPS)
    pipe2.restore()
    _drain(pipe2, spool)
    assert store.execute("SELECT count(*), count(DISTINCT event_id) FROM events")[0] == (30, 30)
    # the restored sessions continue: a new hit of visitor 0 joins its open session
    spool.append([_record({"url": "https://shop.example.com/more", "_id": f"{0:016x}"})])
    _drain(pipe2, spool)
    assert store.execute(f"SELECT count(*) FROM {_sessions(store)}")[0][0] == 3
    store.close()
    spool.close()


def test_threaded_worker_drains_on_stop(tmp_path: Path) -> None:
    spool, store, pipe = _pipeline(tmp_path)
    pipe.start()
    spool.append([_record({"url": "https://shop.example.com/a"}) for _ in range(100)])
    pipe.stop()
    assert pipe.error is None
    assert store.execute("SELECT count(*) FROM events")[0][0] == 100
    store.close()
    spool.close()


_params = st.dictionaries(
    st.sampled_from(
        [
            "url",
            "urlref",
            "_id",
            "cid",
            "uid",
            "cdt",
            "idgoal",
            "ec_id",
            "ec_items",
            "e_c",
            "e_a",
            "e_v",
            "ping",
            "search",
            "link",
            "download",
            "res",
            "_cvar",
            "cvar",
            "dimension1",
            "new_visit",
            "revenue",
            "c_n",
            "c_i",
            "h",
            "m",
            "s",
            "uadata",
            "e_t",
            "pv_id",
            "_idvc",
            "_viewts",
            "_idts",
            "_ects",
            "ca",
            "search_count",
            "lang",
        ]
    ),
    st.text(max_size=40),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(_params, min_size=1, max_size=8))
def test_arbitrary_input_never_stops_the_pipeline(
    tmp_path_factory: object, batch: list[dict[str, str]]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        spool, store, pipe = _pipeline(Path(tmp))
        payloads = [_record({"url": "https://shop.example.com/", **p}) for p in batch]
        payloads.append(b"\x00not a record")
        payloads.append(
            _record({"url": "https://shop.example.com/good", "_id": "00000000000000aa"})
        )
        spool.append(payloads)
        _drain(pipe, spool)
        assert store.checkpoint() == spool.last_seq
        urls = [r[0] for r in store.execute("SELECT event_url FROM events")]
        assert "https://shop.example.com/good" in urls
        store.close()
        spool.close()
    assert telemetry.value("footfall_pipeline_dropped_total", reason="corrupt_record") >= 1


def test_step_times_are_published_per_step(tmp_path: Path) -> None:
    spool, store, pipe = _pipeline(tmp_path)
    before = telemetry.value("footfall_pipeline_step_seconds_total", step="put_device")
    spool.append([_record({"url": f"https://shop.example.com/{i}"}) for i in range(64 * 32)])
    _drain(pipe, spool)
    snapshot = telemetry.snapshot()["footfall_pipeline_step_seconds_total"]
    assert {"step=put_device", "step=put_geo", "step=anonymize"} <= set(snapshot)
    assert telemetry.value("footfall_pipeline_step_seconds_total", step="put_device") > before
    store.close()
    spool.close()


@pytest.mark.parametrize("backend", ("duckdb", "chdb"))
def test_behind_the_spool_sessions_are_rewritten_less_often_and_end_exact(
    tmp_path: Path, backend: str
) -> None:
    spool, store, _ = _pipeline(tmp_path, backend)
    clock = [100.0]
    pipe = Pipeline(
        spool, store, StaticDirectory([APP]), STEPS, backlog_records=50, backlog_staleness=5.0
    )
    pipe.sessionizer._clock = lambda: clock[0]
    visitors = [f"{v:016x}" for v in range(4)]
    spool.append(
        [
            _record({"url": f"https://shop.example.com/{i}", "_id": visitors[i % 4]})
            for i in range(200)
        ]
    )
    written: list[int] = []
    while pipe.position < spool.last_seq:  # 4 visitors, a flush every 20 records, 1 s apart
        pipe.process(spool.read(pipe.position, 20))
        behind = pipe._behind()
        before = telemetry.value("footfall_pipeline_rows_total", table="sessions")
        pipe.flush()
        written.append(
            int(telemetry.value("footfall_pipeline_rows_total", table="sessions") - before)
        )
        assert behind == (spool.last_seq - pipe.position > 50)
        clock[0] += 1.0
    # behind (the first 7 flushes): the 4 new sessions at once, then a version each 5 s only;
    # caught up (the last 3): every flush rewrites the active sessions (staleness 0.8 s)
    assert written[0] == 4 and written[1:6] == [0, 0, 0, 0, 4]
    assert written[-3:] == [4, 4, 4]
    pipe.flush(final=True)
    rows = store.execute(f"SELECT count(*), sum(session_total_page_views) FROM {_sessions(store)}")
    assert rows[0] == (4, 200)
    store.close()
    spool.close()
