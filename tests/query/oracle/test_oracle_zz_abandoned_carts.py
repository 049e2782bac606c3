"""Abandoned carts (DATA-MODEL §4.2), last in the session (hence the file name): the CARTS app's
sessions close one minute of processing time after they were loaded, and only then carry their
type-10 rows, `session_total_abandoned_carts` and the shopping stage. The test session spends
whatever is left of that minute here."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from query.oracle.compare import differences, report
from query.oracle.truth import Dim, Metric, answer
from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS, CARTS, CARTS_TIMEOUT_SECONDS, DAYS, FIRST_DAY

pytestmark = pytest.mark.e2e

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
METRICS = (
    Metric("ecommerce_abandoned_carts"),
    Metric("lost_revenue", "sum"),
    Metric("session_total_abandoned_carts", "sum"),
    Metric("sessions"),
    Metric("events"),
    Metric("ecommerce_conversions"),
    Metric("revenue", "sum"),
    Metric("item_count", "sum"),
    Metric("time_on_page", "average"),
)
DIMS: tuple[list[Dim], ...] = (
    [],
    [Dim("timestamp", "to_date")],
    [Dim("session_ecommerce_status")],
    [Dim("event_url")],
)


@dataclass
class Closed:
    """The oracle once the CARTS sessions are idle for their timeout on the processing clock."""

    oracle: Oracle
    without_traffic: bool  #: the carts appeared before any new hit arrived


def _carts(oracle: Oracle) -> Any:
    return oracle.query(CARTS.key, [], [METRICS[0]], FIRST_DAY, LAST_DAY)["data"]


@pytest.fixture(scope="module")
def closed_worlds() -> dict[str, Closed]:
    """The `closed` answer of each backend, made once by its first test."""
    return {}


@pytest.fixture
def closed(oracle: Oracle, closed_worlds: dict[str, Closed]) -> Closed:
    """The backend's `Closed`, waited for once (`_close`)."""
    if oracle.backend not in closed_worlds:
        closed_worlds[oracle.backend] = _close(oracle)
    return closed_worlds[oracle.backend]


def _close(oracle: Oracle) -> Closed:
    """Wait out the CARTS timeout; then one hit "now" (outside every query range) on another app,
    after which the carts must be queryable within the 1-second contract and a little slack."""
    [[want]] = answer(
        oracle.plan, CARTS.key, [], [METRICS[0]], FIRST_DAY, LAST_DAY, oracle.sessions(CARTS.key)
    ).values()
    assert want > 0
    idle_at = oracle.carts_sent_at + CARTS_TIMEOUT_SECONDS + 3  # + one expiry period and slack
    time.sleep(max(0.0, idle_at - time.monotonic()))
    without_traffic = _carts(oracle) == [[want]]
    settle = time.monotonic() + 10  # a loaded machine may need a few more seconds
    while not without_traffic and time.monotonic() < settle:
        time.sleep(0.5)
        without_traffic = _carts(oracle) == [[want]]
    hit = {"idsite": oracle.app_ids[APPS[0].key], "rec": "1", "url": "https://utc.example.com/"}
    assert oracle.client.get("/matomo.php", params=hit).status_code == 200
    deadline = time.monotonic() + 20
    while _carts(oracle) != [[want]] and time.monotonic() < deadline:
        time.sleep(0.5)
    return Closed(oracle, without_traffic)


def test_sessions_close_without_new_traffic(closed: Closed) -> None:
    assert closed.without_traffic


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.label)
@pytest.mark.parametrize("dims", DIMS, ids=lambda ds: "+".join(d.label for d in ds) or "alone")
def test_carts_after_the_sessions_closed(closed: Closed, dims: list[Dim], metric: Metric) -> None:
    oracle = closed.oracle
    want = oracle.truth.answer(CARTS.key, dims, [metric], FIRST_DAY, LAST_DAY)
    got = oracle.query(CARTS.key, dims, [metric], FIRST_DAY, LAST_DAY)
    problems = differences(want, got, len(dims), [metric.label])
    assert not problems, report(problems)
