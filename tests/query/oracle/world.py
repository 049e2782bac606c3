"""The oracle's world: four apps, their goals, the generated traffic loaded through a real
`footfall serve`, and an authenticated client of the analytics API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from e2e.server import Server, access_token, cli, events_env, store_counts
from footfall.meta import services
from footfall.meta.goals import create_goal
from footfall.meta.store import MetaStore
from footfall.meta.tracker import set_tracker_settings
from query.oracle.truth import Dim, Metric, StoredSession, answer, stored
from scenarios.oracle_traffic import (
    APPS,
    CARTS,
    CARTS_TIMEOUT_SECONDS,
    GOALS,
    Plan,
    plan,
    requests,
)

QUERY = "/api/analytics/v1/query/"
BULK_CHUNK = 250


@dataclass
class Loaded:
    """What the store held right after the load (read directly while the server was stopped)."""

    events_by_app_type: dict[tuple[str, int], int]
    sessions_by_app: dict[str, int]
    visitors_by_app: dict[str, int]
    bulk_invalid: int


@dataclass
class Truth:
    """The plan and what follows from it, computed once and shared by the worlds of all backends."""

    plan: Plan
    _stored: dict[str, list[StoredSession]] = field(default_factory=dict)
    _answers: dict[str, dict[tuple[Any, ...], list[Any]]] = field(default_factory=dict)

    def sessions(self, app: str) -> list[StoredSession]:
        """The app's sessions as the store must hold them."""
        if app not in self._stored:
            self._stored[app] = stored(self.plan, app)
        return self._stored[app]

    def answer(
        self, app: str, dims: list[Dim], metrics: list[Metric], date_from: date, date_to: date
    ) -> dict[tuple[Any, ...], list[Any]]:
        """`truth.answer` over the app's sessions (each distinct question computed once)."""
        key = repr((app, dims, metrics, date_from, date_to))
        if key not in self._answers:
            self._answers[key] = answer(
                self.plan, app, dims, metrics, date_from, date_to, self.sessions(app)
            )
        return self._answers[key]


@dataclass
class Oracle:
    """A running server over the loaded data, the truth of its plan, and an API client."""

    server: Server
    truth: Truth
    app_ids: dict[str, str]
    token: str
    loaded: Loaded
    client: httpx.Client
    carts_sent_at: float  #: time.monotonic() when the CARTS app's traffic was acknowledged
    backend: str  #: the server's event store: "duckdb" or "chdb"
    _answers: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def plan(self) -> Plan:
        """The generated plan the server was loaded with."""
        return self.truth.plan

    def sessions(self, app: str) -> list[StoredSession]:
        """The app's sessions as the store must hold them (computed once for every backend)."""
        return self.truth.sessions(app)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST a JSON body with the bearer token."""
        return self.client.post(path, json=body, headers={"Authorization": f"Bearer {self.token}"})

    def query_cached(
        self, app: str, dims: list[Dim], metrics: list[Metric], date_from: date, date_to: date
    ) -> dict[str, Any] | None:
        """Like `query`, asked once per distinct request; None when the API refused it."""
        key = repr((app, dims, metrics, date_from, date_to))
        if key not in self._answers:
            body = self._body(app, dims, metrics, date_from, date_to)
            r = self.post(QUERY, body)
            self._answers[key] = r.json() if r.status_code == 200 else None
        return self._answers[key]

    def _body(
        self, app: str, dims: list[Dim], metrics: list[Metric], date_from: date, date_to: date
    ) -> dict[str, Any]:
        return {
            "website_id": self.app_ids[app],
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "columns": [d.request() for d in dims] + [m.request() for m in metrics],
            "limit": 100000,
        }

    def query(
        self,
        app: str,
        dims: list[Dim],
        metrics: list[Metric],
        first_day: date,
        last_day: date,
        **extra: Any,
    ) -> dict[str, Any]:
        """POST /query/ and return the decoded JSON; fails the test with the body on a non-200."""
        body = {**self._body(app, dims, metrics, first_day, last_day), **extra}
        r = self.post(QUERY, body)
        assert r.status_code == 200, f"{r.status_code} {r.text[:500]} for {body}"
        data: dict[str, Any] = r.json()
        return data


def _provision(d: Path, env: dict[str, str]) -> tuple[dict[str, str], str, dict[str, Any]]:
    """`footfall init` (owner, credential, token_auth), then the four apps and their goals.

    The apps and goals are made through the same services the CLI and the APIs call, in process:
    why: each CLI process costs seconds on a loaded 2-core machine.
    """
    creds = cli(d, "init", "--json", env=env)
    meta = MetaStore(f"sqlite:///{d / 'meta.sqlite'}")
    app_ids = {}
    try:
        carts = services.create_app(
            meta, name=CARTS.name, urls=[f"https://{CARTS.host}"], timezone=CARTS.timezone
        )
        set_tracker_settings(meta, carts.id, {"session_timeout_seconds": CARTS_TIMEOUT_SECONDS})
        app_ids[CARTS.key] = carts.id
        for a in APPS:
            app = services.create_app(
                meta, name=a.name, urls=[f"https://{a.host}"], timezone=a.timezone
            )
            app_ids[a.key] = app.id
            for g in GOALS:
                made = create_goal(
                    meta,
                    app.id,
                    name=g.name,
                    trigger=g.trigger,
                    pattern=g.pattern,
                    revenue=g.revenue,
                    allow_multiple=g.allow_multiple,
                )
                assert made.id == g.id
    finally:
        meta.close()
    return app_ids, str(creds["token_auth"]), creds


def _load(server: Server, reqs: list[dict[str, str]], token_auth: str) -> int:
    """Send every request through bulk tracking; returns how many the collector called invalid."""
    invalid = 0
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for i in range(0, len(reqs), BULK_CHUNK):
            body = {"requests": reqs[i : i + BULK_CHUNK], "token_auth": token_auth}
            r = client.post("/matomo.php", json=body)
            assert r.status_code == 200, r.text
            invalid += int(r.json()["invalid"])
    return invalid


def _snapshot(d: Path, backend: str, app_ids: dict[str, str], invalid: int) -> Loaded:
    key_of = {v: k for k, v in app_ids.items()}
    events = {
        (key_of[str(w)], int(t)): int(n)
        for w, t, n in store_counts(
            d, "SELECT website_id, event_type, count(*) FROM events GROUP BY 1, 2", backend=backend
        )
    }
    sessions: dict[str, int] = {}
    visitors: dict[str, int] = {}
    for w, n, v in store_counts(
        d,
        "SELECT website_id, count(*), count(DISTINCT visitor_id) FROM sessions GROUP BY 1",
        backend=backend,
    ):
        sessions[key_of[str(w)]] = int(n)
        visitors[key_of[str(w)]] = int(v)
    return Loaded(events, sessions, visitors, invalid)


def _wait_caught_up(server: Server, timeout: float = 30.0) -> None:
    """After a restart nothing new is spooled: wait until the replay lag is zero."""
    deadline = time.monotonic() + timeout
    while server.metrics().get("footfall_spool_lag_records", 1) != 0:
        assert time.monotonic() < deadline, f"pipeline lagging: {server.metrics()}"
        time.sleep(0.05)


@contextmanager
def running(d: Path, backend: str = "duckdb", truth: Truth | None = None) -> Iterator[Oracle]:
    """Load the plan into data dir `d`, snapshot the raw store, restart, and serve queries.

    `backend` is the event store: "duckdb" (the default store) or "chdb" (ClickHouse in-process);
    `truth` the plan to load and its truth (another world's, to share; a new one by default).
    """
    d.mkdir()
    env = events_env(d, backend)
    app_ids, token_auth, creds = _provision(d, env)
    truth = truth or Truth(plan())
    p = truth.plan
    server = Server(d, env)
    server.start()
    try:
        invalid = _load(server, requests(p, app_ids, tuple(a.key for a in APPS)), token_auth)
        server.wait_idle()
    finally:
        server.stop()  # drains: every session row at its final version
    loaded = _snapshot(d, backend, app_ids, invalid)
    server = Server(d, env)
    server.start()
    try:
        _wait_caught_up(server)
        # why: the CARTS sessions must close (one minute of processing time) while this server
        # runs, since a restart forgets sessions whose last event is older than 4 hours
        loaded.bulk_invalid += _load(server, requests(p, app_ids, (CARTS.key,)), token_auth)
        sent = time.monotonic()
        server.wait_idle()
        time.sleep(1.0)  # session rows are written within the 1-second contract
        with httpx.Client(base_url=server.url, timeout=60) as client:
            token = access_token(server.url, creds["client_id"], creds["client_secret"])
            yield Oracle(server, truth, app_ids, token, loaded, client, sent, backend)
    finally:
        server.stop()


class Worlds:
    """The oracle worlds of one test run, one per backend, loaded at once in background threads.

    why: each world spends most of its load in its own server process and then a minute waiting
    for the CARTS sessions to close; loaded together, two backends cost about one load and one
    minute, and the tests of both run in between instead of after each other.
    """

    def __init__(self, root: Path, backends: tuple[str, ...]) -> None:
        self._root = root
        self._backends = backends
        self._truth = Truth(plan())
        self._worlds: dict[str, Future[Oracle]] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []

    def get(self, backend: str) -> Oracle:
        """The loaded world of `backend` (every backend starts loading on the first call)."""
        if not self._worlds:
            for b in dict.fromkeys((backend, *self._backends)):
                self._worlds[b] = Future()
                thread = threading.Thread(target=self._serve, args=(b,), name=f"oracle-{b}")
                thread.start()
                self._threads.append(thread)
        return self._worlds[backend].result()

    def close(self) -> None:
        """Stop every world's server, wait for its thread, and raise what stopping raised."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]

    def _serve(self, backend: str) -> None:
        """Load one world, hand it over, and keep its server running until `close`."""
        ready = self._worlds[backend]
        try:
            with running(self._root / backend, backend, self._truth) as world:
                ready.set_result(world)
                self._stop.wait()
        except BaseException as error:
            if ready.done():
                self._errors.append(error)
            else:
                ready.set_exception(error)
