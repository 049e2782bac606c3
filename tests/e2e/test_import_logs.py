"""`footfall import-logs` end to end: a generated access log with known truth, imported through
the real CLI into a real data dir, counted in the real DuckDB file (or chDB store); refused while
serving."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import Provisioned
from e2e.server import BACKENDS, BIN, Server, events_env, store_counts
from scenarios.access_log import AccessLog, Flags, Truth, generate, summary, truth

COUNTS = (
    "SELECT (SELECT count(*) FROM events WHERE event_type = 1),"
    " (SELECT count(*) FROM events WHERE event_type = 3),"
    " (SELECT count(*) FROM sessions), (SELECT count(DISTINCT visitor_id) FROM sessions)"
)


def stored(data_dir: Path, backend: str = "duckdb") -> Truth:
    """Page views, downloads, sessions and visitors in the event store."""
    [row] = store_counts(data_dir, COUNTS, backend=backend)
    return Truth(*row)


def import_logs(
    data_dir: Path, *args: str, backend: str = "duckdb"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "--data-dir", str(data_dir), "import-logs", "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **events_env(data_dir, backend)},
    )


def summary_of(out: dict[str, Any]) -> dict[str, int]:
    """The importer's JSON summary in the shape of scenarios.access_log.summary()."""
    counts = {"recorded": out["recorded"], "downloads": out["downloads"], **out["ignored"]}
    return {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize("backend", BACKENDS)
def test_native_import_stores_the_truth_once(
    provisioned: Provisioned, tmp_path: Path, backend: str
) -> None:
    d = provisioned.data_dir
    log = generate()
    path = tmp_path / "access.log"
    path.write_text(log.text())
    done = import_logs(d, "--idsite", provisioned.app_id, str(path), backend=backend)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert summary_of(out) == summary(log)
    assert out["files"][0]["format"] == "ncsa_extended" and out["pipeline_dropped"] == {}
    assert stored(d, backend) == truth(log)
    again = import_logs(d, "--idsite", str(provisioned.app_alias), str(path), backend=backend)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_imported"] == len(log.lines)
    assert stored(d, backend) == truth(log)


def test_native_import_of_a_gzipped_vhost_log_with_every_class(
    provisioned: Provisioned, tmp_path: Path
) -> None:
    shop = generate(visitors=30, bots=4, host="shop.example.com")
    other = generate(visitors=5, bots=0, seed=3, host="elsewhere.example.net")
    both = AccessLog(shop.lines + other.lines)
    path = tmp_path / "access.log.gz"
    path.write_bytes(gzip.compress(both.text().encode()))
    flags = Flags(static=True, bots=True, redirects=True, exclude_path="/blog")
    done = import_logs(provisioned.data_dir, *flags.args(), str(path))  # apps found by host
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["unmatched_hosts"] == ["elsewhere.example.net"]
    assert out["recorded"] == summary(shop, flags)["recorded"]
    assert out["ignored"]["no_site"] == summary(other, flags)["recorded"]
    assert stored(provisioned.data_dir) == truth(shop, flags)


def test_import_is_refused_while_the_server_runs(
    server: Server, provisioned: Provisioned, tmp_path: Path
) -> None:
    path = tmp_path / "access.log"
    path.write_text(generate(visitors=2, bots=0).text())
    done = import_logs(provisioned.data_dir, "--idsite", provisioned.app_id, str(path))
    assert done.returncode == 1
    [message] = done.stderr.strip().splitlines()
    assert "in use by a running `footfall serve`" in message and "stop the server" in message
    assert not (provisioned.data_dir / "import-logs.sqlite").exists()
    server.stop()
    assert stored(provisioned.data_dir) == Truth(0, 0, 0, 0)
