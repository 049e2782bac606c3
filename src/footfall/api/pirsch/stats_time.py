"""Pirsch totals and time series: total, visitor, durations, growth, hours, minutes, weekdays,
active, platform and screen classes (api-notes §5)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from footfall.api.pirsch.filter import (
    PATH,
    PLATFORMS,
    SCREEN_CLASSES,
    Filter,
    period_of,
    platform_condition,
    screen_condition,
)
from footfall.api.pirsch.stats_query import (
    AVG_SESSION_TIME,
    AVG_TIME_ON_PAGE,
    BOUNCE_RATE,
    BOUNCES,
    PAGE_VIEW,
    SESSIONS,
    VIEWS,
    VISITORS,
    Runner,
    event_type,
    previous,
    rfc3339_day,
)
from footfall.meta.store import MetaStore
from footfall.query.model import ColumnRef
from footfall.query.plan import conditions

_MAIN = [VISITORS, VIEWS, SESSIONS, BOUNCES, BOUNCE_RATE]
_SCALE_KEYS = ("day", "week", "month", "year")


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _main(values: list[Any], base: float, filtered: bool) -> dict[str, Any]:
    """visitors … bounce_rate, cr and the custom metric fields (none are tracked: 0)."""
    visitors, views, sessions, bounces, bounce_rate = values
    return {
        "visitors": int(visitors),
        "views": int(views),
        "sessions": int(sessions),
        "bounces": int(bounces),
        "bounce_rate": float(bounce_rate),
        "cr": _ratio(visitors, base) if filtered else 0.0,
        "custom_metric_avg": 0.0,
        "custom_metric_total": 0.0,
    }


def total(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, Any]:
    """/statistics/total: one object over the whole period."""
    values = runner.totals(f, _MAIN)
    base = runner.totals(f, [VISITORS], unfiltered=True)[0] if f.conditions else 0
    return _main(values, base, bool(f.conditions))


def _stamp(f: Filter, day: Any) -> dict[str, Any]:
    """day/week/month/year: only the key of the filter's scale is set."""
    return {key: rfc3339_day(day) if key == f.scale else None for key in _SCALE_KEYS}


def visitor(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/visitor: the main metrics per day (week, month, year)."""
    base: dict[Any, Any] = {}
    if f.conditions:
        base = {day: v[0] for day, v in runner.buckets(f, [VISITORS], unfiltered=True)}
    return [
        {**_stamp(f, day), **_main(values, base.get(day, 0), bool(f.conditions))}
        for day, values in runner.buckets(f, _MAIN)
    ]


def session_duration(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/duration/session: average session length per bucket."""
    return [
        {**_stamp(f, day), "path": "", "title": "", "average_time_spent_seconds": round(v[0])}
        for day, v in runner.buckets(f, [AVG_SESSION_TIME])
    ]


def page_duration(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/duration/page: average time on page per bucket (page views only)."""
    paths = [c.value for c in _leaves(f) if c.column == PATH and c.operator == "eq"]
    path = paths[0] if len(paths) == 1 else ""
    return [
        {**_stamp(f, day), "path": path, "title": "", "average_time_spent_seconds": round(v[0])}
        for day, v in runner.buckets(f, [AVG_TIME_ON_PAGE], event_type(PAGE_VIEW))
    ]


def _leaves(f: Filter) -> list[Any]:
    return list(conditions(f.where()))


def growth(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, float]:
    """/statistics/growth: each total against the period of equal length just before."""
    metrics = [VISITORS, VIEWS, SESSIONS, BOUNCES, AVG_SESSION_TIME]
    now = runner.totals(f, metrics)
    before = runner.totals(previous(f), metrics)
    names = ("visitors", "views", "sessions", "bounces", "time_spent")
    out = {f"{n}_growth": _ratio(a - b, b) for n, a, b in zip(names, now, before, strict=True)}
    out.update(
        {"cr_growth": 0.0, "custom_metric_avg_growth": 0.0, "custom_metric_total_growth": 0.0}
    )
    return out


def _by_index(
    runner: Runner, f: Filter, transformation: str, key: str, indexes: range
) -> list[dict[str, Any]]:
    part = ColumnRef("timestamp", transformation)
    found = {int(r[0]): r[1:] for r in runner.rows(f, [part, *_MAIN])}
    out = []
    for i in indexes:
        values = found.get(i, [0, 0, 0, 0, 0])
        item = {key: i, **_main([v or 0 for v in values], 0, False)}
        out.append(item)
    return out


def hours(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/hours: the main metrics for each hour 0-23 (in the filter's timezone)."""
    return _by_index(runner, f, "to_hour_of_day", "hour", range(24))


def minutes(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/minutes: the main metrics for each minute 0-59 of the hour (Pirsch core
    `ByMinute`: grouped by the minute within the hour, in the filter's timezone)."""
    return _by_index(runner, f, "to_minute_of_hour", "minute", range(60))


def weekdays(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/weekdays: visitors, views, sessions and bounces per weekday and full hour
    (Pirsch docs 2024: Monday is 0), every one of the 7 × 24 cells present."""
    day, hour = ColumnRef("timestamp", "to_day_of_week"), ColumnRef("timestamp", "to_hour_of_day")
    metrics = [VISITORS, VIEWS, SESSIONS, BOUNCES]
    found = {(int(r[0]) - 1, int(r[1])): r[2:] for r in runner.rows(f, [day, hour, *metrics])}
    names = ("visitors", "views", "sessions", "bounces")
    return [
        {
            "weekday": d,
            "hour": h,
            **{n: int(v or 0) for n, v in zip(names, found.get((d, h), [0] * 4), strict=True)},
        }
        for d in range(7)
        for h in range(24)
    ]


def active(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, Any]:
    """/statistics/active: visitors of the last `start` seconds (default 600), by page and
    country."""
    if not f.live:
        f = replace(f, period=period_of({"start": ["600"]}, f.period.timezone)[0], live=True)
    visitors = int(runner.totals(f, [VISITORS])[0])
    pages = runner.rows(f, [PATH, VISITORS], event_type(PAGE_VIEW), limit=f.limit)
    country = ColumnRef("location_country_name")
    countries = runner.rows(f, [country, VISITORS], limit=f.limit)
    return {
        "visitors": visitors,
        "stats": [{"path": p or "", "title": "", "visitors": int(v)} for p, v in pages],
        "countries": [
            {
                "country_code": (c[0] or "").lower() if isinstance(c, list) else "",
                "visitors": int(v),
                "relative_visitors": _ratio(int(v), visitors),
            }
            for c, v in countries
        ],
    }


def platform(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, Any]:
    """/statistics/platform: an object of desktop, mobile and unknown visitors."""
    counts = {p: int(runner.totals(f, [VISITORS], platform_condition(p))[0]) for p in PLATFORMS}
    whole = sum(counts.values())
    out: dict[str, Any] = {f"platform_{p}": counts[p] for p in PLATFORMS}
    out.update({f"relative_platform_{p}": _ratio(counts[p], whole) for p in PLATFORMS})
    return out


def screen(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/screen: visitors per Pirsch screen class (by screen width)."""
    whole = int(runner.totals(f, [VISITORS])[0])
    out: list[dict[str, Any]] = []
    for cls, _ in SCREEN_CLASSES:
        visitors = int(runner.totals(f, [VISITORS], screen_condition(cls))[0])
        if visitors:
            out.append(
                {
                    "screen_class": cls,
                    "visitors": visitors,
                    "relative_visitors": _ratio(visitors, whole),
                }
            )
    reverse = f.direction == "desc"
    key = "screen_class" if f.sort == "screen_class" else "visitors"
    out.sort(key=lambda item: item[key], reverse=reverse)
    return out[f.offset : f.offset + f.limit]


ANSWERS = {
    "total": total,
    "visitor": visitor,
    "duration/session": session_duration,
    "duration/page": page_duration,
    "growth": growth,
    "hours": hours,
    "minutes": minutes,
    "weekdays": weekdays,
    "active": active,
    "platform": platform,
    "screen": screen,
}
