"""Routes of the analytics API: each endpoint parses a body into a `Query` and runs it.

The query runs on a worker thread: DuckDB releases the GIL while it works, and the event loop
keeps answering tracking requests meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from footfall.api.analytics import catalog_view, formats
from footfall.api.analytics.access import Access, caller
from footfall.api.analytics.errors import NO_CREDENTIALS, error
from footfall.auth.access import Principal, authorizer_of
from footfall.meta import services
from footfall.meta.store import MetaStore
from footfall.query.compile import Compiler
from footfall.query.dialects import by_name
from footfall.query.execute import Reader, run
from footfall.query.parse import QueryError, parse

log = logging.getLogger("footfall.api.analytics")

MAX_BODY = 1 << 20
#: path suffix → (parse mode, allowed formats)
ENDPOINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "query": ("query", formats.QUERY_FORMATS),
    "real-time-query": ("real-time", formats.QUERY_FORMATS),
    "sessions": ("sessions", formats.RAW_FORMATS),
    "events": ("events", formats.RAW_FORMATS),
    "real-time-events": ("real-time-events", ("json", "json-kv", "csv")),
}


class AnalyticsAPI:
    """The endpoints over one event store and one metadata store."""

    def __init__(self, store: Reader, meta: MetaStore) -> None:
        self.store = store
        self.meta = meta
        self.compiler = Compiler(by_name(store.dialect))  # DuckDB or ClickHouse SQL

    def access(self, request: Request, principal: Principal) -> Access:
        """The website resolver of one caller."""
        return Access(self.meta, authorizer_of(request), principal)

    def labels(self, website_ids: tuple[str, ...]) -> dict[str, dict[Any, str]]:
        """Labels only the metadata store knows: goal names and app names."""
        goals: dict[Any, str] = {}
        apps: dict[Any, str] = {}
        for website_id in website_ids:
            app = services.find_app(self.meta, website_id)
            if app is None:
                continue
            apps[app.id] = app.name
            for goal in services.list_goals(self.meta, app.id):
                goals[goal.id] = goal.name
        return {"goal_id": goals, "website_name": apps}

    def endpoint(self, name: str) -> Callable[[Request], Awaitable[Response]]:
        """The handler of one POST endpoint."""
        mode, allowed = ENDPOINTS[name]

        async def handle(request: Request) -> Response:
            principal = await run_in_threadpool(caller, request)
            if principal is None:
                return error(401, NO_CREDENTIALS)
            access = self.access(request, principal)
            raw = await request.body()
            if len(raw) > MAX_BODY:
                return error(413, "The request body is larger than 1 MiB.")
            try:
                body = orjson.loads(raw)
            except orjson.JSONDecodeError:
                return error(400, "The request body is not valid JSON.", "body")
            try:
                return await run_in_threadpool(self._answer, body, mode, allowed, access)
            except QueryError as e:
                return error(e.status, e.detail, e.parameter)

        return handle

    def _answer(self, body: Any, mode: str, allowed: tuple[str, ...], access: Access) -> Response:
        query = parse(body, mode, access.resolver())
        fmt = body.get("format", "json")
        if fmt not in allowed:
            raise QueryError("format", f"format must be one of {', '.join(allowed)}.")
        column_format = body.get("column_format", "id")
        if column_format not in formats.COLUMN_FORMATS:
            raise QueryError("column_format", 'column_format must be "id" or "name".')
        try:
            wanted = {c.column_id for c in query.columns} & {"goal_id", "website_name"}
            labels = self.labels(query.website_ids) if wanted else {}
            result = run(self.store, self.compiler, query, labels)
        except ValueError as e:  # the store's word for input the engine refused
            log.info("query refused by the store: %s", e)
            raise QueryError("filters", f"The query cannot be computed: {e}") from None
        return formats.render(result, fmt, column_format)

    async def catalog(self, request: Request) -> Response:
        """GET dimensions/ or metrics/: the catalog (a website_id, when given, must be readable)."""
        principal = await run_in_threadpool(caller, request)
        if principal is None:
            return error(401, NO_CREDENTIALS)
        website_id = request.query_params.get("website_id")
        if website_id is not None:
            try:
                site = await run_in_threadpool(
                    self.access(request, principal).resolver(), website_id.lower()
                )
            except QueryError as e:
                return error(e.status, e.detail, e.parameter)
            if site is None:
                return error(400, f'Website "{website_id}" does not exist.', "website_id")
        kind = "metric" if request.url.path.rstrip("/").endswith("metrics") else "dimension"
        return Response(orjson.dumps(catalog_view.listing(kind)), media_type="application/json")


def make_analytics_routes(store: Reader, meta: MetaStore) -> list[Route]:
    """The routes of the analytics API, with and without the canonical trailing slash."""
    api = AnalyticsAPI(store, meta)
    routes: list[Route] = []
    for name in ENDPOINTS:
        handler = api.endpoint(name)
        for path in (f"/api/analytics/v1/{name}/", f"/api/analytics/v1/{name}"):
            routes.append(Route(path, handler, methods=["POST"]))
    for kind in ("dimensions", "metrics"):
        for path in (f"/analytics/api/engine/{kind}/", f"/analytics/api/engine/{kind}"):
            routes.append(Route(path, api.catalog, methods=["GET"]))
    return routes
