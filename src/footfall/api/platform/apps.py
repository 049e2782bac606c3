"""Apps API v2 (api-notes §3): list, create, get, change and delete apps with every attribute.

Attributes the apps API shares with the tracker settings (`excludedIps`, `siteSearchQueryParams`,
…) are stored once, as the app's tracker settings, so both APIs and the collector agree; an app
without its own value shows the global one. Reading needs `view` on the app, changing and
deleting `manage`, creating the OWNER role.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from footfall.api.platform.jsonapi import (
    ApiError,
    Call,
    Endpoint,
    document,
    no_content,
    resource,
    timestamp,
    uuid_value,
)
from footfall.meta import accounts, groups, permissions
from footfall.meta import apps as app_service
from footfall.meta.apps import App
from footfall.meta.attributes import APP_ATTRIBUTES, APP_TO_TRACKER
from footfall.meta.errors import ValidationError
from footfall.meta.store import MetaStore
from footfall.meta.tracker import get_tracker_settings

__all__ = ["ENDPOINTS", "TYPE", "app_attributes"]

TYPE = "ppms/app"
BASE = "/api/apps/v2"
_COLUMNS = ("name", "urls", "timezone", "currency")
_READ_ONLY = ("id", "organization", "appType", "addedAt", "updatedAt")
_PERMISSION_FILTER = {"view": "view", "edit": "edit", "publish": "edit-publish", "manage": "manage"}


def app_attributes(meta: MetaStore, app: App) -> dict[str, Any]:
    """Every attribute of api-notes §3, defaults filled in, shared ones from tracker settings."""
    settings = get_tracker_settings(meta, app.id)
    out: dict[str, Any] = {
        "organization": "default",
        "appType": app.app_type,
        "addedAt": timestamp(app.created_at),
        "updatedAt": timestamp(app.updated_at),
        "name": app.name,
        "urls": list(app.urls),
        "timezone": app.timezone,
        "currency": app.currency,
    }
    for name, attribute in APP_ATTRIBUTES.items():
        default = list(attribute.default) if attribute.kind == "list" else attribute.default
        out[name] = app.attributes.get(name, default)
    for app_name, tracker_name in APP_TO_TRACKER.items():
        out[app_name] = settings[tracker_name]
    return out


def _split(attributes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column values (name, urls, timezone, currency) and the other §3 attributes."""
    columns: dict[str, Any] = {}
    others: dict[str, Any] = {}
    for key, value in attributes.items():
        if key in _COLUMNS:
            columns[key] = value
        elif key in APP_ATTRIBUTES or key in APP_TO_TRACKER:
            others[key] = value
        elif key not in _READ_ONLY:
            raise ValidationError(key, "unknown attribute")
    return columns, others


def _app_id(call: Call) -> str:
    return uuid_value(call.path["app_id"], parameter="app_id")


def list_apps(call: Call) -> Response:
    page = call.page(("name", "addedAt", "updatedAt"), "-addedAt")
    wanted = call.query.get("permission") or "view"
    if wanted not in _PERMISSION_FILTER:
        raise ApiError(
            400,
            "permission must be one of " + ", ".join(_PERMISSION_FILTER),
            parameter="permission",
        )
    only = _visible(call, _PERMISSION_FILTER[wanted])
    total, apps = app_service.page_apps(call.ctx.meta, page, only)
    data = [
        resource(
            TYPE,
            a.id,
            {
                "name": a.name,
                "addedAt": timestamp(a.created_at),
                "updatedAt": timestamp(a.updated_at),
            },
        )
        for a in apps
    ]
    return document(data, {"total": total})


def _visible(call: Call, level: str) -> list[str] | None:
    """The ids the caller holds `level` on (None: all, for an OWNER)."""
    if call.caller.is_owner:
        return None
    levels = call.ctx.authorizer.levels(call.caller) or {}
    return [e for e in levels if call.ctx.authorizer.allows(call.caller, e, level)]


def create_app(call: Call) -> Response:
    call.require_owner()
    attributes = call.attributes()
    columns, others = _split(attributes)
    app_id = attributes.get("id")
    app = app_service.create_app(
        call.ctx.meta,
        name=app_service.validate_name(columns.get("name")),
        urls=app_service.validate_urls(columns.get("urls")),
        timezone=columns.get("timezone", "UTC"),
        currency=columns.get("currency", "USD"),
        app_type=attributes.get("appType", "web"),
        attributes=others,
        app_id=uuid_value(app_id, pointer="/id") if app_id is not None else None,
        actor=call.actor,
    )
    return document(resource(TYPE, app.id, app_attributes(call.ctx.meta, app)), status=201)


def get_app(call: Call) -> Response:
    app_id = _app_id(call)
    call.require([app_id], "view")
    app = app_service.get_app(call.ctx.meta, app_id)
    return document(resource(TYPE, app.id, app_attributes(call.ctx.meta, app)))


def patch_app(call: Call) -> Response:
    app_id = _app_id(call)
    call.require([app_id], "manage")
    app_service.get_app(call.ctx.meta, app_id)
    columns, others = _split(call.attributes(id_=app_id))
    app_service.update_app(call.ctx.meta, app_id, {**columns, "attributes": others}, call.actor)
    return no_content()


def delete_app(call: Call) -> Response:
    app_id = _app_id(call)
    call.require([app_id], "manage")
    app_service.delete_app(call.ctx.meta, app_id, call.actor)
    return no_content()


def user_permissions(call: Call) -> Response:
    """Deprecated in Piwik PRO, kept for its clients: who holds what on the app (needs manage)."""
    app_id = _app_id(call)
    call.require([app_id], "manage")
    app_service.get_app(call.ctx.meta, app_id)
    page = call.page(("email",), "email", max_limit=10000)
    offset, limit = page.offset, page.limit if "limit" in call.query else 10000
    by_user, _ = permissions.grants_on(call.ctx.meta, app_id)
    users = [u for u in accounts.list_users(call.ctx.meta) if u.id in by_user or u.role == "OWNER"]
    data = [
        resource(
            "ppms/app_permissions_for_user",
            u.id,
            {
                "displayName": u.email,
                "access": list(
                    permissions.actions_for("manage" if u.role == "OWNER" else by_user[u.id])
                ),
            },
        )
        for u in users[offset : offset + limit]
    ]
    return document(data, {"total": len(users)})


def group_permissions(call: Call) -> Response:
    """Each app the caller can see, with the level the user group holds on it."""
    group_id = uuid_value(call.path["group_id"], parameter="user_group_id")
    groups.get_group(call.ctx.meta, group_id)
    page = call.page(("name",), "name")
    total, apps = app_service.page_apps(call.ctx.meta, page, _visible(call, "view"))
    with call.ctx.meta.connect() as conn:
        held = permissions.group_levels(conn, group_id)
    data = [
        resource(
            "ppms/app_permissions_for_user_group",
            a.id,
            {"app_name": a.name, "access": held.get(a.id, "no-access")},
        )
        for a in apps
    ]
    return document(data, {"total": total})


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, tag="Apps", pointer_prefix="/", **kw)


ENDPOINTS = [
    _e("GET", "", list_apps, "List apps"),
    _e("POST", "", create_app, "Create an app", body_type=TYPE, status=201),
    _e("GET", "/{app_id}", get_app, "Get an app"),
    _e("PATCH", "/{app_id}", patch_app, "Change an app", body_type=TYPE, status=204),
    _e("DELETE", "/{app_id}", delete_app, "Delete an app", status=204),
    _e(
        "GET",
        "/{app_id}/permissions",
        user_permissions,
        "Users' permissions on an app (deprecated)",
    ),
    _e(
        "GET",
        "/user-group/{group_id}/permissions",
        group_permissions,
        "List a user group's permissions on apps",
    ),
]
