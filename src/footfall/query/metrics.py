"""Metric formulas of DATA-MODEL §3 and docs/metrics.md, in session scope and in event scope.

Session scope reads the `sessions` table (one row per visit, counters already summed by the
sessionizer); event scope reads `events` joined to `sessions`. A metric that has no session-scope
formula (consents, unique purchases, per-goal conversion counts) makes the query event-scoped.
"""

from __future__ import annotations

from footfall.model.columns import COUNTED_EVENT_TYPES
from footfall.query.expr import (
    Agg,
    And,
    Cmp,
    Col,
    Const,
    Div,
    Expr,
    Fn,
    In,
    Lit,
    Minus,
    Or,
    SessionAgg,
    Tuple,
    eq,
)

PAGE_VIEW, OUTLINK, DOWNLOAD, SEARCH, CUSTOM_EVENT = 1, 2, 3, 4, 5
IMPRESSION, INTERACTION, GOAL, ORDER, ABANDONED = 6, 7, 8, 9, 10
CONSENT_VIEW, CONSENT_CLICK, CONSENT = 12, 13, 14

_COUNTED = tuple(sorted(COUNTED_EVENT_TYPES))


def _count(where: Expr | None = None) -> Expr:
    return Agg("count", None, where)


def _sum0(column: str | Expr) -> Expr:
    arg = Col(column) if isinstance(column, str) else column
    return Fn("coalesce", (Agg("sum", arg), Const(0)))


def _n(event_type: int, extra: Expr | None = None) -> Expr:
    cond = eq("event_type", event_type)
    return _count(cond if extra is None else And((cond, extra)))


def _uq(keys: tuple[str, ...], event_type: int, extra: Expr | None = None) -> Expr:
    """Distinct (session, key...) pairs among events of one type (DATA-MODEL §3 `uq`)."""
    cond = eq("event_type", event_type)
    row = Tuple((Col("session_id"), *(Col(k) for k in keys)))
    return Agg("count_distinct", row, cond if extra is None else And((cond, extra)))


def _distinct_sessions(where: Expr | None = None) -> Expr:
    return Agg("count_distinct", Col("session_id"), where)


def _gt0(column: str) -> Expr:
    return Cmp(">", Col(column), Const(0))


def _goal(goal_id: int | None) -> Expr | None:
    return None if goal_id is None else Cmp("=", Col("goal_id"), Lit(goal_id))


_VISITORS = Agg("count_distinct", Col("visitor_id"))
_SHARED: dict[str, Expr] = {
    "visitors": _VISITORS,
    "users": Agg("count_distinct", Col("user_id"), Cmp("<>", Col("user_id"), Lit(""))),
    "visitor_ips": Agg(
        "count_distinct", Fn("coalesce", (Col("ipv4_address"), Col("ipv6_address")))
    ),
    "returning_visitors_rate": Div(
        Agg("count_distinct", Col("visitor_id"), _gt0("visitor_returning")), _VISITORS
    ),
}

# Session scope: counters of the session rows.
_SESSION: dict[str, Expr] = {
    **_SHARED,
    "sessions": _count(),
    "events": _sum0("session_total_events"),
    "page_views": _sum0("session_total_page_views"),
    "unique_page_views": _sum0("session_unique_page_views"),
    "entries": _count(_gt0("session_total_page_views")),
    "exits": _count(_gt0("session_total_page_views")),
    "bounces": _sum0("is_bounce"),
    "outlinks": _sum0("session_total_outlinks"),
    "unique_outlinks": _sum0("session_unique_outlinks"),
    "downloads": _sum0("session_total_downloads"),
    "unique_downloads": _sum0("session_unique_downloads"),
    "searches": _sum0("session_total_site_searches"),
    "unique_searches": _sum0("session_unique_searches"),
    "custom_events": _sum0("session_total_custom_events"),
    "unique_custom_events": _sum0("session_unique_custom_events"),
    "content_impressions": _sum0("session_total_content_impressions"),
    "unique_content_impressions": _sum0("session_unique_content_impressions"),
    "content_interactions": _sum0("session_total_content_interactions"),
    "unique_content_interactions": _sum0("session_unique_content_interactions"),
    "goal_conversions": _sum0("session_total_goal_conversions"),
    "unique_goal_conversions": _sum0(Fn("list_len", (Col("session_goals"),))),
    "ecommerce_conversions": _sum0("session_total_ecommerce_conversions"),
    "ecommerce_abandoned_carts": _sum0("session_total_abandoned_carts"),
    "goal_conversion_rate": Div(_count(_gt0("session_total_goal_conversions")), _count()),
    "ecommerce_conversion_rate": Div(_count(_gt0("session_total_ecommerce_conversions")), _count()),
}


def _consent(column: str, value: int) -> Expr:
    return _n(CONSENT, Cmp("=", Col(column), Const(value)))


_FIRST_VIEWS = And(
    (
        eq("event_type", CONSENT_VIEW),
        Or(
            (
                In(Col("consent_source"), (1, 2)),
                And(
                    (eq("consent_source", 3), Cmp("=", Col("custom_event_name"), Lit("First view")))
                ),
            )
        ),
    )
)

# Event scope: event rows joined to their sessions (DATA-MODEL §3.1 `E:` formulas).
_EVENT: dict[str, Expr] = {
    **_SHARED,
    "sessions": _distinct_sessions(),
    "events": _count(In(Col("event_type"), _COUNTED)),
    "page_views": _n(PAGE_VIEW),
    "unique_page_views": _uq(("event_url",), PAGE_VIEW),
    "entries": _count(And((eq("event_type", PAGE_VIEW), eq("is_entry", 1)))),
    "exits": _count(eq("is_exit", 1)),
    "bounces": _count(And((eq("event_type", PAGE_VIEW), eq("is_entry", 1), eq("is_bounce", 1)))),
    "outlinks": _n(OUTLINK),
    "unique_outlinks": _uq(("outlink_url",), OUTLINK),
    "downloads": _n(DOWNLOAD),
    "unique_downloads": _uq(("download_url",), DOWNLOAD),
    "searches": _n(SEARCH),
    "unique_searches": _uq(("search_keyword",), SEARCH),
    "custom_events": _n(CUSTOM_EVENT),
    "unique_custom_events": _uq(
        ("custom_event_category", "custom_event_action", "custom_event_name"), CUSTOM_EVENT
    ),
    "content_impressions": _n(IMPRESSION),
    "unique_content_impressions": _uq(("content_name", "content_piece"), IMPRESSION),
    "content_interactions": _n(INTERACTION),
    "unique_content_interactions": _uq(("content_name", "content_piece"), INTERACTION),
    "ecommerce_conversions": _n(ORDER),
    "ecommerce_abandoned_carts": _n(ABANDONED),
    "unique_purchases": _uq(("order_id",), ORDER),
    "ecommerce_conversion_rate": Div(
        _distinct_sessions(eq("event_type", ORDER)), _distinct_sessions()
    ),
    "consent_form_impressions": _n(CONSENT_VIEW),
    "consent_form_clicks": _n(CONSENT_CLICK),
    "consents_first": _consent("consent_action", 1),
    "consents_changed": _consent("consent_action", 2),
    "consents_full": _consent("consent_scope", 1),
    "consents_any": _consent("consent_scope", 2),
    "consents_none": _consent("consent_scope", 3),
    "consents_no_decision": Minus(_count(_FIRST_VIEWS), _consent("consent_action", 1), clamp=True),
    **{
        f"consents_{t}": _consent(f"consent_type_{t}", 1)
        for t in (
            "analytics",
            "ab_testing_personalization",
            "conversion_tracking",
            "marketing_automation",
            "remarketing",
            "user_feedback",
            "custom_1",
        )
    },
}

_RATIOS: dict[str, tuple[str, str]] = {
    "entry_rate": ("entries", "sessions"),
    "exit_rate": ("exits", "sessions"),
    "exit_rate_events": ("exits", "page_views"),
    "bounce_rate": ("bounces", "sessions"),
    "bounce_rate_events": ("bounces", "entries"),
    "content_interaction_rate": ("content_interactions", "content_impressions"),
    "events_per_session": ("events", "sessions"),
}

#: metrics that take a goal_id (seed §1.5.1 "specific goal")
GOAL_METRICS = frozenset({"goal_conversions", "unique_goal_conversions", "goal_conversion_rate"})


def _goal_session(metric: str, goal_id: int) -> Expr | None:
    """Per-goal metrics that the session row can answer (`session_goals` holds the goal ids)."""
    has = Fn("list_contains", (Col("session_goals"), Lit(goal_id)))
    if metric == "unique_goal_conversions":
        return _count(has)
    if metric == "goal_conversion_rate":
        return Div(_count(has), _count())
    return None  # goal_conversions counts rows: only events know how many


def _goal_event(metric: str, goal_id: int | None) -> Expr:
    goal = _goal(goal_id)
    if metric == "goal_conversions":
        return _n(GOAL, goal)
    if metric == "unique_goal_conversions":
        return _uq(("goal_id",), GOAL, goal)
    cond = eq("event_type", GOAL) if goal is None else And((eq("event_type", GOAL), goal))
    return Div(_distinct_sessions(cond), _distinct_sessions())


def session_formula(metric: str, goal_id: int | None = None) -> Expr | None:
    """The session-scope formula of a base metric; None when only events can answer it."""
    if metric in _RATIOS:
        num, den = (session_formula(m) for m in _RATIOS[metric])
        return None if num is None or den is None else Div(num, den)
    if goal_id is not None and metric in GOAL_METRICS:
        return _goal_session(metric, goal_id)
    return _SESSION.get(metric)


def event_formula(metric: str, goal_id: int | None = None) -> Expr:
    """The event-scope formula of a base metric (every base metric has one)."""
    if metric in _RATIOS:
        num, den = (event_formula(m) for m in _RATIOS[metric])
        return Div(num, den)
    if metric in GOAL_METRICS:
        return _goal_event(metric, goal_id)
    return _EVENT[metric]


_AGGREGATES = {"unique_count": "count_distinct", "min": "min", "max": "max"}
_PER_SESSION = {"average": "avg", "median": "median", "sum": "sum"}


def transformed(
    column: str,
    transformation: str,
    *,
    column_type: str,
    session_column_in_event_scope: bool,
    goal_id: int | None = None,
) -> Expr:
    """A dimension → metric transformation (seed Table 3, DATA-MODEL §3.4).

    NULLs are skipped by every aggregate; unique_count also skips ''. A session column read in
    event scope is aggregated over the distinct sessions of each group (docs/metrics.md), which
    only changes sum, average and median: min, max and distinct counts do not see repeats.
    """
    arg: Expr = Col(column)
    where: Expr | None = None
    if transformation == "unique_count" and column_type == "str":
        where = Cmp("<>", Col(column), Lit(""))
    if goal_id is not None:
        goal = And((eq("event_type", GOAL), Cmp("=", Col("goal_id"), Lit(goal_id))))
        where = goal if where is None else And((where, goal))
    if transformation in _AGGREGATES:
        return Agg(_AGGREGATES[transformation], arg, where)
    fn = _PER_SESSION[transformation]
    if session_column_in_event_scope:
        return SessionAgg(fn, arg)
    return Agg(fn, arg, where)
