"""Brute force: every metric of docs/metrics.md computed in plain Python from the generator's plan.

Nothing here reads the store or imports `footfall.query`: the numbers come from the sessions and
rows the generator decided (`scenarios.oracle_traffic`), through the definitions written once in
docs/metrics.md. `answer(plan, app, dims, metrics, date_from, date_to)` returns what
`POST /api/analytics/v1/query/` must return, as {dimension values: [metric values]}.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from scenarios.oracle_traffic import (
    ABANDONED_CART,
    CONSENT_DECISION,
    CONSENT_IMPRESSION,
    GOAL,
    NOT_COUNTED,
    ORDER,
    PAGE_VIEW,
    PRODUCT_VIEW,
    Ev,
    Plan,
    Session,
)

Row = dict[str, Any]

#: event-scope dimensions the oracle groups by (seed 001 Table 2 scope "event")
EVENT_DIMENSIONS = frozenset(
    (
        "event_url",
        "event_title",
        "event_type",
        "custom_event_category",
        "custom_event_action",
        "custom_event_name",
        "search_keyword",
        "download_url",
        "outlink_url",
        "content_name",
        "goal_id",
        "order_id",
    )
)
#: metric columns of seed 001 Table 1 whose scope is "event"
EVENT_METRICS = frozenset(("unique_purchases",)) | {
    m
    for m in (
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
    )
}
#: event columns a metric transformation may read (their use puts the query in event scope)
EVENT_VALUE_COLUMNS = frozenset(
    (
        "revenue",
        "goal_revenue",
        "item_count",
        "time_on_page",
        "custom_event_value",
        "page_generation_time",
        "cart_amount",
        "lost_revenue",
    )
)
SESSION_VALUE_COLUMNS = frozenset(
    ("session_total_time", "session_total_events", "session_total_abandoned_carts")
)


@dataclass(frozen=True)
class Metric:
    """One requested metric column: a Table 1 id, or a dimension with a transformation."""

    column_id: str
    transformation_id: str | None = None
    goal_id: int | None = None

    def request(self) -> dict[str, Any]:
        """The column as the query API takes it."""
        out: dict[str, Any] = {"column_id": self.column_id}
        if self.transformation_id:
            out["transformation_id"] = self.transformation_id
        if self.goal_id is not None:
            out["goal_id"] = self.goal_id
        return out

    @property
    def label(self) -> str:
        """A readable test id."""
        parts = [self.column_id]
        if self.transformation_id:
            parts.append(self.transformation_id)
        if self.goal_id is not None:
            parts.append(f"goal{self.goal_id}")
        return ".".join(parts)


@dataclass(frozen=True)
class Dim:
    """One requested dimension column, with an optional dimension → dimension transformation."""

    column_id: str
    transformation_id: str | None = None

    def request(self) -> dict[str, Any]:
        """The column as the query API takes it."""
        out: dict[str, Any] = {"column_id": self.column_id}
        if self.transformation_id:
            out["transformation_id"] = self.transformation_id
        return out

    @property
    def label(self) -> str:
        """A readable test id."""
        return self.column_id + (f".{self.transformation_id}" if self.transformation_id else "")


@dataclass
class StoredSession:
    """A session row as the store must hold it (the counters derived from the rows)."""

    plan: Session
    visitor_key: Any  # visitor_id, or a per-session token for a cookieless visitor
    rows: list[Row] = field(default_factory=list)
    values: Row = field(default_factory=dict)


def stored(plan: Plan, app: str) -> list[StoredSession]:
    """The app's sessions with their stored event rows and session columns (DATA-MODEL §1)."""
    tz = plan.apps[app].timezone
    out = []
    for s in plan.sessions[app]:
        evs = [e for e in s.events if not e.ghost]
        st = StoredSession(s, s.visitor_id if s.visitor_id is not None else ("anon", id(s)))
        st.rows = [_row(e, tz) for e in evs]
        _derive_page_columns(st.rows, evs)
        st.values = _session_values(s, evs, st.rows, tz)
        for r in st.rows:
            r["_session"] = st
        out.append(st)
    return out


#: event columns that are '' when the event type does not fill them (DATA-MODEL §1.7)
_TEXT_COLUMNS = (
    "custom_event_category",
    "custom_event_action",
    "custom_event_name",
    "search_keyword",
    "search_category",
    "download_url",
    "outlink_url",
    "content_name",
    "content_piece",
    "order_id",
)


#: event columns that are NULL when the event type does not fill them
_NUMBER_COLUMNS = (
    "goal_id",
    "goal_revenue",
    "revenue",
    "item_count",
    "custom_event_value",
    "cart_amount",
    "lost_revenue",
    "time_on_page",
)


def _row(e: Ev, tz: str) -> Row:
    r: Row = dict.fromkeys(_TEXT_COLUMNS, "") | dict.fromkeys(_NUMBER_COLUMNS)
    r.update(
        event_type=e.type,
        ts=e.ts,
        event_url=e.url,
        event_title=e.title,
        event_time=_local(e.ts, tz),
        pv_id=(e.wire or {}).get("pv_id", ""),
    )
    r.update(e.cols)
    return r


def _local(ts: int, tz: str) -> datetime:
    return datetime.fromtimestamp(ts, ZoneInfo(tz)).replace(tzinfo=None)


def _derive_page_columns(rows: list[Row], evs: list[Ev]) -> None:
    """is_entry, is_exit and time_on_page of the page views (DATA-MODEL §1.7, by position)."""
    pages = [i for i, r in enumerate(rows) if r["event_type"] == PAGE_VIEW]
    for n, i in enumerate(pages):
        r = rows[i]
        r["is_entry"] = 1 if n == 0 else 0
        r["is_exit"] = 1 if n == len(pages) - 1 else 0
        if n + 1 < len(pages):
            r["time_on_page"] = rows[pages[n + 1]]["ts"] - r["ts"]
        else:
            later = [x for x in rows[i + 1 :] if not r["pv_id"] or x["pv_id"] == r["pv_id"]]
            r["time_on_page"] = later[-1]["ts"] - r["ts"] if later else None
    for r in rows:
        r.setdefault("is_entry", 0)
        r.setdefault("is_exit", 0)
    del evs


def _session_values(s: Session, evs: list[Ev], rows: list[Row], tz: str) -> Row:
    types = [e.type for e in evs]
    pages = [r for r in rows if r["event_type"] == PAGE_VIEW]
    has_goal = GOAL in types
    has_order = ORDER in types
    abandoned = ABANDONED_CART in types
    return {
        "session_total_abandoned_carts": 1 if abandoned else 0,
        "session_ecommerce_status": _shopping_stage(has_order, abandoned, PRODUCT_VIEW in types),
        "timestamp": _local(evs[0].ts, tz),
        "session_total_time": evs[-1].ts - evs[0].ts,
        "session_total_events": sum(1 for t in types if t not in NOT_COUNTED),
        "page_views": len(pages),
        "is_bounce": 1 if len(pages) == 1 and not has_goal and not has_order else 0,
        "session_entry_url": pages[0]["event_url"] if pages else "",
        "session_exit_url": pages[-1]["event_url"] if pages else "",
        "referrer_type": s.referrer_type,
        "source": s.source,
        "medium": s.medium,
        "campaign_name": s.campaign_name,
        "location_country_name": s.visitor.country,
        "browser_name": s.visitor.browser.browser_name,
        "operating_system": s.visitor.browser.operating_system,
        "device_type": s.visitor.browser.device_type,
        "session_custom_variable_value_1": s.custom_variable_1,
        "session_custom_dimension_1": s.custom_dimension_1,
        "visitor_returning": s.returning,
        "user_id": s.user_id,
        "ip": s.ip_anonymized,
    }


def _shopping_stage(ordered: bool, abandoned: bool, product_view: bool) -> int:
    """session_ecommerce_status (DATA-MODEL §1.2 precedence)."""
    if ordered:
        return 3 if abandoned else 1
    if abandoned:
        return 2
    return 4 if product_view else 0


# --- grouping -------------------------------------------------------------------------------


def is_event_scope(dims: Sequence[Dim], metrics: Sequence[Metric]) -> bool:
    """Seed 001 §1.1 note: one event-scope column puts the whole query in event scope."""
    if any(d.column_id in EVENT_DIMENSIONS for d in dims):
        return True
    return any(
        m.column_id in EVENT_METRICS or (m.transformation_id and m.column_id in EVENT_VALUE_COLUMNS)
        for m in metrics
    )


def _dim_value(d: Dim, values: Row) -> Any:
    v = values[d.column_id]
    t = d.transformation_id
    if t is None:
        # why: `timestamp` has database type "date" (seed 001 Table 2): the day in the app's tz
        return v.date() if d.column_id == "timestamp" else v
    if t == "to_date":
        assert isinstance(v, datetime)
        return v.date()
    if t == "to_start_of_hour":
        assert isinstance(v, datetime)
        return v.replace(minute=0, second=0)
    if t == "to_hour_of_day":
        return v.hour
    if t == "to_minute_of_hour":
        return v.minute
    if t == "to_day_of_week":
        return v.isoweekday()
    if t == "to_start_of_week":  # Monday (DATA-MODEL §3.4)
        return v.date() - timedelta(days=v.weekday())
    if t == "to_path":
        return urlsplit(v).path or "/"
    if t == "to_domain":
        return (urlsplit(v).hostname or "").lower()
    if t == "strip_qs":
        base, hash_, fragment = v.partition("#")
        return base.partition("?")[0] + hash_ + fragment
    raise ValueError(f"transformation {t} not in the oracle")


def answer(
    plan: Plan,
    app: str,
    dims: Sequence[Dim],
    metrics: Sequence[Metric],
    date_from: date,
    date_to: date,
    sessions: list[StoredSession] | None = None,
    keep: Callable[[Row], bool] | None = None,
) -> dict[tuple[Any, ...], list[Any]]:
    """The rows the query must return: dimension values → metric values.

    `keep` is a dimension filter: it sees a session's columns (session scope) or an event row
    merged with its session's columns (event scope) and says whether it stays.
    """
    all_sessions = sessions if sessions is not None else stored(plan, app)
    # why: every planned session lies in one local day, so sessions by start and events by
    # their own time select the same sessions (docs/metrics.md "Period")
    chosen = [s for s in all_sessions if date_from <= s.values["timestamp"].date() <= date_to]
    groups: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    if is_event_scope(dims, metrics):
        for s in chosen:
            for r in s.rows:
                # why: in event scope `timestamp` is the event's own time (DATA-MODEL §0)
                values = {**r, **s.values, "timestamp": r["event_time"]}
                if keep is not None and not keep(values):
                    continue
                groups[tuple(_dim_value(d, values) for d in dims)].append(r)
        return {k: [event_metric(m, rows) for m in metrics] for k, rows in groups.items()}
    by_session: dict[tuple[Any, ...], list[StoredSession]] = defaultdict(list)
    for s in chosen:
        if keep is not None and not keep(s.values):
            continue
        by_session[tuple(_dim_value(d, s.values) for d in dims)].append(s)
    return {k: [session_metric(m, ss) for m in metrics] for k, ss in by_session.items()}


# --- metric definitions (docs/metrics.md) ---------------------------------------------------


def _ratio(a: float, b: float) -> float | None:
    return None if b == 0 else a / b


def _n(rows: Iterable[Row], t: int) -> int:
    return sum(1 for r in rows if r["event_type"] == t)


def _uq(rows: Iterable[Row], t: int, key: Callable[[Row], Any]) -> int:
    return len({(id(r["_session"]), key(r)) for r in rows if r["event_type"] == t})


_UNIQUE_KEYS: dict[str, tuple[int, Callable[[Row], Any]]] = {
    "unique_page_views": (1, lambda r: r["event_url"]),
    "unique_outlinks": (2, lambda r: r["outlink_url"]),
    "unique_downloads": (3, lambda r: r["download_url"]),
    "unique_searches": (4, lambda r: r["search_keyword"]),
    "unique_custom_events": (
        5,
        lambda r: (r["custom_event_category"], r["custom_event_action"], r["custom_event_name"]),
    ),
    "unique_content_impressions": (6, lambda r: (r["content_name"], r["content_piece"])),
    "unique_content_interactions": (7, lambda r: (r["content_name"], r["content_piece"])),
    "unique_goal_conversions": (8, lambda r: r["goal_id"]),
    "unique_purchases": (9, lambda r: r["order_id"]),
}
_TYPE_COUNTS = {
    "page_views": 1,
    "outlinks": 2,
    "downloads": 3,
    "searches": 4,
    "custom_events": 5,
    "content_impressions": 6,
    "content_interactions": 7,
    "ecommerce_conversions": 9,
    "ecommerce_abandoned_carts": 10,
    "consent_form_impressions": 12,
    "consent_form_clicks": 13,
}
_CONSENT_FLAGS = {
    "consents_first": ("consent_action", 1),
    "consents_changed": ("consent_action", 2),
    "consents_full": ("consent_scope", 1),
    "consents_any": ("consent_scope", 2),
    "consents_none": ("consent_scope", 3),
    "consents_analytics": ("consent_type_analytics", 1),
    "consents_ab_testing_personalization": ("consent_type_ab_testing_personalization", 1),
    "consents_conversion_tracking": ("consent_type_conversion_tracking", 1),
    "consents_marketing_automation": ("consent_type_marketing_automation", 1),
    "consents_remarketing": ("consent_type_remarketing", 1),
    "consents_user_feedback": ("consent_type_user_feedback", 1),
    "consents_custom_1": ("consent_type_custom_1", 1),
}


def _transform(t: str, values: list[Any]) -> Any:
    vals = [v for v in values if v is not None]
    if t == "sum":
        return sum(vals) if vals else None
    if t == "average":
        return mean(vals) if vals else None
    if t == "max":
        return max(vals) if vals else None
    if t == "min":
        return min(vals) if vals else None
    raise ValueError(t)


def event_metric(m: Metric, rows: list[Row]) -> Any:
    """A metric over the event rows of one group (event scope, DATA-MODEL §3.1 E: formulas)."""
    c = m.column_id
    sessions = {id(r["_session"]): r["_session"] for r in rows}
    if m.transformation_id:
        if c in SESSION_VALUE_COLUMNS:  # each session of the group once
            return _transform(m.transformation_id, [s.values[c] for s in sessions.values()])
        picked = [r for r in rows if m.goal_id is None or r.get("goal_id") == m.goal_id]
        return _transform(m.transformation_id, [r.get(c) for r in picked])
    counted = sum(1 for r in rows if r["event_type"] not in NOT_COUNTED)
    entries = sum(r["is_entry"] for r in rows)
    exits = sum(r["is_exit"] for r in rows)
    bounces = sum(1 for r in rows if r["is_entry"] and r["_session"].values["is_bounce"])
    n_sessions = len(sessions)
    goal_rows = [
        r
        for r in rows
        if r["event_type"] == GOAL and (m.goal_id is None or r["goal_id"] == m.goal_id)
    ]
    simple: dict[str, Callable[[], Any]] = {
        "sessions": lambda: n_sessions,
        "events": lambda: counted,
        "entries": lambda: entries,
        "exits": lambda: exits,
        "bounces": lambda: bounces,
        "goal_conversions": lambda: len(goal_rows),
        "entry_rate": lambda: _ratio(entries, n_sessions),
        "exit_rate": lambda: _ratio(exits, n_sessions),
        "exit_rate_events": lambda: _ratio(exits, _n(rows, PAGE_VIEW)),
        "bounce_rate": lambda: _ratio(bounces, n_sessions),
        "bounce_rate_events": lambda: _ratio(bounces, entries),
        "events_per_session": lambda: _ratio(counted, n_sessions),
        "content_interaction_rate": lambda: _ratio(_n(rows, 7), _n(rows, 6)),
        "goal_conversion_rate": lambda: _ratio(
            len({id(r["_session"]) for r in goal_rows}), n_sessions
        ),
        "ecommerce_conversion_rate": lambda: _ratio(
            len({id(r["_session"]) for r in rows if r["event_type"] == ORDER}), n_sessions
        ),
        "consents_no_decision": lambda: max(
            0,
            sum(
                1
                for r in rows
                if r["event_type"] == CONSENT_IMPRESSION
                and (
                    r.get("consent_source") in (1, 2)
                    or (r.get("consent_source") == 3 and r.get("custom_event_name") == "First view")
                )
            )
            - _consent_count(rows, "consents_first"),
        ),
    }
    if c in simple:
        return simple[c]()
    if c in _TYPE_COUNTS:
        return _n(rows, _TYPE_COUNTS[c])
    if c in _UNIQUE_KEYS:
        t, key = _UNIQUE_KEYS[c]
        picked = [r for r in rows if m.goal_id is None or r.get("goal_id") == m.goal_id]
        return _uq(picked, t, key)
    if c in _CONSENT_FLAGS:
        return _consent_count(rows, c)
    return _session_level(c, list(sessions.values()))


def _consent_count(rows: list[Row], c: str) -> int:
    col, val = _CONSENT_FLAGS[c]
    return sum(1 for r in rows if r["event_type"] == CONSENT_DECISION and r.get(col) == val)


def _session_level(c: str, sessions: list[StoredSession]) -> Any:
    """Metrics of the visitors behind a set of sessions (identical in both scopes)."""
    visitors = {s.visitor_key for s in sessions}
    if c == "visitors":
        return len(visitors)
    if c == "users":
        return len({s.values["user_id"] for s in sessions if s.values["user_id"]})
    if c == "visitor_ips":
        return len({s.values["ip"] for s in sessions})
    if c == "returning_visitors_rate":
        returning = {s.visitor_key for s in sessions if s.values["visitor_returning"] > 0}
        return _ratio(len(returning), len(visitors))
    raise KeyError(f"metric {c} not in the oracle")


def session_metric(m: Metric, sessions: list[StoredSession]) -> Any:
    """A metric over the sessions of one group (session scope, DATA-MODEL §3.1 S: formulas)."""
    c = m.column_id
    if m.transformation_id:
        return _transform(m.transformation_id, [s.values[c] for s in sessions])
    rows = [r for s in sessions for r in s.rows]
    n = len(sessions)
    with_pages = sum(1 for s in sessions if s.values["page_views"] > 0)
    bounces = sum(s.values["is_bounce"] for s in sessions)
    if c in ("sessions",):
        return n
    if c == "events":
        return sum(s.values["session_total_events"] for s in sessions)
    if c in ("entries", "exits"):
        return with_pages
    if c == "bounces":
        return bounces
    if c == "entry_rate" or c == "exit_rate":
        return _ratio(with_pages, n)
    if c == "bounce_rate":
        return _ratio(bounces, n)
    if c == "bounce_rate_events":
        return _ratio(bounces, with_pages)
    if c == "exit_rate_events":
        return _ratio(with_pages, _n(rows, PAGE_VIEW))
    if c == "events_per_session":
        return _ratio(sum(s.values["session_total_events"] for s in sessions), n)
    if c == "unique_goal_conversions" and m.goal_id is not None:
        return sum(1 for s in sessions if any(r.get("goal_id") == m.goal_id for r in s.rows))
    if c in ("visitors", "users", "visitor_ips", "returning_visitors_rate"):
        return _session_level(c, sessions)
    # counters and unique counters: per-session sums of the same row formulas
    return event_metric(m, rows)
