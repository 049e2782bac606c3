"""Pirsch statistics endpoints (api-notes §5): each a thin translation into the query model.

`GET /api/v1/statistics/<name>?id=<domain>&from=…&to=…` parses the filter (`filter.py`), checks the
caller holds the `statistics` scope for the domain, builds one or a few `Query`s (`stats_query`)
and shapes the answer. Every field of a shape is always present; ratios of nothing are 0; time
buckets are midnight UTC in RFC 3339. Queries run on a worker thread (DuckDB releases the GIL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from footfall.api.pirsch import stats_funnel, stats_pages, stats_time
from footfall.api.pirsch.access import require
from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.api.pirsch.filter import Filter, parse
from footfall.api.pirsch.stats_breakdowns import BREAKDOWNS, Breakdown
from footfall.api.pirsch.stats_query import VISITORS, Runner
from footfall.meta import services
from footfall.meta.store import MetaStore
from footfall.query.execute import Reader
from footfall.query.model import Condition

__all__ = ["StatisticsContext", "make_statistics_routes"]

log = logging.getLogger("footfall.api.pirsch")

Answer = Callable[[Runner, Filter, MetaStore], Any]


class StatisticsContext(Protocol):
    """What the statistics routes need: the event store to read and the metadata store."""

    @property
    def store(self) -> Reader:
        """The event store (read-only statements)."""
        ...

    @property
    def meta(self) -> MetaStore:
        """The metadata store (apps, goals)."""
        ...


def breakdown(spec: Breakdown) -> Answer:
    """A MetaStats endpoint: visitors per value of its keys, relative to all visitors."""

    def answer(runner: Runner, f: Filter, meta: MetaStore) -> list[dict[str, Any]]:
        keys = [k.column for k in spec.keys]
        search = (Condition(spec.keys[0].column, "icontains", f.search),) if f.search else ()
        total = runner.totals(f, [VISITORS], *spec.extra())[0]
        sort = 0 if f.sort == spec.keys[0].name else len(keys)
        rows = runner.rows(
            f,
            [*keys, VISITORS],
            *spec.extra(),
            *search,
            order=[(sort, f.direction)],
            limit=f.limit,
            offset=f.offset,
        )
        out = []
        for row in rows:
            item = {k.name: k.wire(row[i]) for i, k in enumerate(spec.keys)}
            visitors = int(row[len(keys)] or 0)
            item["visitors"] = visitors
            item["relative_visitors"] = visitors / total if total else 0.0
            out.append(item)
        return out

    return answer


ANSWERS: dict[str, Answer] = {
    **{name: breakdown(spec) for name, spec in BREAKDOWNS.items()},
    **stats_time.ANSWERS,
    **stats_pages.ANSWERS,
    **stats_funnel.ANSWERS,
}


class Statistics:
    """The statistics endpoints over one context."""

    def __init__(self, ctx: StatisticsContext) -> None:
        self.ctx = ctx
        self.runner = Runner(ctx.store)

    def timezone_of(self, domain_id: str) -> str | None:
        """The domain's timezone, or None when no such app exists."""
        app = services.find_app(self.ctx.meta, domain_id)
        return None if app is None else app.timezone

    def endpoint(self, name: str) -> Callable[[Request], Any]:
        """The GET handler of one statistics path."""
        answer = ANSWERS[name]

        async def handle(request: Request) -> Response:
            params = {k: request.query_params.getlist(k) for k in request.query_params}
            try:
                domain = (params.get("id") or [""])[-1].strip().lower()
                await require(request, "statistics", "r", domain or None)
                f = await run_in_threadpool(parse, params, self.timezone_of)
                body = await run_in_threadpool(answer, self.runner, f, self.ctx.meta)
            except PirschError as e:
                return pirsch_error_response(e)
            except ValueError as e:  # the store's word for input the engine refused
                log.info("statistics query refused by the store: %s", e)
                return pirsch_error_response(PirschError(400, f"the query cannot be computed: {e}"))
            return Response(orjson.dumps(body), media_type="application/json")

        return handle


def make_statistics_routes(ctx: StatisticsContext) -> list[Route]:
    """`GET /api/v1/statistics/<name>` for every statistic."""
    stats = Statistics(ctx)
    return [
        Route(f"/api/v1/statistics/{name}", stats.endpoint(name), methods=["GET"])
        for name in ANSWERS
    ]
