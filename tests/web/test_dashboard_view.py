"""Dashboard query strings: ranges in the app's timezone, comparison, interval, filter chips."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.web.reports import FILTERABLE, buckets
from footfall.web.view import Chip, ViewError, parse_view

# 23:30 UTC on 10 Nov is already 11 Nov in Warsaw (UTC+1)
NOW = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)


def view(query: dict[str, str], chips: tuple[str, ...] = (), tz: str = "Europe/Warsaw"):  # type: ignore[no-untyped-def]
    return parse_view(query, chips, tz, FILTERABLE, now=NOW)


def test_relative_ranges_use_the_apps_timezone() -> None:
    assert (view({"range": "today"}).first, view({"range": "today"}).last) == (
        date(2026, 11, 11),
        date(2026, 11, 11),
    )
    utc = view({"range": "today"}, tz="UTC")
    assert utc.first == date(2026, 11, 10)
    week = view({})  # default: last 7 days, today excluded
    assert (week.first, week.last) == (date(2026, 11, 4), date(2026, 11, 10))


def test_comparison_periods() -> None:
    v = view({"range": "custom", "from": "2024-03-01", "to": "2024-03-10"})
    assert v.previous() == (date(2024, 2, 20), date(2024, 2, 29))
    leap = view({"range": "custom", "from": "2024-02-29", "to": "2024-02-29", "compare": "year"})
    assert leap.previous() == (date(2023, 2, 28), date(2023, 2, 28))
    assert view({"compare": "none"}).previous() is None


def test_interval_follows_the_range_length() -> None:
    assert view({"range": "today"}).interval == "hour"
    assert view({"range": "last_30_days"}).interval == "day"
    assert view({"range": "last_year"}).interval == "week"
    assert view({"range": "last_30_days", "interval": "month"}).interval == "month"


def test_buckets_cover_the_range() -> None:
    assert len(buckets(view({"range": "today"}))) == 24
    days = buckets(view({"range": "custom", "from": "2026-01-30", "to": "2026-02-02"}))
    assert days == ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]
    months = view(
        {"range": "custom", "from": "2026-01-31", "to": "2026-03-01", "interval": "month"}
    )
    assert buckets(months) == ["2026-01-01", "2026-02-01", "2026-03-01"]
    weeks = view({"range": "custom", "from": "2026-11-04", "to": "2026-11-10", "interval": "week"})
    assert buckets(weeks) == ["2026-11-02", "2026-11-09"]  # Mondays


def test_chips_round_trip_through_the_url() -> None:
    v = view({"range": "last_7_days"}, ("device_type:0", "event_url:https://a.test/?q=1&x=y"))
    assert v.chips == (Chip("device_type", "0"), Chip("event_url", "https://a.test/?q=1&x=y"))
    assert v.chips[0].condition() == {
        "column_id": "device_type",
        "condition": {"operator": "eq", "value": 0},
    }
    pairs = parse_qsl(v.with_chip("browser_name", "CH")[1:])
    assert ("f", "browser_name:CH") in pairs and ("f", "event_url:https://a.test/?q=1&x=y") in pairs
    replaced = parse_qsl(v.with_chip("device_type", "1")[1:])
    assert [p for p in replaced if p[1].startswith("device_type")] == [("f", "device_type:1")]
    removed = parse_qsl(v.without_chip(v.chips[0])[1:])
    assert ("f", "device_type:0") not in removed


@pytest.mark.parametrize(
    ("query", "chips", "parameter"),
    [
        ({"range": "someday"}, (), "range"),
        ({"range": "last_0_days"}, (), "range"),
        ({"range": "custom"}, (), "from"),
        ({"range": "custom", "from": "2026-02-30", "to": "2026-03-01"}, (), "from"),
        ({"range": "custom", "from": "2000-01-01", "to": "2026-01-01"}, (), "to"),
        ({"interval": "minute"}, (), "interval"),
        ({}, ("visitor_id:1",), "f"),
        ({}, ("device_type:phone",), "f"),
        ({}, tuple(f"source:{i}" for i in range(11)), "f"),
    ],
)
def test_bad_input_names_its_parameter(
    query: dict[str, str], chips: tuple[str, ...], parameter: str
) -> None:
    with pytest.raises(ViewError) as caught:
        view(query, chips)
    assert caught.value.parameter == parameter


@given(
    st.dictionaries(
        st.sampled_from(["range", "from", "to", "compare", "interval"]), st.text(max_size=30)
    ),
    st.lists(st.text(max_size=40), max_size=3),
)
def test_any_query_string_parses_or_names_a_parameter(
    query: dict[str, str], chips: list[str]
) -> None:
    try:
        v = view(query, tuple(chips))
    except ViewError as e:
        assert e.parameter in ("range", "from", "to", "compare", "interval", "f")
    else:
        assert v.first <= v.last
