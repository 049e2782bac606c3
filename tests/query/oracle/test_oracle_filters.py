"""Filters, metric filters, ordering and paging of POST /query/ (api-notes §1.1) against the
brute force: a filter removes rows (sessions or events) before grouping, a metric filter removes
result rows, and `offset`/`limit` page through the ordered rows while `meta.count` stays the total."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from query.oracle.compare import differences, report
from query.oracle.truth import Dim, Metric, Row, answer
from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS, CAMPAIGN, DAYS, FIRST_DAY, ORDER

pytestmark = pytest.mark.e2e

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
KEYS = [a.key for a in APPS]


def _condition(column: str, operator: str, value: Any) -> dict[str, Any]:
    return {
        "operator": "and",
        "conditions": [{"column_id": column, "condition": {"operator": operator, "value": value}}],
    }


CASES = {
    "campaign sessions by device": (
        [Dim("device_type")],
        [Metric("sessions"), Metric("page_views"), Metric("bounces")],
        {"filters": _condition("referrer_type", "eq", CAMPAIGN)},
        lambda v: v["referrer_type"] == CAMPAIGN,
    ),
    "orders only: revenue and items": (
        [Dim("timestamp", "to_date")],
        [Metric("revenue", "sum"), Metric("item_count", "sum"), Metric("sessions")],
        {"filters": _condition("event_type", "eq", ORDER)},
        lambda v: v["event_type"] == ORDER,
    ),
    "docs pages": (
        [Dim("event_url")],
        [Metric("page_views"), Metric("entries"), Metric("exits")],
        {"filters": _condition("event_url", "contains", "/docs")},
        lambda v: "/docs" in v["event_url"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_dimension_filter(oracle: Oracle, case: str) -> None:
    dims, metrics, extra, keep = CASES[case]
    problems: list[str] = []
    for app in KEYS:
        want = answer(
            oracle.plan, app, dims, metrics, FIRST_DAY, LAST_DAY, oracle.sessions(app), keep
        )
        got = oracle.query(app, dims, metrics, FIRST_DAY, LAST_DAY, **extra)
        labels = [m.label for m in metrics]
        problems += [f"[{app}] {p}" for p in differences(want, got, len(dims), labels)]
    assert not problems, report(problems)


@pytest.mark.parametrize(
    ("dims", "metrics"),
    [
        ([], [Metric("sessions"), Metric("visitors"), Metric("bounces")]),
        ([Dim("event_url")], [Metric("page_views"), Metric("sessions")]),
    ],
    ids=["session scope", "event scope"],
)
def test_datetime_range_is_local_and_excludes_its_end(
    oracle: Oracle, dims: list[Dim], metrics: list[Metric]
) -> None:
    # api-notes §1.1: datetimes in the website's timezone, date_to exclusive
    start, end = datetime(2026, 10, 6, 9, 0), datetime(2026, 10, 7, 15, 30)
    problems: list[str] = []
    for app in KEYS:

        def keep(v: Row) -> bool:
            # sessions by their start, events by their own time (DATA-MODEL §0)
            when: datetime = v["event_time"] if "event_time" in v else v["timestamp"]
            return start <= when < end

        want = answer(
            oracle.plan, app, dims, metrics, start.date(), end.date(), oracle.sessions(app), keep
        )
        got = oracle.query(
            app,
            dims,
            metrics,
            start.date(),
            end.date(),
            date_from=str(start),
            date_to=str(end),
        )
        labels = [m.label for m in metrics]
        problems += [f"[{app}] {p}" for p in differences(want, got, len(dims), labels)]
    assert not problems, report(problems)


def test_metric_filter_keeps_only_matching_rows(oracle: Oracle) -> None:
    dims, metrics = [Dim("source")], [Metric("sessions")]
    problems: list[str] = []
    for app in KEYS:
        full = answer(oracle.plan, app, dims, metrics, FIRST_DAY, LAST_DAY, oracle.sessions(app))
        want = {k: v for k, v in full.items() if v[0] > 10}
        assert 0 < len(want) < len(full), "the filter must keep some rows and drop others"
        got = oracle.query(
            app,
            dims,
            metrics,
            FIRST_DAY,
            LAST_DAY,
            metric_filters=_condition("sessions", "gt", 10),
        )
        problems += [f"[{app}] {p}" for p in differences(want, got, 1, ["sessions"])]
    assert not problems, report(problems)


def test_order_and_paging(oracle: Oracle) -> None:
    dims, metrics = [Dim("event_url")], [Metric("page_views"), Metric("sessions")]
    app = "warsaw"
    want = answer(oracle.plan, app, dims, metrics, FIRST_DAY, LAST_DAY, oracle.sessions(app))
    pages: list[list[Any]] = []
    for offset in (0, 5, 10):
        got = oracle.query(
            app,
            dims,
            metrics,
            FIRST_DAY,
            LAST_DAY,
            order_by=[[1, "desc"], [0, "asc"]],
            offset=offset,
            limit=5,
        )
        assert got["meta"]["count"] == len(want)
        pages.extend(got["data"])
    expected = sorted(want.items(), key=lambda kv: (-kv[1][0], kv[0][0]))[:15]
    assert [[k[0], *v] for k, v in expected] == pages
