"""A real `footfall serve` process on a free loopback port, for end-to-end tests and benchmarks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent / "footfall"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run `footfall ARGS --data-dir D` and return its JSON output."""
    out = subprocess.run(
        [str(BIN), "--data-dir", str(data_dir), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    return json.loads(out.stdout)


def access_token(url: str, client_id: str, client_secret: str | None) -> str:
    """A bearer token of the OAuth client credentials grant from the server at `url`."""
    grant = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
    }
    r = httpx.post(url + "/auth/token", json=grant, timeout=30)
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


class Server:
    """Starts, kills and restarts `footfall serve` over one data dir."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "FOOTFALL_FLUSH_INTERVAL_MS": "100", **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    def start(self, extra: Sequence[str] = ()) -> None:
        """Start the process and wait until /healthz answers 200."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as logf:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [
                    str(BIN),
                    "--data-dir",
                    str(self.data_dir),
                    "serve",
                    "--port",
                    str(self.port),
                    *extra,
                ],
                stdout=logf,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"footfall serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.proc.kill()  # why: a server left running would outlive the test run
        self.proc.wait()
        raise RuntimeError(f"footfall serve did not become healthy: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        """SIGTERM and wait: the pipeline drains and writes everything spooled."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise

    def metrics(self) -> dict[str, float]:
        """/metrics as {"name{labels}": value}."""
        text = httpx.get(self.url + "/metrics", timeout=5).text
        out: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                out[key] = float(value)
        return out

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until the pipeline has committed every acknowledged record."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = self.metrics()
            if (
                m.get("footfall_spool_lag_records", 1) == 0
                and m.get("footfall_pipeline_flushes_total", 0) > 0
            ):
                return
            time.sleep(0.05)
        raise AssertionError(f"pipeline not idle: {self.metrics()}")


#: the event stores a server can run on: DuckDB (the default) and ClickHouse in-process (chDB)
BACKENDS = ("duckdb", "chdb")


def events_env(data_dir: Path, backend: str) -> dict[str, str]:
    """The environment that puts a server's event store on `backend` (duckdb: the default)."""
    return {"FOOTFALL_EVENTS_URL": f"chdb://{data_dir / 'chdb'}"} if backend == "chdb" else {}


def store_counts(
    data_dir: Path, sql: str, params: Sequence[Any] = (), *, backend: str = "duckdb"
) -> list[tuple[Any, ...]]:
    """Query the server's event store directly (the server must be stopped: DuckDB locks the
    file, chDB its directory). On chDB `FROM sessions` reads `FROM sessions FINAL`: the newest
    version of each session row, before any merge, as DuckDB holds it."""
    if backend == "chdb":
        from footfall.store.clickhouse import ClickHouseStore, parse_url

        store = ClickHouseStore(parse_url(f"chdb://{data_dir / 'chdb'}"))
        try:
            return store.execute(sql.replace("FROM sessions", "FROM sessions FINAL"), params)
        finally:
            store.close()
    import duckdb

    con = duckdb.connect(str(data_dir / "events.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
