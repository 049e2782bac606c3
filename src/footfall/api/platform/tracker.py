"""Tracker settings API v2 (api-notes §4): global and per-app collecting and processing settings.

An app's value falls back to the global value, and that to the default; `DELETE …/{setting}`
drops a stored value so it falls back again. The collector and the pipeline read the same
values within a second. `GET …/app/url?app_url=` finds the app of a host, as log importers do.
Reading the global settings needs a sign-in, changing them the OWNER role; an app's need `view`
to read and `manage` to change.
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
from footfall.meta import apps as app_service
from footfall.meta import tracker as settings_service
from footfall.meta.tracker import GLOBAL

__all__ = ["APP_TYPE", "ENDPOINTS", "GLOBAL_TYPE"]

BASE = "/api/tracker/v2/settings/app"
GLOBAL_TYPE = "tracker/settings/app/global"
APP_TYPE = "tracker/settings/app"


def _attributes(call: Call, scope: str) -> dict[str, Any]:
    values = settings_service.get_tracker_settings(call.ctx.meta, scope)
    values["updated_at"] = timestamp(settings_service.settings_updated_at(call.ctx.meta, scope))
    return values


def _app_settings(call: Call, app_id: str) -> Response:
    app = app_service.get_app(call.ctx.meta, app_id)
    attributes = {**_attributes(call, app.id), "urls": list(app.urls)}
    return document(resource(APP_TYPE, app.id, attributes))


def get_global(call: Call) -> Response:
    return document(resource(GLOBAL_TYPE, GLOBAL, _attributes(call, GLOBAL)))


def patch_global(call: Call) -> Response:
    call.require_owner()
    attributes = call.attributes(id_=GLOBAL, id_optional=True)
    attributes.pop("updated_at", None)
    settings_service.set_tracker_settings(call.ctx.meta, GLOBAL, attributes, call.actor)
    return no_content()


def get_app(call: Call) -> Response:
    app_id = uuid_value(call.path["app_id"], parameter="app_id")
    call.require([app_id], "view")
    return _app_settings(call, app_id)


def patch_app(call: Call) -> Response:
    app_id = uuid_value(call.path["app_id"], parameter="app_id")
    call.require([app_id], "manage")
    app_service.get_app(call.ctx.meta, app_id)
    attributes = call.attributes(id_=app_id)
    attributes.pop("updated_at", None)
    urls = app_service.validate_urls(attributes.pop("urls")) if "urls" in attributes else None
    settings_service.set_tracker_settings(call.ctx.meta, app_id, attributes, call.actor)
    if urls is not None:
        app_service.update_app(call.ctx.meta, app_id, {"urls": urls}, call.actor)
    return no_content()


def delete_setting(call: Call) -> Response:
    scope = call.path["app_id"]
    if scope == GLOBAL:
        call.require_owner()
    else:
        scope = uuid_value(scope, parameter="app_id")
        call.require([scope], "manage")
    settings_service.reset_tracker_setting(call.ctx.meta, scope, call.path["setting"], call.actor)
    return no_content()


def app_by_url(call: Call) -> Response:
    url = call.query.get("app_url") or call.query.get("appUrl")  # appUrl: before 2021-12 (§12.2)
    if not url:
        raise ApiError(400, "This value should not be blank.", parameter="app_url")
    app = app_service.find_app_by_url(call.ctx.meta, url)
    if app is None or not call.ctx.authorizer.allows(call.caller, app.id, "view"):
        raise ApiError(
            404, f"App with given url '{url}' doesn't exist", code="error.resource-not-found"
        )
    return _app_settings(call, app.id)


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(
        method, BASE + path, handler, summary, family="error", tag="Tracker settings", **kw
    )


ENDPOINTS = [
    _e("GET", "/global", get_global, "Get the global tracker settings"),
    _e(
        "PATCH",
        "/global",
        patch_global,
        "Change global tracker settings",
        body_type=GLOBAL_TYPE,
        status=204,
    ),
    _e("GET", "/url", app_by_url, "Find the app of a URL or host"),
    _e("GET", "/{app_id}", get_app, "Get an app's tracker settings"),
    _e(
        "PATCH",
        "/{app_id}",
        patch_app,
        "Change an app's tracker settings",
        body_type=APP_TYPE,
        status=204,
    ),
    _e(
        "DELETE",
        "/{app_id}/{setting}",
        delete_setting,
        "Revert a setting to its fallback",
        status=204,
    ),
]
