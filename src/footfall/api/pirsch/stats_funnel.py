"""`/statistics/funnel?funnel_id=`: visitors through the steps of a stored funnel (api-notes §5).

Each step of a funnel is a statistics filter (query-string keys → values, managed under
`/api/v1/funnel`). As in Pirsch core (each step joined to the previous one on visitor and
session), a funnel runs within one visit and in order: a session reaches step 1 at its first
event matching step 1, and step k at its first event matching step k at or after the event that
reached step k-1 (one event may serve two consecutive steps when it matches both, e.g. a page
step then a country step). A visitor is counted at step k when one of its sessions reached it.

The query model gives the events each step matches (raw event rows: session, visitor and
position); the walk through the steps happens here, in order of (time, event index).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import Any

from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.filter import Filter, conditions_of
from footfall.api.pirsch.manage import iso_time
from footfall.api.pirsch.stats_query import Runner
from footfall.meta import pirsch_objects
from footfall.meta.store import MetaStore
from footfall.query.model import ColumnRef

#: where an event stands in its session, with the time the raw rows carry
POSITION = ColumnRef("event_index")
#: event rows read per step; a larger step is refused rather than silently cut
MAX_EVENTS = 2_000_000

Position = tuple[str, int]


def _definition(row: dict[str, Any]) -> dict[str, Any]:
    made, changed = iso_time(row["created_at"]), iso_time(row["updated_at"])
    return {
        "id": row["id"],
        "def_time": made,
        "mod_time": changed,
        "domain_id": row["app_id"],
        "name": row["name"],
        "steps": [
            {
                "id": f"{row['id']}.{n}",
                "def_time": made,
                "mod_time": changed,
                "funnel_id": row["id"],
                "name": step["name"],
                "step": n,
                "filter": step["filter"],
            }
            for n, step in enumerate(row["steps"])
        ],
    }


def _params(step_filter: dict[str, Any]) -> dict[str, list[str]]:
    return {
        str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
        for k, v in step_filter.items()
    }


def _matches(runner: Runner, f: Filter, step: dict[str, Any]) -> dict[Any, list[Any]]:
    """Session id → (visitor id, the positions of its events matching the step, in order).

    Only the step's own filter applies: "other filter parameters do not have an effect" on a
    funnel (Pirsch docs 2024), the period and domain aside."""
    f = replace(f, conditions=())
    found = runner.events(
        f, [POSITION], *conditions_of(_params(step["filter"])), limit=MAX_EVENTS + 1
    )
    if len(found) > MAX_EVENTS:
        raise PirschError(400, "a funnel step matches more than two million events")
    out: dict[Any, list[Any]] = {}
    for session, _event, visitor, time, index in found:
        out.setdefault(session, [visitor, []])[1].append((time, index))
    for entry in out.values():
        entry[1].sort()
    return out


def _walk(steps: list[dict[Any, list[Any]]]) -> list[int]:
    """Visitors at each step: sessions move on only to a later (or the same) matching event."""
    counts: list[int] = []
    at: dict[Any, Position] = {}  #: session → the position where it reached the last step
    owner: dict[Any, Any] = {}
    for n, matches in enumerate(steps):
        moved: dict[Any, Position] = {}
        for session, (visitor, positions) in matches.items():
            if n == 0:
                moved[session], owner[session] = positions[0], visitor
                continue
            if session not in at:
                continue
            i = bisect_left(positions, at[session])
            if i < len(positions):
                moved[session] = positions[i]
        at = moved
        counts.append(len({owner[s] for s in at}))
    return counts


def funnel(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, Any]:
    """The funnel's definition and, per step, visitors, drop-off and ratios."""
    if not f.funnel_id:
        raise PirschError.invalid("funnel_id", "funnel_id is required")
    row = pirsch_objects.find(meta, "funnel", f.funnel_id)
    if row is None or row["app_id"] != f.domain_id:
        raise PirschError(404, "funnel not found")
    counts = _walk([_matches(runner, f, step) for step in row["steps"]])
    return {"definition": _definition(row), "data": _data(counts)}


def _data(counts: list[int]) -> list[dict[str, Any]]:
    """Pirsch core's step fields: the first step has no previous one (its previous_* are 0);
    relative_previous_visitors is the previous step's relative_visitors."""
    data: list[dict[str, Any]] = []
    for n, visitors in enumerate(counts):
        first = counts[0]
        before = data[-1] if data else None
        previous = before["visitors"] if before else 0
        data.append(
            {
                "step": n + 1,
                "visitors": visitors,
                "relative_visitors": visitors / first if first else 0.0,
                "previous_visitors": previous,
                "relative_previous_visitors": before["relative_visitors"] if before else 0.0,
                "dropped": previous - visitors if before else 0,
                "drop_off": 1 - visitors / previous if previous else 0.0,
            }
        )
    return data


ANSWERS = {"funnel": funnel}
