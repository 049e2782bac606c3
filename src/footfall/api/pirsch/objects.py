"""Pirsch objects of a domain (api-notes pirsch.md §6): access links, alternative domains, email
reports, conversion goals and funnels. Reading needs sight of the domain, writing `manage` on it.

A conversion goal is also a platform goal on the page URL, so the pipeline records its
conversions and `/statistics/goals` (which reads the platform goals) counts them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from footfall.api.pirsch.access import PirschCaller
from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.manage import Handler, field_of, iso_time, managed_app, route, visible_app
from footfall.auth.access import authorizer_of
from footfall.auth.secrets import random_string
from footfall.meta import pirsch_objects as objects
from footfall.meta.accounts import validate_email
from footfall.meta.errors import ValidationError
from footfall.meta.store import utcnow

__all__ = ["goal_pattern", "make_object_routes"]

_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def goal_pattern(path_pattern: str) -> str:
    """The regex of a goal's path pattern: `**` any characters, `*` one path segment's."""
    parts = re.split(r"(\*\*|\*)", path_pattern)
    body = "".join(".*" if p == "**" else "[^/]*" if p == "*" else re.escape(p) for p in parts if p)
    return f"^{body}$"


def _shape(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row["id"],
        "def_time": iso_time(row["created_at"]),
        "mod_time": iso_time(row["updated_at"]),
        "domain_id": row["app_id"],
    }
    for key, value in row.items():
        if key in ("id", "app_id", "created_at", "updated_at"):
            continue
        out[key] = iso_time(value) if isinstance(value, datetime) else value
    return out


def _text(body: Any, name: str, required: bool = True, limit: int = 255) -> str:
    value = field_of(body, name)
    if value is None or value == "":
        if required:
            raise PirschError.invalid(name, "is required")
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise PirschError.invalid(name, f"must be a string of at most {limit} characters")
    return value.strip()


def _valid_until(body: Any) -> datetime | None:
    value = field_of(body, "valid_until")
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise PirschError.invalid("valid_until", "must be an RFC 3339 time") from None


def _hostname(body: Any) -> str:
    host = _text(body, "hostname", limit=253).lower()
    if not _HOST.fullmatch(host):
        raise PirschError.invalid("hostname", "must be a hostname such as example.com")
    return host


def _interval(body: Any) -> int:
    value = field_of(body, "interval")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 52:
        raise PirschError.invalid("interval", "must be a number of weeks, 0 (daily) to 52")
    return value


def _next_report(interval: int) -> datetime:
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1 if interval == 0 else 7 * interval)


def _goal(body: Any) -> dict[str, Any]:
    path_pattern = _text(body, "path_pattern", limit=2000)
    if not path_pattern.startswith("/"):
        raise PirschError.invalid("path_pattern", "must start with /")
    visitors, cr = field_of(body, "visitors") or 0, field_of(body, "cr") or 0
    if isinstance(visitors, bool) or not isinstance(visitors, int) or visitors < 0:
        raise PirschError.invalid("visitors", "must be a whole number ≥ 0 (0: unset)")
    if isinstance(cr, bool) or not isinstance(cr, int | float) or not 0 <= cr <= 100:
        raise PirschError.invalid("cr", "must be a percentage 0..100 (0: unset)")
    return {
        "name": _text(body, "name"),
        "path_pattern": path_pattern,
        "pattern": goal_pattern(path_pattern),
        "visitor_goal": visitors or None,
        "cr_goal": float(cr) or None,
        "delete_reached": bool(field_of(body, "delete_reached")),
        "email_reached": bool(field_of(body, "email_reached")),
    }


def _owned(request: Request, caller: PirschCaller, kind: str, object_id: Any) -> dict[str, Any]:
    """The object, when the caller may manage its domain (404 when unknown)."""
    if not isinstance(object_id, str) or not object_id:
        raise PirschError.invalid("id", "is required")
    found = objects.find(authorizer_of(request).meta, kind, object_id)
    if found is None:
        raise PirschError(404, f"{kind} not found")
    managed_app(request, caller, found["app_id"])
    return found


def _lister(kind: str, parameter: str) -> Handler:
    def handler(request: Request, caller: PirschCaller, body: Any) -> Any:
        app = visible_app(request, caller, request.query_params.get(parameter))
        rows = objects.list_of(authorizer_of(request).meta, kind, app.id)
        return [_shape(kind, r) for r in rows]

    return handler


def _remover(kind: str) -> Handler:
    def handler(request: Request, caller: PirschCaller, body: Any) -> Any:
        found = _owned(request, caller, kind, request.query_params.get("id"))
        objects.remove(authorizer_of(request).meta, kind, found["id"])
        return None

    return handler


def add_link(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    values = {
        "code": random_string(20),
        "description": _text(body, "description", required=False),
        "valid_until": _valid_until(body),
    }
    return _shape("link", objects.add(authorizer_of(request).meta, "link", app.id, values))


def change_link(request: Request, caller: PirschCaller, body: Any) -> Any:
    found = _owned(request, caller, "link", field_of(body, "id"))
    values = {
        "description": _text(body, "description", required=False),
        "valid_until": _valid_until(body),
    }
    objects.change(authorizer_of(request).meta, "link", found["id"], values)
    return None


def add_alternative(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    row = objects.add(
        authorizer_of(request).meta, "alternative", app.id, {"hostname": _hostname(body)}
    )
    return _shape("alternative", row)


def change_alternative(request: Request, caller: PirschCaller, body: Any) -> Any:
    found = _owned(request, caller, "alternative", field_of(body, "id"))
    meta = authorizer_of(request).meta
    objects.change(meta, "alternative", found["id"], {"hostname": _hostname(body)})
    return None


def add_reports(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    emails = field_of(body, "emails")
    if not isinstance(emails, list) or not emails:
        raise PirschError.invalid("emails", "must be a non-empty list of email addresses")
    interval = _interval(body)
    checked: list[str] = []
    for i, email in enumerate(emails):
        try:
            checked.append(validate_email(email))
        except ValidationError:
            raise PirschError.invalid(f"emails.{i}", "is not an email address") from None
    meta = authorizer_of(request).meta
    values = {"interval": interval, "next_report": _next_report(interval)}
    return [
        _shape("report", objects.add(meta, "report", app.id, {**values, "email": e}))
        for e in checked
    ]


def change_report(request: Request, caller: PirschCaller, body: Any) -> Any:
    found = _owned(request, caller, "report", field_of(body, "id"))
    interval = _interval(body)
    values = {"interval": interval, "next_report": _next_report(interval)}
    return _shape(
        "report", objects.change(authorizer_of(request).meta, "report", found["id"], values)
    )


def add_goal(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "domain_id"))
    return _shape("goal", objects.add_goal(authorizer_of(request).meta, app.id, _goal(body)))


def change_goal(request: Request, caller: PirschCaller, body: Any) -> Any:
    found = _owned(request, caller, "goal", field_of(body, "id"))
    row = objects.change_goal(authorizer_of(request).meta, found["id"], _goal(body))
    return _shape("goal", row)


def remove_goal(request: Request, caller: PirschCaller, body: Any) -> Any:
    found = _owned(request, caller, "goal", request.query_params.get("id"))
    objects.remove_goal(authorizer_of(request).meta, found["id"])
    return None


def _steps(body: Any) -> list[dict[str, Any]]:
    steps = field_of(body, "steps")
    if not isinstance(steps, list) or len(steps) < 2:
        raise PirschError.invalid("steps", "must be a list of at least two steps")
    out: list[dict[str, Any]] = []
    for i, step in enumerate(steps):
        name = step.get("name") if isinstance(step, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise PirschError.invalid(f"steps.{i}.name", "is required (at most 255 characters)")
        raw = step.get("filter") or {}
        if not isinstance(raw, dict):
            raise PirschError.invalid(f"steps.{i}.filter", "must be an object")
        checked: dict[str, Any] = {}
        for key, value in raw.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str | int | float) for v in values):
                raise PirschError.invalid(
                    f"steps.{i}.filter.{key}", "must be a string or a list of strings"
                )
            checked[str(key)] = value
        out.append({"name": name.strip(), "filter": checked})
    return out


def _funnel(row: dict[str, Any]) -> dict[str, Any]:
    shaped = _shape("funnel", row)
    shaped["steps"] = [
        {
            "id": f"{row['id']}.{n}",
            "def_time": shaped["def_time"],
            "mod_time": shaped["mod_time"],
            "funnel_id": row["id"],
            "name": step["name"],
            "step": n,
            "filter": step["filter"],
        }
        for n, step in enumerate(row["steps"])
    ]
    return shaped


def list_funnels(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = visible_app(request, caller, request.query_params.get("id"))
    return [_funnel(r) for r in objects.list_of(authorizer_of(request).meta, "funnel", app.id)]


def save_funnel(request: Request, caller: PirschCaller, body: Any) -> Any:
    """Create a funnel, or replace one when the body has its `id`."""
    values = {"name": _text(body, "name"), "steps": _steps(body)}
    meta = authorizer_of(request).meta
    if field_of(body, "id"):
        found = _owned(request, caller, "funnel", field_of(body, "id"))
        return _funnel(objects.change(meta, "funnel", found["id"], values))
    app = managed_app(request, caller, field_of(body, "domain_id"))
    return _funnel(objects.add(meta, "funnel", app.id, values))


def make_object_routes(on_change: Callable[[], None]) -> list[Route]:
    """The routes of links, alternative domains, reports and goals; `on_change` runs after a
    goal changes (the pipeline reads goals through the cached app directory)."""

    def changing(handler: Handler) -> Handler:
        def run(request: Request, caller: PirschCaller, body: Any) -> Any:
            result = handler(request, caller, body)
            on_change()
            return result

        return run

    return [
        route("/api/v1/domain/link", "GET", _lister("link", "domain_id"), mode="r"),
        route("/api/v1/domain/link", "POST", add_link),
        route("/api/v1/domain/link", "PUT", change_link),
        route("/api/v1/domain/link", "DELETE", _remover("link")),
        route("/api/v1/domain/alternative", "GET", _lister("alternative", "domain_id"), mode="r"),
        route("/api/v1/domain/alternative", "POST", add_alternative),
        route("/api/v1/domain/alternative", "PUT", change_alternative),
        route("/api/v1/domain/alternative", "DELETE", _remover("alternative")),
        route("/api/v1/report", "GET", _lister("report", "id"), mode="r"),
        route("/api/v1/report", "POST", add_reports),
        route("/api/v1/report", "PUT", change_report),
        route("/api/v1/report", "DELETE", _remover("report")),
        route("/api/v1/goal", "GET", _lister("goal", "id"), mode="r"),
        route("/api/v1/goal", "POST", changing(add_goal)),
        route("/api/v1/goal", "PUT", changing(change_goal)),
        route("/api/v1/goal", "DELETE", changing(remove_goal)),
        route("/api/v1/funnel", "GET", list_funnels, mode="r"),
        route("/api/v1/funnel", "POST", save_funnel),
        route("/api/v1/funnel", "DELETE", _remover("funnel")),
    ]
