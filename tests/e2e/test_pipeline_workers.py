"""A real `footfall serve` enriching in a worker process: settings reach it, kill -9 loses nothing.

`FOOTFALL_PIPELINE_INLINE_RECORDS=1` sends every read batch to the worker once it is ready (the
default keeps small batches inline), so a handful of hits exercise the worker path.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx

from e2e.conftest import Provisioned
from e2e.server import Server, access_token, store_counts

WORKER_ENV = {"FOOTFALL_PIPELINE_WORKERS": "1", "FOOTFALL_PIPELINE_INLINE_RECORDS": "1"}
WORKED = "footfall_pipeline_worker_records_total"


def _hit(client: httpx.Client, p: Provisioned, i: int) -> None:
    params = {
        "idsite": p.app_id,
        "rec": "1",
        "url": f"https://shop.example.com/p/{i}",
        "_id": f"{i % 20:016x}",
    }
    assert client.get("/ppms.php", params=params).status_code == 202


def _until_the_worker_runs(client: httpx.Client, s: Server, p: Provisioned) -> int:
    """Send hits until the worker has enriched some (it starts on the first batch); how many."""
    sent, deadline = 0, time.monotonic() + 90
    while s.metrics().get(WORKED, 0) == 0:
        assert time.monotonic() < deadline, "the enrichment worker never took a batch"
        for _ in range(5):
            _hit(client, p, sent)
            sent += 1
        time.sleep(0.1)
    return sent


def _children(pid: int) -> set[int]:
    return {
        int(c)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for c in (task / "children").read_text().split()
    }


def _exclude(client: httpx.Client, p: Provisioned, token: str, ips: list[str]) -> None:
    r = client.patch(
        f"/api/tracker/v2/settings/app/{p.app_id}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"},
        content=json.dumps(
            {
                "data": {
                    "type": "tracker/settings/app",
                    "id": p.app_id,
                    "attributes": {"excluded_ips": ips},
                }
            }
        ),
    )
    assert r.status_code == 204, r.text
    time.sleep(1.05)  # the worker's directory caches settings for at most 1 s


def test_worker_sees_settings_within_a_second_and_kill_9_loses_nothing(
    provisioned: Provisioned,
) -> None:
    # one server for both checks: starting one with a worker costs ~10 s on a busy machine
    s = Server(provisioned.data_dir, env=WORKER_ENV)
    s.start()
    assert s.proc is not None
    with httpx.Client(base_url=s.url, timeout=30) as client:
        sent = _until_the_worker_runs(client, s, provisioned)
        token = access_token(s.url, provisioned.client_id, provisioned.client_secret)
        _exclude(client, provisioned, token, ["127.0.0.1"])
        s.wait_idle()
        before = s.metrics()
        for i in range(30):
            _hit(client, provisioned, 1000 + i)
        s.wait_idle()
        after = s.metrics()
        excluded = 'footfall_pipeline_dropped_total{reason="excluded_ip"}'
        assert after.get(excluded, 0) - before.get(excluded, 0) == 30
        assert after[WORKED] - before[WORKED] == 30  # dropped in the worker, counted here
        _exclude(client, provisioned, token, [])
        for i in range(300):
            _hit(client, provisioned, 2000 + i)
    workers = _children(s.proc.pid)
    assert workers
    s.kill()  # right after the last acknowledgment
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") for w in workers):  # its pipe closed: it exits
        assert time.monotonic() < deadline, "a worker outlived the killed server"
        time.sleep(0.05)
    s.start()
    s.wait_idle()
    s.stop()
    [(n, distinct)] = store_counts(
        provisioned.data_dir, "SELECT count(*), count(DISTINCT event_id) FROM events"
    )
    assert n == distinct == sent + 300
