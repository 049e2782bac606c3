"""JSON:API plumbing of the platform APIs: documents in, documents out, errors in the per-service
shapes of api-notes §0.3, paging (§0.4), and the endpoint wrapper that authenticates the caller.

Handlers are plain functions `(Call) -> Response` run in the thread pool (the metadata store
blocks); they raise `ApiError` or a metadata error and this module renders it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from footfall.auth.access import Authorizer, Forbidden, NotAuthenticated, Principal
from footfall.meta.audit import Actor
from footfall.meta.errors import Conflict, NotFound, Refused, ValidationError
from footfall.meta.paging import Page
from footfall.meta.store import MetaStore

__all__ = [
    "MEDIA_TYPE",
    "ApiError",
    "Call",
    "Context",
    "Endpoint",
    "document",
    "make_routes",
    "no_content",
    "resource",
    "timestamp",
]

MEDIA_TYPE = "application/vnd.api+json"
# The FAQ's wording (seed 002, api-notes §0.1).
_CONTENT_TYPE_ERROR = (
    '"{given}" is not a valid JSON API Content-Type header, use "application/vnd.api+json" instead'
)


class ApiError(Exception):
    """A 4xx answer: one JSON:API error object (`status` is a string, as the services send it)."""

    def __init__(
        self,
        status: int,
        title: str | None,
        *,
        code: str = "error.default",
        detail: str | None = None,
        pointer: str | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(title or detail)
        self.status = status
        self.error: dict[str, Any] = {"status": str(status), "code": code}
        if title is not None:
            self.error["title"] = title
        if detail is not None:
            self.error["detail"] = detail
        if pointer is not None:
            self.error["source"] = {"pointer": pointer}
        elif parameter is not None:
            self.error["source"] = {"parameter": parameter}


class _Json(Response):
    media_type = MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def document(data: Any, meta: Mapping[str, Any] | None = None, status: int = 200) -> Response:
    """A JSON:API document `{"data": …, "meta": …}`."""
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = dict(meta)
    return _Json(body, status_code=status)


def no_content() -> Response:
    """204 No Content, what PATCH and DELETE answer."""
    return Response(status_code=204)


def resource(type_: str, id_: str, attributes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A resource object."""
    out: dict[str, Any] = {"type": type_, "id": id_}
    if attributes is not None:
        out["attributes"] = dict(attributes)
    return out


def timestamp(value: Any) -> str | None:
    """ISO-8601 with offset and no fraction, as the services print it (`2018-07-10T08:50:41+00:00`)."""
    return value.replace(microsecond=0).isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class Context:
    """What the platform handlers share: the metadata store, the authorizer, a change hook."""

    meta: MetaStore
    authorizer: Authorizer
    on_change: Callable[[], None] = lambda: None
    public_url: str = ""  #: base of the links the APIs hand out (invitations)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One route of a platform API, with what the OpenAPI document says about it.

    `family` picks the 401 body: "jsonapi" (users, apps, user groups), "error" (tracker settings,
    audit log: `{"error": …}`) or "message" (meta sites, access control, modules)."""

    method: str
    path: str
    handler: Callable[[Call], Response]
    summary: str
    family: str = "jsonapi"
    body_type: str | None = None  # the JSON:API `data.type` the body must carry
    status: int = 200
    public: bool = False
    pointer_prefix: str = "/data/attributes/"
    tag: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Call:
    """One request as a handler sees it: parameters, body, the caller and the shared context."""

    ctx: Context
    endpoint: Endpoint
    path: Mapping[str, str]
    query: QueryParams
    headers: Mapping[str, str]
    body: bytes
    ip: str | None
    principal: Principal | None = None

    @property
    def caller(self) -> Principal:
        """The authenticated caller (every non-public endpoint has one)."""
        assert self.principal is not None
        return self.principal

    @property
    def actor(self) -> Actor:
        """The audit log author of this request's changes."""
        return self.caller.actor()

    def require(self, entity_ids: list[str] | tuple[str, ...], level: str) -> None:
        """Forbidden unless the caller holds `level` on each app or meta site."""
        self.ctx.authorizer.check(self.caller, entity_ids, level)

    def require_owner(self) -> None:
        """Forbidden unless the caller is an OWNER."""
        self.ctx.authorizer.check_owner(self.caller)

    def json_body(self) -> Any:
        """The body parsed as JSON after the JSON:API media type check."""
        given = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if given != MEDIA_TYPE:
            raise ApiError(
                415 if self.endpoint.family == "message" and self.endpoint.method == "PUT" else 400,
                _CONTENT_TYPE_ERROR.format(given=given),
                code="error.json-api-content-type",
            )
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise ApiError(400, "Invalid jsonapi message received", pointer="/data") from None

    def data(self) -> Any:
        """`data` of the body document (an object or a list)."""
        body = self.json_body()
        if not isinstance(body, dict) or "data" not in body:
            raise ApiError(400, "Invalid jsonapi message received", pointer="/data")
        return body["data"]

    def attributes(self, *, id_: str | None = None, id_optional: bool = False) -> dict[str, Any]:
        """The attributes of a single-resource body, after checking `data.type` against the
        endpoint's type and, when `id_` is given, `data.id` against it (409 on a mismatch)."""
        data = self.data()
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid jsonapi message received", pointer="/data")
        check_type(data, self.endpoint.body_type or "", "/data")
        given = data.get("id")
        if id_ is not None and given is None and not id_optional:
            raise ApiError(
                400, "This value should not be blank.", code="error.not-blank", pointer="/data/id"
            )
        if id_ is not None and given is not None and given != id_:
            message = f"The resource object's id ({given}) does not match url's lookup id ({id_})"
            raise ApiError(409, "Conflict", code="error", detail=message, pointer="/data")
        attributes = data.get("attributes", {})
        if not isinstance(attributes, dict):
            raise ApiError(400, "This value should be of type object.", pointer="/data/attributes")
        return attributes

    def identifiers(self, type_: str) -> list[str]:
        """The ids of a list of resource identifiers `{"data": [{"type", "id"}, …]}`."""
        data = self.data()
        if not isinstance(data, list):
            raise ApiError(400, "This value should be of type array.", pointer="/data")
        ids: list[str] = []
        for index, item in enumerate(data):
            pointer = f"/data/{index}"
            if not isinstance(item, dict):
                raise ApiError(400, "This value should be of type object.", pointer=pointer)
            check_type(item, type_, pointer)
            ids.append(uuid_value(item.get("id"), pointer + "/id"))
        return ids

    def page(self, sorts: tuple[str, ...], default_sort: str, max_limit: int = 1000) -> Page:
        """offset, limit (default 10), sort and search (`search_query` is its deprecated name)."""
        offset = _int_param(self.query, "offset", 0)
        limit = _int_param(self.query, "limit", 10)
        if limit > max_limit:
            raise ApiError(
                400,
                f'Limit parameter exceeded maximum "{max_limit}" value, "{limit}" given',
                parameter="limit",
            )
        sort = self.query.get("sort") or default_sort
        if sort.removeprefix("-") not in sorts:
            allowed = ", ".join(sorts)
            raise ApiError(
                400, f"Invalid sort parameter '{sort}', use one of: {allowed}", parameter="sort"
            )
        search = self.query.get("search") or self.query.get("search_query") or ""
        return Page(offset=offset, limit=limit, sort=sort, search=search)


def check_type(data: Mapping[str, Any], expected: str, pointer: str) -> None:
    """400 when `type` is missing, 409 when it is not the expected resource type."""
    given = data.get("type")
    if given in (None, ""):
        raise ApiError(
            400,
            "This value should not be blank.",
            code="error.not-blank",
            pointer=pointer + "/type",
        )
    if given != expected:
        raise ApiError(
            409,
            f'Invalid resource type "{given}", expected "{expected}"',
            code="error.json-api-resource-type",
            pointer=pointer + "/type",
        )


def uuid_value(value: Any, pointer: str | None = None, parameter: str | None = None) -> str:
    """A UUID in canonical form; 400 `"x" is not a valid UUID.` otherwise."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else str(uuid.UUID(str(value)))
    except ValueError:
        raise ApiError(
            400, f'"{value}" is not a valid UUID.', pointer=pointer, parameter=parameter
        ) from None


def _int_param(query: QueryParams, name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not raw.isascii():
        raise ApiError(
            400,
            f"Invalid query parameter '{name}' - value should be a positive integer - got '{raw}'",
            parameter=name,
        )
    return int(raw)


# -- error rendering -------------------------------------------------------------------------------


def _errors(status: int, error: Mapping[str, Any]) -> Response:
    return _Json({"errors": [dict(error)]}, status_code=status)


def unauthorized(family: str, message: str) -> Response:
    """401 in the body shape of the API family (api-notes §0.3), with the FAQ's message."""
    headers = {"WWW-Authenticate": "Bearer"}
    if family == "error":
        return Response(orjson.dumps({"error": message}), 401, headers, "application/json")
    if family == "message":
        return Response(orjson.dumps({"message": message}), 401, headers, "application/json")
    error = {"status": "401", "code": "not_authenticated", "title": message}
    response = _errors(401, error)
    response.headers.update(headers)
    return response


def forbidden() -> Response:
    """403 `Access denied.` (api-notes §7)."""
    return _errors(403, {"status": "403", "code": "error.forbidden", "title": "Access denied."})


def _validation(error: ValidationError, prefix: str) -> Response:
    pointer = error.field if error.field.startswith("/") else prefix + error.field
    return _errors(
        400,
        {
            "status": "400",
            "code": error.code,
            "title": "Invalid form",
            "detail": error.message,
            "source": {"pointer": pointer},
        },
    )


def _handle(call: Call) -> Response:
    endpoint = call.endpoint
    try:
        if not endpoint.public:
            call.principal = call.ctx.authorizer.authenticate(
                call.headers.get("authorization"), call.ip
            )
        response = endpoint.handler(call)
        if call.endpoint.method != "GET":
            call.ctx.on_change()
        return response
    except NotAuthenticated as e:
        return unauthorized(endpoint.family, e.message)
    except Forbidden:
        return forbidden()
    except ApiError as e:
        return _errors(e.status, e.error)
    except ValidationError as e:
        return _validation(e, endpoint.pointer_prefix)
    except NotFound as e:
        return _errors(404, {"status": "404", "code": e.code, "title": e.message})
    except (Conflict, Refused) as e:
        error: dict[str, Any] = {"status": "400", "code": e.code, "title": e.message}
        if e.field:
            error["source"] = {"pointer": endpoint.pointer_prefix + e.field}
        return _errors(400, error)


def _asgi(ctx: Context, endpoint: Endpoint) -> Callable[[Request], Any]:
    async def run(request: Request) -> Response:
        body = await request.body()
        call = Call(
            ctx=ctx,
            endpoint=endpoint,
            path=dict(request.path_params),
            query=request.query_params,
            headers=request.headers,
            body=body,
            ip=request.client.host if request.client else None,
        )
        return await run_in_threadpool(_handle, call)

    return run


def make_routes(ctx: Context, endpoints: list[Endpoint]) -> list[Route]:
    """Starlette routes for the endpoints, in order (specific paths before `{id}` paths)."""
    return [Route(e.path, _asgi(ctx, e), methods=[e.method]) for e in endpoints]
