"""The site overview as queries of the query model: headline figures, time series, top lists.

Every number the dashboard shows comes from `footfall.query` (parse → compile → execute): this
module only builds analytics API request bodies, exactly as an API client would, and reads
the answers. It writes no SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from footfall.query.compile import Compiler
from footfall.query.execute import Reader, Result, run
from footfall.query.parse import Resolver, parse
from footfall.query.render import Labels
from footfall.web.view import INTERVALS, View


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure: its key in the answer, label, request column and display format."""

    key: str
    label: str
    column: dict[str, Any]
    fmt: str  #: int, percent, duration, float, money


FIGURES = (
    Figure("visitors", "Visitors", {"column_id": "visitors"}, "int"),
    Figure("sessions", "Sessions", {"column_id": "sessions"}, "int"),
    Figure("page_views", "Page views", {"column_id": "page_views"}, "int"),
    Figure("bounce_rate", "Bounce rate", {"column_id": "bounce_rate"}, "percent"),
    Figure(
        "session_time",
        "Avg. session time",
        {"column_id": "session_total_time", "transformation_id": "average"},
        "duration",
    ),
    Figure(
        "events_per_session", "Events per session", {"column_id": "events_per_session"}, "float"
    ),
    Figure("goal_conversions", "Conversions", {"column_id": "goal_conversions"}, "int"),
)
#: revenue has event scope: a query of its own keeps the session figures in session scope; it is
#: the revenue of orders (type 9), as in Piwik PRO's e-commerce reports, not of carts or goals
ORDER = 9
REVENUE = Figure(
    "revenue", "Revenue", {"column_id": "revenue", "transformation_id": "sum"}, "money"
)
SERIES_METRICS = ("visitors", "sessions", "page_views")


@dataclass(frozen=True, slots=True)
class Report:
    """One top list: a dimension, the metric it is ranked by, and an optional fixed filter."""

    slug: str
    title: str
    dimension: str
    metric: str
    metric_label: str
    only_type: int | None = None  #: restrict to one event type (page views for the pages list)


REPORTS = (
    Report("pages", "Pages", "event_url", "page_views", "Page views", only_type=1),
    Report("entry-pages", "Entry pages", "session_entry_url", "sessions", "Sessions"),
    Report("exit-pages", "Exit pages", "session_exit_url", "sessions", "Sessions"),
    Report("channels", "Channels", "referrer_type", "sessions", "Sessions"),
    Report("sources", "Sources", "source", "sessions", "Sessions"),
    Report("campaigns", "Campaigns", "campaign_name", "sessions", "Sessions"),
    Report("countries", "Countries", "location_country_name", "sessions", "Sessions"),
    Report("browsers", "Browsers", "browser_name", "sessions", "Sessions"),
    Report("os", "Operating systems", "operating_system", "sessions", "Sessions"),
    Report("devices", "Device types", "device_type", "sessions", "Sessions"),
    Report("screens", "Screen sizes", "resolution", "sessions", "Sessions"),
    Report("languages", "Languages", "browser_language_iso639", "sessions", "Sessions"),
    Report("events", "Custom events", "custom_event_category", "custom_events", "Events"),
    Report("searches", "Site searches", "search_keyword", "searches", "Searches"),
    Report("outlinks", "Outlinks", "outlink_url", "outlinks", "Clicks"),
    Report("downloads", "Downloads", "download_url", "downloads", "Downloads"),
    Report("goals", "Goals", "goal_id", "goal_conversions", "Conversions"),
)
BY_SLUG = {r.slug: r for r in REPORTS}
#: top-list metrics that are not headline figures (their totals come with the figures)
TOTALS = tuple(sorted({r.metric for r in REPORTS} - {f.key for f in FIGURES}))
#: the columns a filter chip may name: every top list's dimension
FILTERABLE = frozenset(r.dimension for r in REPORTS)
TOP = 10
MAP_DIMENSION = BY_SLUG["countries"].dimension  #: the world map filters like the Countries list
MAP_LIMIT = 300  #: more than there are country codes
LIVE_MINUTES = 30
LIVE_EVENTS = 10


@dataclass(frozen=True, slots=True)
class Row:
    """One top-list row: the filter value (id), its label, the metric and its share."""

    value: str
    label: str
    count: float
    share: float  #: of the metric's total over the period, 0..1


@dataclass(frozen=True, slots=True)
class Table:
    """A top list as shown."""

    report: Report
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the overview page shows."""

    figures: dict[str, Any]
    previous: dict[str, Any] | None
    series: list[tuple[str, list[float]]]
    tables: list[Table]
    #: the comparison range's series, bucket by bucket beside `series` (same length; None when
    #: the comparison range has fewer buckets, e.g. a shorter month)
    previous_series: list[tuple[str, list[float]] | None] | None = None
    #: visitors by country (ISO code) for the world map
    countries: dict[str, float] | None = None


def _filters(view: View, extra: dict[str, Any] | None = None) -> dict[str, Any] | None:
    conditions: list[Any] = []
    chips = view.filters()
    if chips:
        conditions.append(chips)
    if extra:
        conditions.append(extra)
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"operator": "and", "conditions": conditions}


def only_type(event_type: int) -> dict[str, Any]:
    """A filter keeping one event type (DATA-MODEL §2)."""
    condition = {"column_id": "event_type", "condition": {"operator": "eq", "value": event_type}}
    return {"operator": "and", "conditions": [condition]}


class Reports:
    """Runs the overview's queries for one website id through the query model."""

    def __init__(
        self, reader: Reader, compiler: Compiler, labels: Callable[[tuple[str, ...]], Labels]
    ) -> None:
        self.reader = reader
        self.compiler = compiler
        self.labels = labels

    def query(
        self,
        resolve: Resolver,
        website_id: str,
        days: tuple[date, date],
        columns: list[dict[str, Any]],
        view: View,
        extra_filter: dict[str, Any] | None = None,
        **more: Any,
    ) -> Result:
        """One aggregate query of the analytics API, parsed and run."""
        body: dict[str, Any] = {
            "website_id": website_id,
            "date_from": days[0].isoformat(),
            "date_to": days[1].isoformat(),
            "columns": columns,
            **more,
        }
        filters = _filters(view, extra_filter)
        if filters is not None:
            body["filters"] = filters
        query = parse(body, "query", resolve)
        wanted = {c["column_id"] for c in columns} & {"goal_id", "website_name"}
        return run(
            self.reader, self.compiler, query, self.labels(query.website_ids) if wanted else {}
        )

    def figures(
        self, resolve: Resolver, website_id: str, days: tuple[date, date], view: View
    ) -> dict[str, Any]:
        """The headline figures over `days`, and the period totals of the top lists' metrics
        (the denominators of the share bars) from the same query."""
        keys = [f.key for f in FIGURES] + list(TOTALS)
        columns = [f.column for f in FIGURES] + [{"column_id": m} for m in TOTALS]
        main = self.query(resolve, website_id, days, columns, view)
        money = self.query(
            resolve, website_id, days, [REVENUE.column], view, extra_filter=only_type(ORDER)
        )
        row = main.rows[0] if main.rows else [None] * len(keys)
        out = dict(zip(keys, row, strict=True))
        out[REVENUE.key] = money.rows[0][0] if money.rows else None
        return out

    def series(
        self, resolve: Resolver, website_id: str, view: View
    ) -> list[tuple[str, list[float]]]:
        """(bucket, [visitors, sessions, page views]) per interval, empty buckets included."""
        columns = [
            {"column_id": "timestamp", "transformation_id": INTERVALS[view.interval]},
            *({"column_id": m} for m in SERIES_METRICS),
        ]
        result = self.query(
            resolve,
            website_id,
            (view.first, view.last),
            columns,
            view,
            order_by=[[0, "asc"]],
            limit=10_000,
        )
        found = {str(r[0]): [float(v or 0) for v in r[1:]] for r in result.rows}
        return [(b, found.get(b, [0.0] * len(SERIES_METRICS))) for b in buckets(view)]

    def _ranked(
        self,
        resolve: Resolver,
        website_id: str,
        view: View,
        report: Report,
        limit: int,
        more: tuple[str, ...] = (),
    ) -> Result:
        """A report's dimension ranked by its metric (ties by the dimension), plus `more`."""
        extra = None if report.only_type is None else only_type(report.only_type)
        columns = [{"column_id": c} for c in (report.dimension, report.metric, *more)]
        return self.query(
            resolve,
            website_id,
            (view.first, view.last),
            columns,
            view,
            order_by=[[1, "desc"], [0, "asc"]],
            limit=limit,
            extra_filter=extra,
        )

    def table(
        self,
        resolve: Resolver,
        website_id: str,
        view: View,
        report: Report,
        total: float | None,
        limit: int = TOP,
    ) -> Table:
        """One top list, ranked by its metric."""
        result = self._ranked(resolve, website_id, view, report, limit)
        return _table(report, result.rows, total, limit)

    def countries(
        self, resolve: Resolver, website_id: str, view: View, total: float | None
    ) -> tuple[Table, dict[str, float]]:
        """The Countries top list and the world map's visitors per country code, from one query
        (every country, ranked like the list; the visitors come along in the same scan)."""
        report = BY_SLUG["countries"]
        result = self._ranked(resolve, website_id, view, report, MAP_LIMIT, ("visitors",))
        visitors: dict[str, float] = {}
        for cell, _, count in result.rows:
            code = cell[0] if isinstance(cell, list) else cell
            if code and count:
                visitors[str(code)] = float(count)
        return _table(report, [r[:2] for r in result.rows], total, TOP), visitors

    def overview(self, resolve: Resolver, website_id: str, view: View) -> Overview:
        """The whole overview page."""
        figures = self.figures(resolve, website_id, (view.first, view.last), view)
        before = view.previous()
        previous = self.figures(resolve, website_id, before, view) if before else None
        countries, visitors = self.countries(
            resolve, website_id, view, figures.get(BY_SLUG["countries"].metric)
        )
        tables = [
            countries
            if r.slug == "countries"
            else self.table(resolve, website_id, view, r, figures.get(r.metric))
            for r in REPORTS
        ]
        series = self.series(resolve, website_id, view)
        aligned: list[tuple[str, list[float]] | None] | None = None
        if before is not None:
            earlier = self.series(
                resolve, website_id, replace(view, first=before[0], last=before[1])
            )
            aligned = [earlier[i] if i < len(earlier) else None for i in range(len(series))]
        return Overview(figures, previous, series, tables, aligned, visitors)


def _table(report: Report, cells: list[Any], total: float | None, limit: int) -> Table:
    """A top list from (dimension cell, count) rows: its first `limit` rows anyone can filter by."""
    rows: list[Row] = []
    for cell, count in cells[:limit]:
        value, label = (cell[0], cell[1]) if isinstance(cell, list) else (cell, cell)
        if value in (None, "") or count in (None, 0):
            continue  # "no campaign", "no outlink": not a row anyone can filter by
        share = float(count) / total if total else 0.0
        rows.append(Row(str(value), str(label), float(count), min(share, 1.0)))
    return Table(report, rows)


@dataclass(frozen=True, slots=True)
class Live:
    """The realtime panel: visitors of the last 30 minutes and the latest events."""

    visitors: int
    events: list[tuple[str, str, str]]  #: (local time, event type, URL or title), newest first


def realtime(
    reports: Reports, resolve: Resolver, website_id: str, timezone: str, now: datetime
) -> Live:
    """Visitors in the last `LIVE_MINUTES` and the latest `LIVE_EVENTS` events of an app."""
    visitors = run(
        reports.reader,
        reports.compiler,
        parse(
            {
                "website_id": website_id,
                "lookback_window": LIVE_MINUTES,
                "columns": [{"column_id": "visitors"}],
            },
            "real-time",
            resolve,
        ),
        {},
    )
    local = now.astimezone(ZoneInfo(timezone))
    body: dict[str, Any] = {
        "website_id": website_id,
        "date_from": (local - timedelta(minutes=LIVE_MINUTES)).strftime("%Y-%m-%d %H:%M:%S"),
        "date_to": (local + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),
        "columns": [{"column_id": "event_type"}, {"column_id": "event_url"}],
        "limit": 1,
    }
    # raw events come oldest first: read the count, then the last page
    head = run(reports.reader, reports.compiler, parse(body, "real-time-events", resolve), {})
    body.update(offset=max(0, head.count - LIVE_EVENTS), limit=LIVE_EVENTS)
    tail = run(reports.reader, reports.compiler, parse(body, "real-time-events", resolve), {})
    # raw rows start with the ids and the time the query model always adds (RAW_PREFIX)
    at = {c.column_id: i for i, c in enumerate(tail.columns)}
    events = [
        (
            _local_time(str(row[at["timestamp"]]), timezone),
            str(row[at["event_type"]][1]),
            str(row[at["event_url"]] or ""),
        )
        for row in reversed(tail.rows)
    ]
    count = visitors.rows[0][0] if visitors.rows else 0
    return Live(int(count or 0), events)


def _local_time(utc_iso: str, timezone: str) -> str:
    moment = datetime.fromisoformat(utc_iso).replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M:%S")


def buckets(view: View) -> list[str]:
    """The labels of every interval of the range, as the query model renders them."""
    out: list[str] = []
    if view.interval == "hour":
        day = view.first
        while day <= view.last:
            out += [f"{day.isoformat()}T{h:02d}:00:00" for h in range(24)]
            day += timedelta(days=1)
        return out
    day = view.first
    if view.interval == "week":
        day -= timedelta(days=day.weekday())
    elif view.interval == "month":
        day = day.replace(day=1)
    while day <= view.last:
        out.append(day.isoformat())
        if view.interval == "day":
            day += timedelta(days=1)
        elif view.interval == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out
