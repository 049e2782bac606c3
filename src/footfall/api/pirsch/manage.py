"""Pirsch domain management (api-notes pirsch.md §6): domains, their settings, clients, goal regex.

A Pirsch domain is a Footfall app: `hostname` is the host of its first URL, `timezone` its
timezone, and the Pirsch-only attributes (subdomain, identification code, public, group by title)
live in `pirsch_domains`. Writes need the `domains` scope at `w` and `manage` on the app;
creating a domain needs a user client of an OWNER, as creating an app does on the platform API.
Listing domains is also open to the `statistics` scope: the JS SDK reads the domain id that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from footfall.api.pirsch.access import PirschCaller, authenticate, may_see
from footfall.api.pirsch.context import PirschContext
from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.api.pirsch.token import rfc3339
from footfall.auth.access import Principal, authorizer_of
from footfall.auth.secrets import random_string
from footfall.meta import apps as app_service
from footfall.meta import pirsch as domains
from footfall.meta.accounts import get_user, list_credentials, revoke_credential
from footfall.meta.errors import MetaError, NotFound, ValidationError
from footfall.meta.pirsch import client_grant, create_client, parse_scopes

__all__ = [
    "Handler",
    "field_of",
    "iso_time",
    "make_manage_routes",
    "managed_app",
    "route",
    "visible_app",
]

Handler = Callable[[Request, PirschCaller, Any], Any]
# RE2 (the statistics' regex engine) has neither look-around nor back-references
_NOT_RE2 = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def iso_time(moment: datetime | None) -> str | None:
    return rfc3339(moment) if moment else None


def _hostname(app: app_service.App) -> str:
    first = app.urls[0] if app.urls else ""
    host = first.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host.lower()


def _domain(request: Request, caller: PirschCaller, app: app_service.App) -> dict[str, Any]:
    attrs = domains.domain_attributes(authorizer_of(request).meta, app.id)
    return {
        "id": app.id,
        "def_time": iso_time(app.created_at),
        "mod_time": iso_time(app.updated_at),
        "user_id": caller.user_id,
        "organization_id": None,
        "hostname": _hostname(app),
        "subdomain": attrs.subdomain,
        "identification_code": attrs.identification_code,
        "public": attrs.public,
        "google_user_id": None,
        "google_user_email": None,
        "gsc_domain": None,
        "new_owner": None,
        "timezone": app.timezone,
        "group_by_title": attrs.group_by_title,
        "active_visitors_seconds": None,
        "disable_scripts": False,
        "statistics_start": None,
        "imported_statistics": False,
        "display_name": app.name,
        "user_role": _role(request, caller, app.id),
        "metadata": {},
        "settings": {},
        "pinned": False,
        "subscription_active": True,
    }


def _principal(request: Request, caller: PirschCaller) -> Principal:
    try:
        return Principal(get_user(authorizer_of(request).meta, caller.user_id or ""))
    except NotFound:
        raise PirschError(401, "access token not authorized") from None


def _role(request: Request, caller: PirschCaller, app_id: str) -> str:
    level = authorizer_of(request).level(_principal(request, caller), app_id)
    return {"manage": "Owner", "edit-publish": "Admin", "edit": "Admin", "view": "Viewer"}.get(
        level, ""
    )


def managed_app(request: Request, caller: PirschCaller, domain_id: Any) -> app_service.App:
    """The app the caller may manage (404 when it may not see it, 403 when only see it)."""
    if not isinstance(domain_id, str) or not domain_id:
        raise PirschError.invalid("domain_id", "is required")
    app = app_service.find_app(authorizer_of(request).meta, domain_id)
    if app is None or not may_see(request, caller, app.id):
        raise PirschError(404, "domain not found")
    if not authorizer_of(request).allows(_principal(request, caller), app.id, "manage"):
        raise PirschError(403, "managing this domain needs the owner role")
    return app


def visible_app(request: Request, caller: PirschCaller, domain_id: Any) -> app_service.App:
    """The app the caller may see (404 otherwise)."""
    if not isinstance(domain_id, str) or not domain_id:
        raise PirschError.invalid("domain_id", "is required")
    app = app_service.find_app(authorizer_of(request).meta, domain_id)
    if app is None or not may_see(request, caller, app.id):
        raise PirschError(404, "domain not found")
    return app


def field_of(body: Any, name: str) -> Any:
    if not isinstance(body, dict):
        raise PirschError.invalid("body", "must be a JSON object")
    return body.get(name)


def list_domains(request: Request, caller: PirschCaller, body: Any) -> Any:
    meta = authorizer_of(request).meta
    return [
        _domain(request, caller, app)
        for app in app_service.list_apps(meta)
        if may_see(request, caller, app.id)
    ]


def create_domain(request: Request, caller: PirschCaller, body: Any) -> Any:
    if caller.app_ids is not None or not _principal(request, caller).is_owner:
        raise PirschError(403, "creating a domain needs a user client of an owner")
    hostname = field_of(body, "hostname")
    if not isinstance(hostname, str) or not hostname.strip():
        raise PirschError.invalid("hostname", "is required")
    subdomain = _subdomain(field_of(body, "subdomain") or "")
    meta = authorizer_of(request).meta
    try:
        app = app_service.create_app(
            meta,
            name=str(field_of(body, "display_name") or hostname.strip()),
            urls=[f"https://{hostname.strip().lower()}"],
            timezone=field_of(body, "timezone") or "UTC",
        )
    except ValidationError as e:
        field = {"urls": "hostname", "name": "display_name"}.get(e.field, e.field)
        raise PirschError.invalid(field, e.message) from None
    domains.update_domain(
        meta,
        app.id,
        subdomain=subdomain,
        public=bool(field_of(body, "public")),
        group_by_title=bool(field_of(body, "group_by_title")),
    )
    return _domain(request, caller, app)


def _subdomain(value: Any) -> str:
    if not isinstance(value, str) or (value and not _SUBDOMAIN.fullmatch(value)):
        raise PirschError.invalid("subdomain", "must be lower-case letters, digits and dashes")
    return value


def delete_domain(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, request.query_params.get("id"))
    app_service.delete_app(authorizer_of(request).meta, app.id)
    return None


def reset_code(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "id"))
    code = random_string(32)
    domains.update_domain(authorizer_of(request).meta, app.id, identification_code=code)
    return {"identification_code": code}


def set_subdomain(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    value = _subdomain(field_of(body, "subdomain"))
    domains.update_domain(authorizer_of(request).meta, app.id, subdomain=value)
    return None


def _toggle(attribute: str) -> Handler:
    def toggle(request: Request, caller: PirschCaller, body: Any) -> Any:
        app = managed_app(request, caller, field_of(body, "domain_id"))
        meta = authorizer_of(request).meta
        current = getattr(domains.domain_attributes(meta, app.id), attribute)
        domains.update_domain(meta, app.id, **{attribute: not current})
        return None

    return toggle


def set_timezone(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    try:
        app_service.update_app(
            authorizer_of(request).meta, app.id, {"timezone": field_of(body, "timezone")}
        )
    except ValidationError as e:
        raise PirschError.invalid("timezone", e.message) from None
    return None


def _client(row: Any, app_id: str | None, scopes: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.client_id,
        "def_time": iso_time(row.created_at),
        "mod_time": iso_time(row.created_at),
        "domain_id": app_id,
        "client_id": row.client_id,
        "description": row.name,
        **{f"scope_{name}": scopes.get(name, "") for name in domains.SCOPES},
    }


def list_clients(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, request.query_params.get("id"))
    meta = authorizer_of(request).meta
    found = []
    for credential in list_credentials(meta):
        grant = client_grant(meta, credential.client_id)
        if grant.app_id == app.id and credential.revoked_at is None:
            found.append(_client(credential, grant.app_id, dict(grant.scopes)))
    return found


def new_client(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    raw = {name: field_of(body, f"scope_{name}") or "" for name in domains.SCOPES}
    try:
        scopes = parse_scopes(raw)
        new = create_client(
            authorizer_of(request).meta,
            caller.user_id or "",
            app.id,
            scopes,
            str(field_of(body, "description") or "Pirsch client"),
        )
    except ValidationError as e:
        raise PirschError.invalid(e.field, e.message) from None
    return {**_client(new.credential, app.id, scopes), "client_secret": new.client_secret}


def delete_client(request: Request, caller: PirschCaller, body: Any) -> Any:
    meta = authorizer_of(request).meta
    client_id = request.query_params.get("id", "")
    grant = client_grant(meta, client_id)
    if grant.app_id is None:
        raise PirschError(404, "client not found")
    managed_app(request, caller, grant.app_id)
    revoke_credential(meta, client_id)
    return None


def goal_regex(request: Request, caller: PirschCaller, body: Any) -> Any:
    pattern, sample = field_of(body, "regex"), field_of(body, "sample")
    if not isinstance(pattern, str) or not pattern:
        raise PirschError.invalid("regex", "is required")
    if not isinstance(sample, str):
        raise PirschError.invalid("sample", "must be a string")
    if _NOT_RE2.search(pattern):
        raise PirschError.invalid("regex", "look-around and back-references are not supported")
    try:
        compiled = re.compile(pattern)
    except re.error as e:
        raise PirschError.invalid("regex", f"is not a valid regular expression: {e}") from None
    return {"match": compiled.search(sample) is not None}


def route(
    path: str, method: str, handler: Handler, scope: str = "domains", mode: str = "w"
) -> Route:
    async def endpoint(request: Request) -> Response:
        try:
            raw = await request.body()
            caller = await authenticate(request)
            if not (caller.may(scope, mode) or (mode == "r" and caller.may("statistics"))):
                raise PirschError(403, f"the client lacks the {scope} scope ({mode})")
            try:
                body = orjson.loads(raw) if raw.strip() else None
            except orjson.JSONDecodeError:
                raise PirschError.invalid("body", "is not valid JSON") from None
            result = await run_in_threadpool(handler, request, caller, body)
        except PirschError as e:
            return pirsch_error_response(e)
        except MetaError as e:
            status = 404 if isinstance(e, NotFound) else 400
            return pirsch_error_response(PirschError(status, e.message))
        if result is None:
            return Response(status_code=200)
        return JSONResponse(result)

    return Route(path, endpoint, methods=[method])


def make_manage_routes(ctx: PirschContext) -> list[Route]:
    """The management routes of the Pirsch family; `ctx.on_change` runs after domain writes."""

    def changing(handler: Handler) -> Handler:
        def run(request: Request, caller: PirschCaller, body: Any) -> Any:
            result = handler(request, caller, body)
            ctx.on_change()
            return result

        return run

    return [
        route("/api/v1/domain", "GET", list_domains, mode="r"),
        route("/api/v1/domain", "POST", changing(create_domain)),
        route("/api/v1/domain", "DELETE", changing(delete_domain)),
        route("/api/v1/domain", "PUT", reset_code),
        route("/api/v1/domain/subdomain", "POST", set_subdomain),
        route("/api/v1/domain/public", "POST", _toggle("public")),
        route("/api/v1/domain/title", "POST", _toggle("group_by_title")),
        # a Footfall addition: whether hits with `dnt` "1" are dropped
        route("/api/v1/domain/dnt", "POST", _toggle("honour_dnt")),
        route("/api/v1/domain/timezone", "POST", changing(set_timezone)),
        route("/api/v1/client", "GET", list_clients, mode="r"),
        route("/api/v1/client", "POST", new_client),
        route("/api/v1/client", "DELETE", delete_client),
        route("/api/v1/goal/regex", "POST", goal_regex, mode="r"),
    ]
