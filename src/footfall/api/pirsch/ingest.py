"""Pirsch data collection: `POST /api/v1/hit|event|session` and their `/batch` variants.

A request is checked whole before anything is spooled: authentication (401), the write scope of
its kind (403), every item (400 naming the field, `3.url` in a batch), and the app of each item.
A domain client or access key writes to its one app, while its user holds at least edit there;
a user client writes to the app whose URLs
match the item's host (or one of its alternative domains), where its user holds at least edit. Items with `dnt` "1" are dropped when
the app honours Do Not Track. A success is exactly 200 with an empty body: the Go SDK retries on
anything else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from footfall import telemetry
from footfall.api.pirsch.access import PirschCaller, authenticate
from footfall.api.pirsch.context import PirschContext
from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.auth.access import Principal, authorizer_of
from footfall.collect.pirsch import InvalidItem, Kind, host_of, to_record
from footfall.meta.accounts import get_user
from footfall.meta.apps import App, list_apps
from footfall.meta.errors import NotFound
from footfall.meta.pirsch import domain_attributes
from footfall.meta.pirsch_objects import alternative_hosts
from footfall.model.record import RawRecord

__all__ = ["MAX_BATCH", "MAX_BATCH_BYTES", "MAX_SINGLE_BYTES", "make_ingest_routes"]

MAX_BATCH = 10_000
#: largest body read: a single request, and a batch (10,000 items of up to ~3 KB)
MAX_SINGLE_BYTES = 256 * 1024
MAX_BATCH_BYTES = 32 * 1024 * 1024
ACCEPTED = "footfall_pirsch_accepted_total"
telemetry.describe(ACCEPTED, "Pirsch hits, events and sessions spooled, by kind.")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with a 413 once it grows past `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PirschError(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(raw: bytes) -> Any:
    """The JSON body, whatever the Content-Type (the Go SDK sends none)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise PirschError.invalid("body", "is not valid JSON") from None


class _Targets:
    """Finds the app of each item once per host and request (blocking: reads the metadata)."""

    def __init__(self, request: Request, caller: PirschCaller) -> None:
        self.request = request
        self.caller = caller
        self.meta = authorizer_of(request).meta
        self._by_host: dict[str, str] = {}
        self._dnt: dict[str, bool] = {}
        self._apps: list[App] | None = None
        self._alternatives: dict[str, str] | None = None
        self._bound_ok: bool | None = None

    def app_of(self, item: Any, field: str) -> str:
        if self.caller.app_ids is not None:
            (app_id,) = self.caller.app_ids
            if self._bound_ok is None:
                self._bound_ok = self._may_write(app_id)
            if not self._bound_ok:
                raise PirschError(403, "the client's user may no longer send data to its domain")
            return app_id
        host = host_of(item) if isinstance(item, dict) else ""
        if not host:
            raise PirschError.invalid(field, "a URL is needed to find the domain of the request")
        found = self._by_host.get(host)
        if found is None:
            found = self._by_host[host] = self._find(host)
        return found

    def _principal(self) -> Principal:
        try:
            return Principal(get_user(self.meta, self.caller.user_id or ""))
        except NotFound:
            raise PirschError(401, "access token not authorized") from None

    def _may_write(self, app_id: str) -> bool:
        """A bound client or key writes for its user, who must still hold edit on the app."""
        return authorizer_of(self.request).allows(self._principal(), app_id, "edit")

    def _find(self, host: str) -> str:
        if self._apps is None:
            self._apps = list_apps(self.meta)
        bare = host.removeprefix("www.")
        authorizer = authorizer_of(self.request)
        principal = self._principal()
        if self._alternatives is None:
            self._alternatives = alternative_hosts(self.meta)
        alternative = self._alternatives.get(bare) or self._alternatives.get(host)
        for app in self._apps:
            matches = app.id == alternative or any(_host(u) == bare for u in app.urls)
            if matches and authorizer.allows(principal, app.id, "edit"):
                return app.id
        raise PirschError(404, f"no domain matches the host {host}")

    def honours_dnt(self, app_id: str) -> bool:
        found = self._dnt.get(app_id)
        if found is None:
            found = self._dnt[app_id] = domain_attributes(self.meta, app_id).honour_dnt
        return found


def _host(url: str) -> str:
    return host_of({"url": url if "//" in url else f"http://{url}"}).removeprefix("www.")


def _records(
    request: Request, caller: PirschCaller, body: Any, kind: Kind, batch: bool
) -> list[bytes]:
    """Every item's spool payload (DNT-dropped items left out); PirschError on any fault."""
    if batch:
        if not isinstance(body, list):
            raise PirschError.invalid("body", "must be a JSON array")
        if len(body) > MAX_BATCH:
            raise PirschError.invalid("body", f"holds more than {MAX_BATCH} items")
        items: list[tuple[str, Any]] = [(f"{i}.", item) for i, item in enumerate(body)]
    else:
        items = [("", body)]
    targets = _Targets(request, caller)
    now = time.time()
    payloads: list[bytes] = []
    for prefix, item in items:
        try:
            app_id = targets.app_of(item, f"{prefix}url")
            record: RawRecord = to_record(item, kind, app_id, now, batch)
        except InvalidItem as e:
            raise PirschError.invalid(prefix + e.field, e.message) from None
        if record.headers.get("dnt") == "1" and targets.honours_dnt(app_id):
            continue
        payloads.append(record.encode())
    return payloads


def _endpoint(ctx: PirschContext, kind: Kind, batch: bool) -> Callable[[Request], Any]:
    async def write(request: Request) -> Response:
        try:
            caller = await authenticate(request)
            if not caller.may(kind, "w"):
                raise PirschError(403, f"the client lacks the {kind} scope (w)")
            raw = await _body(request, MAX_BATCH_BYTES if batch else MAX_SINGLE_BYTES)
            body = _parse(raw)
            payloads = await run_in_threadpool(_records, request, caller, body, kind, batch)
        except PirschError as e:
            return pirsch_error_response(e)
        if payloads:
            try:
                await ctx.spool.append_async(payloads)
            except Exception:
                telemetry.inc("footfall_collector_errors_total", kind="spool")
                return pirsch_error_response(PirschError(503, "the data could not be stored"))
            telemetry.inc(ACCEPTED, len(payloads), kind=kind)
        return Response(status_code=200)

    return write


def make_ingest_routes(ctx: PirschContext) -> list[Route]:
    """The write routes of the Pirsch family."""
    routes: list[Route] = []
    for kind in ("hit", "event", "session"):
        routes.append(Route(f"/api/v1/{kind}", _endpoint(ctx, kind, False), methods=["POST"]))
        routes.append(Route(f"/api/v1/{kind}/batch", _endpoint(ctx, kind, True), methods=["POST"]))
    return routes
