"""POST /api/analytics/v1/query/ against the brute-force truth: every metric of seed 001 Table 1
alone, by session/event time and by day (in each app's timezone), the calculated metrics of
§1.5.2, and dimension × metric tables. Each test runs its query on all four apps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from query.oracle.compare import differences, report
from query.oracle.truth import Dim, Metric, answer, is_event_scope
from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS, DAYS, FIRST_DAY

pytestmark = pytest.mark.e2e

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)

#: seed 001 §1.1.1 Table 1, every base metric (consent metrics included: the plan has consent events)
TABLE_1 = (
    "events",
    "consent_form_impressions",
    "consent_form_clicks",
    "consents_first",
    "consents_changed",
    "consents_full",
    "consents_any",
    "consents_none",
    "consents_no_decision",
    "consents_analytics",
    "consents_ab_testing_personalization",
    "consents_conversion_tracking",
    "consents_marketing_automation",
    "consents_remarketing",
    "consents_user_feedback",
    "consents_custom_1",
    "page_views",
    "unique_page_views",
    "entries",
    "exits",
    "bounces",
    "sessions",
    "visitors",
    "returning_visitors_rate",
    "users",
    "visitor_ips",
    "outlinks",
    "unique_outlinks",
    "downloads",
    "unique_downloads",
    "searches",
    "unique_searches",
    "custom_events",
    "unique_custom_events",
    "content_impressions",
    "unique_content_impressions",
    "content_interactions",
    "unique_content_interactions",
    "goal_conversions",
    "unique_goal_conversions",
    "ecommerce_conversions",
    "unique_purchases",
    "entry_rate",
    "exit_rate",
    "exit_rate_events",
    "bounce_rate",
    "bounce_rate_events",
    "content_interaction_rate",
    "goal_conversion_rate",
    "ecommerce_conversion_rate",
    "events_per_session",
)
#: Table 1 metrics checked elsewhere: abandoned carts exist only once sessions close, which the
#: CARTS app's short timeout makes happen during the session (test_oracle_zz_abandoned_carts.py)
ELSEWHERE = ("ecommerce_abandoned_carts",)
#: per-goal variants (seed 001 §1.5.1 "Goal conversions (specific goal)")
GOAL_METRICS = tuple(
    Metric(c, goal_id=g)
    for c in ("goal_conversions", "unique_goal_conversions", "goal_conversion_rate")
    for g in (1, 2, 3)
)
#: seed 001 §1.5.2 calculated metrics (a column with a dimension → metric transformation)
CALCULATED = (
    Metric("goal_revenue", "sum"),
    Metric("goal_revenue", "sum", goal_id=1),
    Metric("goal_revenue", "sum", goal_id=2),
    Metric("revenue", "sum"),
    Metric("item_count", "sum"),
    Metric("time_on_page", "average"),
    Metric("time_on_page", "sum"),
    Metric("session_total_time", "sum"),
    Metric("session_total_time", "average"),
    Metric("session_total_events", "max"),
    Metric("custom_event_value", "sum"),
    Metric("custom_event_value", "average"),
)
ALL_METRICS = tuple(Metric(c) for c in TABLE_1) + GOAL_METRICS + CALCULATED
#: the dimensions of the issue's table and the main metrics crossed with them
DIMENSIONS = (
    Dim("event_url"),
    Dim("session_entry_url"),
    Dim("referrer_type"),
    Dim("source"),
    Dim("location_country_name"),
    Dim("browser_name"),
    Dim("operating_system"),
    Dim("device_type"),
    Dim("session_custom_variable_value_1"),
    Dim("custom_event_category"),
    Dim("event_type"),
    Dim("goal_id"),
)
#: dimension → dimension transformations of Table 4 (DATA-MODEL §3.4), in the app's timezone
TRANSFORMED = (
    Dim("timestamp", "to_hour_of_day"),
    Dim("timestamp", "to_minute_of_hour"),
    Dim("timestamp", "to_day_of_week"),
    Dim("timestamp", "to_start_of_week"),
    Dim("event_url", "strip_qs"),
    Dim("event_url", "to_path"),
    Dim("event_url", "to_domain"),
    Dim("session_entry_url", "to_path"),
)
MAIN_METRICS = (
    Metric("sessions"),
    Metric("visitors"),
    Metric("events"),
    Metric("page_views"),
    Metric("unique_page_views"),
    Metric("entries"),
    Metric("exits"),
    Metric("bounces"),
    Metric("bounce_rate"),
    Metric("exit_rate"),
    Metric("events_per_session"),
    Metric("goal_conversions"),
    Metric("ecommerce_conversions"),
    Metric("revenue", "sum"),
    Metric("session_total_time", "average"),
)


def _check(
    oracle: Oracle,
    dims: list[Dim],
    metrics: list[Metric],
    date_from: date = FIRST_DAY,
    date_to: date = LAST_DAY,
    family: tuple[Metric, ...] = (),
) -> None:
    """Run the query on every app and fail with every difference found.

    With a `family`, the metric is asked together with the family's metrics of the same scope
    (one query per app, shared by the family's tests through `Oracle.query_cached`): each test
    still compares only its own column. why: one query per test and app made the oracle the
    slowest part of the suite; grouping by scope keeps session-scope formulas in session scope.
    """
    problems: list[str] = []
    for app in (a.key for a in APPS):
        asked = _family_of(dims, metrics, family)
        got = oracle.query_cached(app, dims, asked, date_from, date_to)
        if got is None or len(asked) == 1:
            got, asked = oracle.query(app, dims, metrics, date_from, date_to), metrics
        else:
            got = _only(got, len(dims), [asked.index(m) for m in metrics])
        want = oracle.truth.answer(app, dims, metrics, date_from, date_to)
        labels = [m.label for m in metrics]
        problems += [f"[{app}] {p}" for p in differences(want, got, len(dims), labels)]
    assert not problems, report(problems)


def _family_of(dims: list[Dim], metrics: list[Metric], family: tuple[Metric, ...]) -> list[Metric]:
    """The family members in the same scope as `metrics` (the metrics themselves without one)."""
    if not family:
        return metrics
    scope = is_event_scope(dims, metrics)
    return [m for m in family if is_event_scope(dims, [m]) == scope]


def _only(answer_: dict[str, Any], n_dims: int, keep: list[int]) -> dict[str, Any]:
    """The answer with only the dimension cells and the metric cells at `keep`."""
    rows = [row[:n_dims] + [row[n_dims + i] for i in keep] for row in answer_["data"]]
    return {**answer_, "data": rows}


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.label)
def test_metric_alone(oracle: Oracle, metric: Metric) -> None:
    _check(oracle, [], [metric])


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.label)
def test_metric_by_day(oracle: Oracle, metric: Metric) -> None:
    _check(oracle, [Dim("timestamp", "to_date")], [metric], family=ALL_METRICS)


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.label)
def test_metric_by_timestamp(oracle: Oracle, metric: Metric) -> None:
    _check(oracle, [Dim("timestamp")], [metric], family=ALL_METRICS)


@pytest.mark.parametrize("metric", MAIN_METRICS, ids=lambda m: m.label)
def test_main_metric_by_hour(oracle: Oracle, metric: Metric) -> None:
    # local hours: the same UTC hour is a different row in each app
    _check(oracle, [Dim("timestamp", "to_start_of_hour")], [metric], family=MAIN_METRICS)


@pytest.mark.parametrize("metric", MAIN_METRICS, ids=lambda m: m.label)
@pytest.mark.parametrize("dim", DIMENSIONS, ids=lambda d: d.label)
def test_dimension_by_metric(oracle: Oracle, dim: Dim, metric: Metric) -> None:
    _check(oracle, [dim], [metric], family=MAIN_METRICS)


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.label)
@pytest.mark.parametrize("dim", [Dim("event_url"), Dim("referrer_type")], ids=lambda d: d.label)
def test_every_metric_by_page_and_channel(oracle: Oracle, dim: Dim, metric: Metric) -> None:
    # every metric once in event scope by page and once in session scope by channel
    _check(oracle, [dim], [metric], family=ALL_METRICS)


@pytest.mark.parametrize("metric", MAIN_METRICS, ids=lambda m: m.label)
@pytest.mark.parametrize("dim", TRANSFORMED, ids=lambda d: d.label)
def test_transformed_dimension_by_metric(oracle: Oracle, dim: Dim, metric: Metric) -> None:
    _check(oracle, [dim], [metric], family=MAIN_METRICS)


@pytest.mark.parametrize(
    "dims",
    [
        [Dim("timestamp", "to_date"), Dim("referrer_type")],
        [Dim("timestamp", "to_date"), Dim("event_url")],
        [Dim("device_type"), Dim("location_country_name")],
    ],
    ids=lambda ds: "+".join(d.label for d in ds),
)
def test_two_dimensions_with_the_main_metrics(oracle: Oracle, dims: list[Dim]) -> None:
    _check(oracle, dims, list(MAIN_METRICS))


def test_a_shorter_range_counts_only_its_days(oracle: Oracle) -> None:
    # visitors are unique over the range, not the sum of the days (seed 001 §1.5.3)
    start, end = FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=2)
    _check(oracle, [], [Metric("visitors"), Metric("sessions"), Metric("events")], start, end)
    _check(oracle, [Dim("timestamp", "to_date")], [Metric("visitors")], start, end)


def test_days_outside_the_range_exist_and_are_left_out(oracle: Oracle) -> None:
    # the plan has sessions just before and after the range, near local midnight
    before, after = FIRST_DAY - timedelta(days=1), LAST_DAY + timedelta(days=1)
    for day in (before, after):
        for app in (a.key for a in APPS):
            want = answer(
                oracle.plan, app, [], [Metric("sessions")], day, day, oracle.sessions(app)
            )
            assert want[()][0] >= 2
    _check(oracle, [], [Metric("sessions")], before, before)
    _check(oracle, [], [Metric("sessions")], after, after)


def test_every_catalog_metric_is_checked_or_excluded(oracle: Oracle) -> None:
    # the API's own list of metrics (api-notes §1.4): each one is checked above, needs an
    # integration (left out: no integration data exists), or is checked in another module
    r = oracle.client.get(
        "/analytics/api/engine/metrics/", headers={"Authorization": f"Bearer {oracle.token}"}
    )
    assert r.status_code == 200, r.text[:300]
    listed = {
        m["column_id"] for m in r.json() if "requires_integration" not in m.get("column_meta", {})
    }
    assert listed == set(TABLE_1) | set(ELSEWHERE)
