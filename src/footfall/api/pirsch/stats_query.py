"""Running Pirsch statistics through the query model: one `Query` per question, never SQL.

`Runner.rows` builds a `Query` for the filter's domain and period plus the extra conditions of an
endpoint, runs it with the compiler (`footfall.query.execute.run`), and returns plain cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from footfall.api.pirsch.filter import SCALE_TRANSFORMS, Filter
from footfall.query.compile import Compiler
from footfall.query.dialects import by_name
from footfall.query.execute import Reader, run
from footfall.query.model import ColumnRef, Condition, FilterGroup, Period, Query

VISITORS = ColumnRef("visitors")
VIEWS = ColumnRef("page_views")
SESSIONS = ColumnRef("sessions")
BOUNCES = ColumnRef("bounces")
BOUNCE_RATE = ColumnRef("bounce_rate")
EVENTS = ColumnRef("custom_events")
AVG_SESSION_TIME = ColumnRef("session_total_time", "average")
AVG_TIME_ON_PAGE = ColumnRef("time_on_page", "average")
AVG_EVENT_DURATION = ColumnRef("custom_event_value", "average")
TIME = ColumnRef("timestamp")
PAGE_VIEW, CUSTOM_EVENT, GOAL = 1, 5, 8
#: a whole period in one page: a year of days, all hours, every class
ALL = 100_000

Item = Condition | FilterGroup


def event_type(value: int) -> Condition:
    """Rows of one event type (page views, Pirsch events, goal conversions)."""
    return Condition(ColumnRef("event_type"), "eq", value)


class Runner:
    """Runs queries for one store with the compiler of its dialect."""

    def __init__(self, store: Reader) -> None:
        self.store = store
        self.compiler = Compiler(by_name(store.dialect))  # DuckDB or ClickHouse SQL

    def rows(
        self,
        f: Filter,
        columns: Sequence[ColumnRef],
        *more: Item,
        order: Sequence[tuple[int, Literal["asc", "desc"]]] = (),
        limit: int = ALL,
        offset: int = 0,
        period: Period | None = None,
        unfiltered: bool = False,
    ) -> list[list[Any]]:
        """Cells of one query over the filter's domain (`unfiltered`: the filter's own
        conditions left out, as the base of a conversion rate)."""
        items = more if unfiltered else (*f.conditions, *more)
        query = Query(
            website_ids=(f.domain_id,),
            period=period or f.period,
            columns=tuple(columns),
            filters=FilterGroup("and", tuple(items)) if items else None,
            order_by=tuple(order),
            offset=offset,
            limit=limit,
        )
        return run(self.store, self.compiler, query, {}).rows

    def events(
        self, f: Filter, columns: Sequence[ColumnRef], *more: Item, limit: int = ALL
    ) -> list[list[Any]]:
        """Event rows (raw data, not grouped) of the filter's domain and period matching `more`:
        `[session_id, event_id, visitor_id, timestamp, *columns]` each, in time order."""
        items = (*f.conditions, *more)
        query = Query(
            website_ids=(f.domain_id,),
            period=f.period,
            columns=tuple(columns),
            filters=FilterGroup("and", tuple(items)) if items else None,
            limit=limit,
            mode="events",
        )
        return run(self.store, self.compiler, query, {}).rows

    def totals(self, f: Filter, metrics: Sequence[ColumnRef], *more: Item, **kw: Any) -> list[Any]:
        """One row of metrics without dimensions (zeros when nothing matched)."""
        rows = self.rows(f, metrics, *more, **kw)
        return [number(v) for v in rows[0]] if rows else [0] * len(metrics)

    def buckets(
        self, f: Filter, metrics: Sequence[ColumnRef], *more: Item, unfiltered: bool = False
    ) -> list[tuple[date, list[Any]]]:
        """Metrics per time bucket of the filter's scale, every bucket of the period present."""
        bucket = ColumnRef("timestamp", SCALE_TRANSFORMS[f.scale])
        found = {
            _as_date(row[0]): [number(v) for v in row[1:]]
            for row in self.rows(
                f, [bucket, *metrics], *more, order=[(0, "asc")], unfiltered=unfiltered
            )
        }
        return [(day, found.get(day, [0] * len(metrics))) for day in scale_days(f)]


def number(value: Any) -> Any:
    """A metric cell as a number (NULL ratios and empty averages are 0 on the Pirsch wire)."""
    return 0 if value is None else value


def _as_date(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value


def _bucket(day: date, scale: str) -> date:
    if scale == "week":
        return day - timedelta(days=day.weekday())
    if scale == "month":
        return day.replace(day=1)
    if scale == "year":
        return day.replace(month=1, day=1)
    return day


def scale_days(f: Filter) -> list[date]:
    """The first day of every bucket of the period (in the filter's timezone)."""
    tz = ZoneInfo(f.period.timezone)
    first = f.period.start.replace(tzinfo=UTC).astimezone(tz).date()
    last = (f.period.end - timedelta(microseconds=1)).replace(tzinfo=UTC).astimezone(tz).date()
    out: list[date] = []
    day = first
    while day <= last:
        start = _bucket(day, f.scale)
        if not out or out[-1] != start:
            out.append(start)
        day += timedelta(days=1)
    return out


def rfc3339_day(day: date) -> str:
    """A time bucket on the wire: midnight UTC of the day (api-notes conventions)."""
    return f"{day.isoformat()}T00:00:00Z"


def previous(f: Filter) -> Filter:
    """The same filter over the period of equal length just before (growth rates)."""
    span = f.period.end - f.period.start
    return replace(f, period=Period(f.period.start - span, f.period.start, f.period.timezone))
