"""Queries run on a real DuckDB file and a real chDB store give the numbers the rows say."""

from __future__ import annotations

from typing import Any

import pytest

from footfall.query.execute import Result, run
from footfall.query.parse import parse

from .conftest import WEBSITE, AnyStore, compiler_for, resolve

PERIOD = {"date_from": "2026-11-06", "date_to": "2026-11-09"}


def ask(store: AnyStore, mode: str = "query", **body: Any) -> Result:
    query = parse({"website_id": WEBSITE, **PERIOD, **body}, mode, resolve)
    return run(store, compiler_for(store), query, {})


def test_session_totals_and_website_guard(query_store: AnyStore) -> None:
    result = ask(
        query_store,
        columns=[
            {"column_id": "sessions"},
            {"column_id": "page_views"},
            {"column_id": "visitors"},
            {"column_id": "bounces"},
            {"column_id": "ecommerce_conversions"},
        ],
    )
    pages = [1 + sid % 4 for sid in range(1, 41)]
    bounces = sum(1 for sid, p in zip(range(1, 41), pages, strict=True) if p == 1 and sid % 5)
    # the other website's 5 sessions never leak in
    assert result.rows == [[40, sum(pages), 7, bounces, 8]]


def test_event_scope_per_page(query_store: AnyStore) -> None:
    result = ask(
        query_store,
        columns=[
            {"column_id": "event_url", "transformation_id": "to_path"},
            {"column_id": "page_views"},
            {"column_id": "exits"},
            {"column_id": "sessions"},
        ],
        filters={
            "operator": "and",
            "conditions": [
                {"column_id": "event_type", "condition": {"operator": "eq", "value": 1}}
            ],
        },
    )
    by_path = {r[0]: r[1:] for r in result.rows}
    pages = [1 + sid % 4 for sid in range(1, 41)]
    for i in range(4):
        viewed = sum(1 for p in pages if p > i)
        exits = sum(1 for p in pages if p == i + 1)
        assert by_path[f"/p{i}"] == [viewed, exits, viewed]
    assert result.count == 4


def test_session_average_in_event_scope_counts_each_session_once(query_store: AnyStore) -> None:
    result = ask(
        query_store,
        columns=[
            {"column_id": "event_type"},
            {"column_id": "session_total_time", "transformation_id": "average"},
        ],
        filters={
            "operator": "and",
            "conditions": [
                {"column_id": "event_type", "condition": {"operator": "eq", "value": 1}}
            ],
        },
    )
    times = [30 * (1 + sid % 4 + (sid % 3 == 0) + (sid % 5 == 0) - 1) for sid in range(1, 41)]
    assert result.rows[0][1] == pytest.approx(sum(times) / 40)


def test_time_on_page_and_next_url_are_window_columns(query_store: AnyStore) -> None:
    result = ask(
        query_store,
        "events",
        columns=[
            {"column_id": "next_event_url"},
            {"column_id": "time_on_page"},
            {"column_id": "is_exit"},
        ],
        filters={
            "operator": "and",
            "conditions": [
                {"column_id": "session_id", "condition": {"operator": "eq", "value": 3}}
            ],
        },
    )
    # session 3: page views p0..p3, then a custom event (3 % 3 == 0); 30 s apart
    assert [r[4:] for r in result.rows] == [
        ["https://shop.example.com/p1?x=3#top", 30, 0],
        ["https://shop.example.com/p2?x=3#top", 30, 0],
        ["https://shop.example.com/p3?x=3#top", 30, 0],
        ["", 30, 1],
        ["", None, 0],
    ]


def test_a_url_transformation_next_to_window_columns(query_store: AnyStore) -> None:
    """to_path is computed below the window subquery then (compile.py `prewindow`): the same
    pages, times and exits, also when the path is filtered on."""
    path = {"column_id": "event_url", "transformation_id": "to_path"}
    session_3 = {"column_id": "session_id", "condition": {"operator": "eq", "value": 3}}
    result = ask(
        query_store,
        columns=[
            path,
            {"column_id": "time_on_page", "transformation_id": "sum"},
            {"column_id": "exits"},
            {"column_id": "page_views"},
        ],
        filters={"operator": "and", "conditions": [session_3]},
        order_by=[[0, "asc"]],
    )
    assert result.rows == [
        ["/p0", 30, 0, 1],
        ["/p1", 30, 0, 1],
        ["/p2", 30, 0, 1],
        ["/p3", 30, 1, 1],
        ["/p4", None, 0, 0],  # the custom event's URL: no page view
    ]
    only_p2 = {**path, "condition": {"operator": "eq", "value": "/p2"}}
    result = ask(
        query_store,
        columns=[path, {"column_id": "time_on_page", "transformation_id": "sum"}],
        filters={"operator": "and", "conditions": [session_3, only_p2]},
    )
    assert result.rows == [["/p2", 30]]
    body = {"website_id": WEBSITE, **PERIOD, "columns": [path, {"column_id": "exits"}]}
    sql = compiler_for(query_store).compile(parse(body, "query", resolve)).sql
    assert sql.count('AS "__t0"') == 1 and 'SELECT e."__t0" AS c0' in sql


def test_enum_labels_hex_ids_and_default_order(query_store: AnyStore) -> None:
    result = ask(query_store, columns=[{"column_id": "referrer_type"}, {"column_id": "sessions"}])
    assert result.rows[0][0][1] in {
        "Direct entry",
        "Search engine",
        "Website",
        "Campaign",
        "Social",
    }
    assert [r[1] for r in result.rows] == sorted((r[1] for r in result.rows), reverse=True)
    raw = ask(query_store, "sessions", columns=[{"column_id": "browser_name"}], limit=3)
    assert raw.count == 40
    assert all(len(r[1]) == 16 for r in raw.rows)
    assert raw.rows[0][3] in (["CH", "Chrome"], ["FF", "Firefox"], None)


def test_metric_filters_and_goal_columns(query_store: AnyStore) -> None:
    result = ask(
        query_store,
        columns=[
            {"column_id": "device_type"},
            {"column_id": "sessions"},
            {"column_id": "unique_goal_conversions", "goal_id": 1},
        ],
        metric_filters={
            "operator": "and",
            "conditions": [{"column_id": "sessions", "condition": {"operator": "gt", "value": 13}}],
        },
    )
    # device types 0, 1, 2 hold 13, 14, 13 sessions
    assert [r[0][0] for r in result.rows] == [1]
    assert result.rows[0][1] == 14
    assert result.rows[0][2] == sum(1 for sid in range(1, 41) if sid % 3 == 1 and sid % 4 == 0)
