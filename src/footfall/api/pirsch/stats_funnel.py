"""`/statistics/funnel?funnel_id=`: visitors through the steps of a stored funnel (api-notes §5).

Each step of a funnel is a statistics filter (query-string keys → values, managed under
`/api/v1/funnel`). The query model answers which visitors match one step (visitor ids grouped by
a query); a visitor reaches step k when it matched every step up to k in the period. Step order
within a visit is not checked: the query model has no sequence operator.
"""

from __future__ import annotations

from typing import Any

from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.filter import Filter, conditions_of
from footfall.api.pirsch.manage import iso_time
from footfall.api.pirsch.stats_query import Runner
from footfall.meta import pirsch_objects
from footfall.meta.store import MetaStore
from footfall.query.model import ColumnRef

VISITOR = ColumnRef("visitor_id")
SESSIONS = ColumnRef("sessions")
#: visitor ids read per step; a larger step is refused rather than silently cut
MAX_VISITORS = 1_000_000


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


def funnel(runner: Runner, f: Filter, meta: MetaStore) -> dict[str, Any]:
    """The funnel's definition and, per step, visitors, drop-off and ratios."""
    if not f.funnel_id:
        raise PirschError.invalid("funnel_id", "funnel_id is required")
    row = pirsch_objects.find(meta, "funnel", f.funnel_id)
    if row is None or row["app_id"] != f.domain_id:
        raise PirschError(404, "funnel not found")
    reached: set[Any] | None = None
    data: list[dict[str, Any]] = []
    for n, step in enumerate(row["steps"]):
        items = conditions_of(_params(step["filter"]))
        found = runner.rows(f, [VISITOR, SESSIONS], *items, limit=MAX_VISITORS + 1)
        if len(found) > MAX_VISITORS:
            raise PirschError(400, "a funnel step matches more than a million visitors")
        ids = {r[0] for r in found}
        reached = ids if reached is None else reached & ids
        first = data[0]["visitors"] if data else len(reached)
        before = data[-1]["visitors"] if data else len(reached)
        visitors = len(reached)
        data.append(
            {
                "step": n + 1,
                "visitors": visitors,
                "relative_visitors": visitors / first if first else 0.0,
                "previous_visitors": before,
                "relative_previous_visitors": visitors / before if before else 0.0,
                "dropped": before - visitors,
                "drop_off": (before - visitors) / before if before else 0.0,
            }
        )
    return {"definition": _definition(row), "data": data}


ANSWERS = {"funnel": funnel}
