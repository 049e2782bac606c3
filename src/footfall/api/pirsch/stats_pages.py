"""Pirsch page, referrer, event, goal and tag statistics (api-notes §5).

Pirsch events and hit tags are stored as custom variables of their row (key/value slots): an
event's metadata in `filter.META_SLOTS` of its custom event row, a hit's tags in
`filter.TAG_SLOTS` of its page view (or event), so the two never share a slot.
"""

from __future__ import annotations

from typing import Any

from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.filter import EVENT_NAME, HOSTNAME, PATH, Filter, meta_key, meta_value
from footfall.api.pirsch.manage import iso_time
from footfall.api.pirsch.stats_query import (
    AVG_EVENT_DURATION,
    AVG_TIME_ON_PAGE,
    BOUNCE_RATE,
    BOUNCES,
    CUSTOM_EVENT,
    EVENTS,
    GOAL,
    PAGE_VIEW,
    SESSIONS,
    VIEWS,
    VISITORS,
    Item,
    Runner,
    event_type,
)
from footfall.collect.pirsch import META_SLOTS, TAG_SLOTS
from footfall.meta import pirsch_objects, services
from footfall.meta.store import MetaStore
from footfall.query.model import ColumnRef, Condition

TITLE = ColumnRef("event_title")
ENTRY = ColumnRef("session_entry_url", "to_path")
EXIT = ColumnRef("session_exit_url", "to_path")


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _search(f: Filter, column: ColumnRef) -> tuple[Item, ...]:
    return (Condition(column, "icontains", f.search),) if f.search else ()


def _order(f: Filter, names: list[str], default: int) -> list[tuple[int, Any]]:
    index = names.index(f.sort) if f.sort in names else default
    return [(index, f.direction)]


def _page_rows(
    runner: Runner, f: Filter, *more: Item, paged: bool = True
) -> tuple[list[dict[str, Any]], int, int]:
    """Page statistics of page views matching the filter (and `more`)."""
    names = ["path", "visitors", "views", "sessions", "bounces", "bounce_rate", "time"]
    metrics = [VISITORS, VIEWS, SESSIONS, BOUNCES, BOUNCE_RATE]
    if f.include_avg_time_on_page:
        metrics.append(AVG_TIME_ON_PAGE)
    base = (event_type(PAGE_VIEW), *more)
    whole_visitors, whole_views = runner.totals(f, [VISITORS, VIEWS], *base)
    dims = [PATH, TITLE] if f.include_title else [PATH]
    if f.include_title:
        names.insert(1, "title")
    rows = runner.rows(
        f,
        [*dims, *metrics],
        *base,
        *_search(f, PATH),
        order=_order(f, names, len(dims)),
        limit=f.limit if paged else 100_000,
        offset=f.offset if paged else 0,
    )
    out = []
    for row in rows:
        title = row.pop(1) if f.include_title else ""
        visitors, views = int(row[1] or 0), int(row[2] or 0)
        out.append(
            {
                "path": row[0] or "",
                "title": title or "",
                "visitors": visitors,
                "views": views,
                "sessions": int(row[3] or 0),
                "bounces": int(row[4] or 0),
                "relative_visitors": _ratio(visitors, whole_visitors),
                "relative_views": _ratio(views, whole_views),
                "bounce_rate": float(row[5] or 0),
                "average_time_spent_seconds": round(row[6] or 0) if len(row) > 6 else 0,
            }
        )
    return out, whole_visitors, whole_views


def page(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/page."""
    return _page_rows(runner, f)[0]


def hostname(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/hostname: page statistics per host (Pirsch docs 2024: hostname, visitors,
    views, sessions, bounces, relative_visitors, relative_views, bounce_rate)."""
    base = event_type(PAGE_VIEW)
    whole_visitors, whole_views = runner.totals(f, [VISITORS, VIEWS], base)
    names = ["hostname", "visitors", "views", "sessions", "bounces", "bounce_rate"]
    rows = runner.rows(
        f,
        [HOSTNAME, VISITORS, VIEWS, SESSIONS, BOUNCES, BOUNCE_RATE],
        base,
        *_search(f, HOSTNAME),
        order=_order(f, names, 1),
        limit=f.limit,
        offset=f.offset,
    )
    return [
        {
            "hostname": host or "",
            "visitors": int(visitors),
            "views": int(views),
            "sessions": int(sessions),
            "bounces": int(bounces or 0),
            "relative_visitors": _ratio(int(visitors), whole_visitors),
            "relative_views": _ratio(int(views), whole_views),
            "bounce_rate": float(rate or 0),
        }
        for host, visitors, views, sessions, bounces, rate in rows
    ]


_RATES = {"entries": "entry_rate", "exits": "exit_rate"}


def _ends(runner: Runner, f: Filter, column: ColumnRef, kind: str) -> list[dict[str, Any]]:
    """Entry or exit pages: sessions that started (ended) on each path."""
    rows = runner.rows(
        f,
        [column, VISITORS, SESSIONS],
        *_search(f, column),
        order=_order(f, ["path", "visitors", kind], 2),
        limit=f.limit,
        offset=f.offset,
    )
    pages = {p["path"]: p for p in _page_rows(runner, f, paged=False)[0]}
    out = []
    for path, visitors, sessions in rows:
        seen = pages.get(path or "", {})
        item: dict[str, Any] = {
            "path": path or "",
            "title": "",
            "visitors": int(seen.get("visitors", visitors) or 0),
            "sessions": int(seen.get("sessions", sessions) or 0),
            kind: int(sessions or 0),
            _RATES[kind]: _ratio(int(sessions or 0), int(seen.get("sessions", 0) or 0)),
        }
        if kind == "entries":
            item["average_time_spent_seconds"] = seen.get("average_time_spent_seconds", 0)
        out.append(item)
    return out


def entry(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/page/entry."""
    return _ends(runner, f, ENTRY, "entries")


def exit_(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/page/exit (the wire key is `path`, api-notes §10)."""
    return _ends(runner, f, EXIT, "exits")


def referrer(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/referrer: sessions by referrer name (source) and URL; direct entries left out."""
    name, url = ColumnRef("source"), ColumnRef("referrer_url")
    not_direct = Condition(ColumnRef("referrer_type"), "neq", 1)
    total = runner.totals(f, [VISITORS])[0]
    rows = runner.rows(
        f,
        [name, url, VISITORS, SESSIONS, BOUNCES, BOUNCE_RATE],
        not_direct,
        *_search(f, name),
        order=_order(f, ["referrer_name", "referrer", "visitors", "sessions", "bounces"], 2),
        limit=f.limit,
        offset=f.offset,
    )
    return [
        {
            "referrer": ref or "",
            "referrer_name": source or "",
            "referrer_icon": "",
            "visitors": int(visitors),
            "sessions": int(sessions),
            "relative_visitors": _ratio(int(visitors), total),
            "bounces": int(bounces or 0),
            "bounce_rate": float(rate or 0),
        }
        for source, ref, visitors, sessions, bounces, rate in rows
    ]


def _slots(
    runner: Runner, f: Filter, dims: list[ColumnRef], slot_dims: Any, *more: Item
) -> list[list[Any]]:
    """Rows of every metadata slot: `slot_dims(k)` adds that slot's columns to `dims`."""
    out: list[list[Any]] = []
    for k in META_SLOTS:
        extra, conds = slot_dims(k)
        out.extend(runner.rows(f, [*dims, *extra, VISITORS, EVENTS], *more, *conds))
    return out


def events(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/events: each event name with its visitors, count, duration and meta keys."""
    mine = event_type(CUSTOM_EVENT)
    base = runner.totals(f, [VISITORS], unfiltered=True)[0]
    rows = runner.rows(
        f,
        [EVENT_NAME, VISITORS, EVENTS, AVG_EVENT_DURATION],
        mine,
        *_search(f, EVENT_NAME),
        order=_order(f, ["name", "visitors", "count"], 1),
        limit=f.limit,
        offset=f.offset,
    )
    keys: dict[str, set[str]] = {}
    for name, key, *_ in _slots(
        runner,
        f,
        [EVENT_NAME],
        lambda k: ([meta_key(k)], [Condition(meta_key(k), "not_empty", None)]),
        mine,
    ):
        if key:
            keys.setdefault(name, set()).add(key)
    return [
        {
            "name": name,
            "visitors": int(visitors),
            "views": int(count),
            "count": int(count),
            "cr": _ratio(int(visitors), base),
            "average_duration_seconds": round(duration or 0),
            "meta_keys": sorted(keys.get(name, ())),
            "meta_value": "",
        }
        for name, visitors, count, duration in rows
    ]


def event_meta(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/event/meta: the values of one meta key of one event (both required)."""
    if not f.event:
        raise PirschError.invalid("event", "event is required")
    if not f.event_meta_key:
        raise PirschError.invalid("event_meta_key", "event_meta_key is required")
    base = runner.totals(f, [VISITORS], unfiltered=True)[0]
    merged: dict[str, list[int]] = {}
    for _name, value, visitors, count in _slots(
        runner,
        f,
        [EVENT_NAME],
        lambda k: ([meta_value(k)], [Condition(meta_key(k), "eq", f.event_meta_key)]),
        event_type(CUSTOM_EVENT),
    ):
        slot = merged.setdefault(value or "", [0, 0])
        slot[0] += int(visitors)
        slot[1] += int(count)
    items: list[dict[str, Any]] = [
        {
            "name": f.event[0],
            "visitors": v,
            "views": c,
            "count": c,
            "cr": _ratio(v, base),
            "average_duration_seconds": 0,
            "meta_keys": [f.event_meta_key],
            "meta_value": value,
        }
        for value, (v, c) in merged.items()
    ]
    items.sort(key=lambda i: (-i["visitors"], i["meta_value"]))
    return items[f.offset : f.offset + f.limit]


def event_list(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/event/list: events grouped by name and all their metadata."""
    slots = [c for k in META_SLOTS for c in (meta_key(k), meta_value(k))]
    rows = runner.rows(
        f,
        [EVENT_NAME, *slots, VISITORS, EVENTS],
        event_type(CUSTOM_EVENT),
        *_search(f, EVENT_NAME),
        order=[(len(slots) + 1, f.direction)],
        limit=f.limit,
        offset=f.offset,
    )
    out = []
    for row in rows:
        pairs = row[1 : 1 + len(slots)]
        meta_map = {pairs[i]: pairs[i + 1] or "" for i in range(0, len(pairs), 2) if pairs[i]}
        out.append(
            {"name": row[0], "meta": meta_map, "visitors": int(row[-2]), "count": int(row[-1])}
        )
    return out


def event_page(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/event/page: the pages the (filtered) events happened on, as PageStats."""
    rows = runner.rows(
        f,
        [PATH, VISITORS, EVENTS, SESSIONS],
        event_type(CUSTOM_EVENT),
        *_search(f, PATH),
        order=_order(f, ["path", "visitors", "views"], 1),
        limit=f.limit,
        offset=f.offset,
    )
    whole_visitors, whole_views = runner.totals(f, [VISITORS, EVENTS], event_type(CUSTOM_EVENT))
    return [
        {
            "path": path or "",
            "title": "",
            "visitors": int(v),
            "views": int(c),
            "sessions": int(s),
            "bounces": 0,
            "relative_visitors": _ratio(int(v), whole_visitors),
            "relative_views": _ratio(int(c), whole_views),
            "bounce_rate": 0.0,
            "average_time_spent_seconds": 0,
        }
        for path, v, c, s in rows
    ]


def goals(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/goals: each goal of the domain with the visitors that reached it."""
    base = runner.totals(f, [VISITORS], unfiltered=True)[0]
    out: list[dict[str, Any]] = []
    for goal in services.list_goals(meta, f.domain_id):
        reached = Condition(ColumnRef("goal_id"), "eq", goal.id)
        visitors, views = runner.totals(
            f, [VISITORS, ColumnRef("goal_conversions")], event_type(GOAL), reached
        )
        # a goal made through /api/v1/goal has its Pirsch fields under the platform goal's uuid
        own = pirsch_objects.find(meta, "goal", goal.uuid) if goal.uuid else None
        pattern = goal.pattern if goal.trigger == "url" else None
        out.append(
            {
                "page_goal": {
                    "id": goal.uuid or str(goal.id),
                    "def_time": iso_time(own["created_at"]) if own else None,
                    "mod_time": iso_time(own["updated_at"]) if own else None,
                    "domain_id": f.domain_id,
                    "name": goal.name,
                    "path_pattern": own["path_pattern"] if own else pattern,
                    "pattern": own["pattern"] if own else pattern,
                    "visitor_goal": own["visitor_goal"] if own else None,
                    "cr_goal": own["cr_goal"] if own else None,
                    "delete_reached": bool(own and own["delete_reached"]),
                    "email_reached": bool(own and own["email_reached"]),
                    "event_name": goal.pattern if goal.trigger == "event_name" else None,
                    "event_meta_key": None,
                    "event_meta_value": None,
                    "custom_metric_key": None,
                    "custom_metric_type": None,
                    "custom_metric_total_goal": None,
                    "custom_metric_avg_goal": None,
                },
                "stats": {
                    "visitors": int(visitors),
                    "views": int(views),
                    "cr": _ratio(int(visitors), base),
                },
            }
        )
    if f.search:
        out = [g for g in out if f.search.lower() in g["page_goal"]["name"].lower()]
    return out[f.offset : f.offset + f.limit]


def _tag_rows(runner: Runner, f: Filter, value: bool) -> list[dict[str, Any]]:
    """Visitors and views of page views per tag key (and value, for the details)."""
    whole_visitors, whole_views = runner.totals(f, [VISITORS, VIEWS], event_type(PAGE_VIEW))
    merged: dict[tuple[str, str], list[int]] = {}
    wanted = f.search
    for k in TAG_SLOTS:
        dims = [meta_key(k), meta_value(k)] if value else [meta_key(k)]
        conds: list[Item] = [event_type(PAGE_VIEW), Condition(meta_key(k), "not_empty", None)]
        if wanted and value:
            conds.append(Condition(meta_key(k), "eq", wanted))
        for row in runner.rows(f, [*dims, VISITORS, VIEWS], *conds):
            slot = merged.setdefault((row[0], row[1] if value else ""), [0, 0])
            slot[0] += int(row[-2])
            slot[1] += int(row[-1])
    out: list[dict[str, Any]] = []
    for (key, val), (v, views) in merged.items():
        # why `value` on /tags too: Pirsch core answers both with one TagStats (no omitempty)
        item: dict[str, Any] = {
            "key": key,
            "value": val or "",
            "visitors": v,
            "views": views,
            "relative_visitors": _ratio(v, whole_visitors),
            "relative_views": _ratio(views, whole_views),
        }
        out.append(item)
    out.sort(key=lambda i: (-i["visitors"], i["key"], i["value"]))
    return out[f.offset : f.offset + f.limit]


def tags(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/tags: tag keys of page views."""
    return _tag_rows(runner, f, value=False)


def tag_details(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/tag/details: values of the tag key named by `search` (or of every key)."""
    return _tag_rows(runner, f, value=True)


def keywords(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
    """/statistics/keywords needs the Google Search Console integration, which Footfall lacks:
    the list is always empty."""
    return []


ANSWERS = {
    "page": page,
    "hostname": hostname,
    "page/entry": entry,
    "page/exit": exit_,
    "referrer": referrer,
    "events": events,
    "event/meta": event_meta,
    "event/list": event_list,
    "event/page": event_page,
    "goals": goals,
    "tags": tags,
    "tag/details": tag_details,
    "keywords": keywords,
}
