"""Time slices (UNION ALL branches per run of local-time buckets) give the unsliced answer.

The compiler splits an aggregate with a distinct count and a time bucket dimension into slices
only when the store holds enough rows (`ROWS_PER_SLICE`); these tests force the slicing on a
small real DuckDB file and chDB store by passing a large `volume`, over periods that cross DST
changes (including one at local midnight), and compare with the unsliced SQL and with counts made
here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.query import dates
from footfall.query.compile import MAX_SLICES, ROWS_PER_SLICE
from footfall.query.execute import run
from footfall.query.parse import Site, parse
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

from .conftest import AnyStore, compiler_for

WEBSITE = "5d1c9a8e-3f0b-4c2d-9e7a-1b2c3d4e5f60"
# Warsaw leaves DST on 2026-10-25 at 03:00; Santiago leaves it on 2026-04-05 at local midnight
# (00:00 → 23:00 the day before); Kolkata is 5:30 ahead. Every period crosses a week and a month.
ZONES = {
    "Europe/Warsaw": ("2026-10-20", "2026-11-03"),
    "America/Santiago": ("2026-03-28", "2026-04-09"),
    "Asia/Kolkata": ("2026-10-28", "2026-11-03"),
}


def _rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Sessions every ~37 minutes from 2026-03-20 to 2026-11-05, 60 visitors coming back."""
    rng = random.Random(7)
    events: list[dict[str, object]] = []
    sessions: list[dict[str, object]] = []
    start = datetime(2026, 3, 20, tzinfo=UTC).timestamp()
    end = datetime(2026, 11, 5, tzinfo=UTC).timestamp()
    sid, moment = 0, start
    while moment < end:
        sid += 1
        moment += 300 * rng.randint(2, 12)  # a 5-minute grid: some sessions start on boundaries
        pages = rng.randint(1, 3)
        for i in range(pages):
            events.append(
                {
                    "website_id": WEBSITE,
                    "event_id": sid * 10 + i,
                    "session_id": sid,
                    "timestamp": moment + 40 * i,
                    "event_index": i,
                    "event_type": 1,
                    "page_view_index": i,
                    "is_entry": int(i == 0),
                    "event_url": f"https://shop.example.com/p{rng.randint(0, 4)}",
                }
            )
        sessions.append(
            {
                "website_id": WEBSITE,
                "session_id": sid,
                "session_version": 1,
                "timestamp": moment,
                "last_event_time": moment + 40 * (pages - 1),
                "visitor_id": rng.randint(1, 60) * 0x9E3779B97F4A7C15 % 2**64,
                "session_total_events": pages,
                "session_total_page_views": pages,
                "is_bounce": int(pages == 1),
                "device_type": sid % 3,
                "browser_name": ("CH", "FF")[sid % 2],
            }
        )
    return events, sessions


# why module scope: chDB runs one engine directory per process (see `query_store`)
@pytest.fixture(scope="module", params=("duckdb", "chdb"))
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AnyStore, list[Any]]]:
    path: Path = tmp_path_factory.mktemp("slices")
    events, sessions = _rows()
    db: AnyStore = (
        DuckDBStore(str(path / "events.duckdb"))
        if request.param == "duckdb"
        else ClickHouseStore(parse_url(f"chdb://{path / 'chdb'}"))
    )
    db.migrate()
    db.write(events, sessions, checkpoint=1)
    yield db, sessions
    db.close()


def _query(timezone: str, body: dict[str, Any]) -> Any:
    date_from, date_to = ZONES[timezone]
    full = {"website_id": WEBSITE, "date_from": date_from, "date_to": date_to, **body}
    return parse(full, "query", lambda w: Site((WEBSITE,), timezone))


def _both(db: AnyStore, timezone: str, body: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """(unsliced rows, sliced rows) of one query; the sliced SQL must have branches."""
    query = _query(timezone, body)
    compiler = compiler_for(db)
    plain = compiler.compile(query, 0)
    sliced = compiler.compile(query, MAX_SLICES * ROWS_PER_SLICE)
    assert "UNION ALL" not in plain.sql
    assert sliced.sql.count("UNION ALL") >= 1
    return db.execute(plain.sql, plain.params), db.execute(sliced.sql, sliced.params)


BUCKETS = [None, "to_date", "to_start_of_hour", "to_start_of_week", "to_start_of_month"]
BODIES: list[dict[str, Any]] = [
    {"columns": [{"column_id": "visitors"}, {"column_id": "sessions"}]},
    {
        "columns": [
            {"column_id": "device_type"},
            {"column_id": "visitors"},
            {"column_id": "bounce_rate"},
        ],
        "order_by": [[2, "desc"]],
        "offset": 3,
        "limit": 7,
    },
    {  # event scope, joined to sessions by the filter
        "columns": [{"column_id": "visitors"}, {"column_id": "page_views"}],
        "filters": {
            "operator": "and",
            "conditions": [
                {"column_id": "event_url", "condition": {"operator": "contains", "value": "/p1"}},
                {"column_id": "browser_name", "condition": {"operator": "eq", "value": "CH"}},
            ],
        },
    },
    {  # a metric filter and a per-session average in event scope
        "columns": [
            {"column_id": "event_url"},
            {"column_id": "sessions"},
            {"column_id": "session_total_page_views", "transformation_id": "average"},
        ],
        "metric_filters": {
            "operator": "and",
            "conditions": [{"column_id": "sessions", "condition": {"operator": "gt", "value": 2}}],
        },
    },
]


@pytest.mark.parametrize("timezone", sorted(ZONES))
@pytest.mark.parametrize("bucket", BUCKETS)
@pytest.mark.parametrize("body", BODIES, ids=["session", "breakdown", "joined", "having"])
def test_sliced_answer_is_the_unsliced_one(
    store: tuple[AnyStore, list[Any]], timezone: str, bucket: str | None, body: dict[str, Any]
) -> None:
    db, _ = store
    column = {"column_id": "timestamp"}
    if bucket is not None:
        column["transformation_id"] = bucket
    plain, sliced = _both(db, timezone, {**body, "columns": [column, *body["columns"]]})
    assert plain == sliced
    assert plain


def test_daily_visitors_count_each_visitor_once_a_local_day(
    store: tuple[AnyStore, list[Any]],
) -> None:
    db, sessions = store
    zone = ZoneInfo("America/Santiago")
    body = {
        "columns": [
            {"column_id": "timestamp", "transformation_id": "to_date"},
            {"column_id": "visitors"},
            {"column_id": "sessions"},
        ],
        "order_by": [[0, "asc"]],
    }
    plain, sliced = _both(db, "America/Santiago", body)
    truth: dict[date, tuple[set[object], int]] = {}
    for s in sessions:
        local = datetime.fromtimestamp(float(str(s["timestamp"])), zone)
        if date(2026, 3, 28) <= local.date() <= date(2026, 4, 9):
            visitors, count = truth.get(local.date(), (set(), 0))
            truth[local.date()] = (visitors | {s["visitor_id"]}, count + 1)
    expected = [[day, len(v), n] for day, (v, n) in sorted(truth.items())]
    assert [list(r[:3]) for r in sliced] == expected
    assert sliced == plain


def test_small_stores_are_not_sliced(store: tuple[AnyStore, list[Any]]) -> None:
    db, _ = store
    compiler = compiler_for(db)
    query = _query(
        "Europe/Warsaw", {"columns": [{"column_id": "timestamp"}, {"column_id": "visitors"}]}
    )
    first = compiler.compile(query)
    assert first.volume is not None  # the store is asked how many rows the period holds
    counted = db.execute(*first.volume)[0][0]
    assert 0 < counted < ROWS_PER_SLICE
    assert "UNION ALL" not in compiler.compile(query, counted).sql
    # no distinct count: nothing to gain, no count asked
    sums = _query(
        "Europe/Warsaw", {"columns": [{"column_id": "timestamp"}, {"column_id": "sessions"}]}
    )
    assert compiler.compile(sums).volume is None
    assert "UNION ALL" not in compiler.compile(sums, 10**9).sql
    assert run(db, compiler, query, {}).count == 15


UNITS = ["hour", "day", "week", "month", "quarter", "year"]


def _bucket(moment: datetime, unit: str) -> datetime:
    if unit == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    month = {"month": 1, "quarter": 3, "year": 12}[unit]
    return day.replace(day=1, month=day.month - (day.month - 1) % month)


@given(
    st.sampled_from(UNITS),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=1, max_value=40),
)
def test_bucket_starts_are_the_bucket_starts_inside_the_range(
    unit: str, first: datetime, seconds: int, limit: int
) -> None:
    last = first + timedelta(seconds=seconds)
    # every bucket is an hour or more and starts on the hour: an hourly walk meets each start
    walk = {_bucket(first + timedelta(hours=k), unit) for k in range(seconds // 3600 + 2)}
    inside = sorted(b for b in walk if first < b < last)
    assert dates.bucket_starts(unit, first, last, 10**6) == inside
    thinned = dates.bucket_starts(unit, first, last, limit)
    assert len(min(limit, len(inside)) // 2 * [0]) <= len(thinned) <= limit
    assert set(thinned) <= set(inside)
    assert thinned == sorted(thinned)
