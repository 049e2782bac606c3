"""Meta sites API v1 (api-notes §7): meta sites and the apps in them (attributes in snake_case).

Reading a meta site needs `view` on it, changing it or its apps `manage`, creating one the OWNER
role. Apps added to a meta site must be visible to the caller.
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
from footfall.meta import meta_sites as service
from footfall.meta.apps import App
from footfall.meta.meta_sites import MetaSite
from footfall.meta.paging import Page

__all__ = ["ENDPOINTS", "TYPE"]

TYPE = "ppms/meta-site"
APP_TYPE = "ppms/app"
BASE = "/api/meta-sites/v1"


def _attributes(site: MetaSite) -> dict[str, Any]:
    return {
        "name": site.name,
        "currency": site.currency,
        "timezone": site.timezone,
        "e_commerce_tracking": site.e_commerce_tracking,
        "sharepoint_integration": site.sharepoint_integration,
        "cnil": False,
        "created_at": timestamp(site.created_at),
        "updated_at": timestamp(site.updated_at),
        "organization": "default",
    }


def _app_item(app: App) -> dict[str, Any]:
    attributes = {
        "name": app.name,
        "timezone": app.timezone,
        "currency": app.currency,
        "cnil": bool(app.attributes.get("cnil", False)),
    }
    return resource(APP_TYPE, app.id, attributes)


def _visible(call: Call, level: str) -> list[str] | None:
    if call.caller.is_owner:
        return None
    levels = call.ctx.authorizer.levels(call.caller) or {}
    return [e for e in levels if call.ctx.authorizer.allows(call.caller, e, level)]


def _id(call: Call) -> str:
    return uuid_value(call.path["meta_site_id"], parameter="id")


def list_meta_sites(call: Call) -> Response:
    page = call.page(("name", "created_at", "updated_at"), "name")
    total, sites = service.page_meta_sites(call.ctx.meta, page, _visible(call, "view"))
    data = [
        resource(
            TYPE,
            s.id,
            {
                "name": s.name,
                "created_at": timestamp(s.created_at),
                "updated_at": timestamp(s.updated_at),
            },
        )
        for s in sites
    ]
    return document(data, {"total": total})


def create_meta_site(call: Call) -> Response:
    call.require_owner()
    data = call.data()
    data_id = data.get("id") if isinstance(data, dict) else None
    attributes = call.attributes()
    site = service.create_meta_site(
        call.ctx.meta,
        attributes,
        meta_site_id=uuid_value(data_id, pointer="/data/id") if data_id is not None else None,
        actor=call.actor,
    )
    return document(resource(TYPE, site.id, _attributes(site)), status=201)


def get_meta_site(call: Call) -> Response:
    site_id = _id(call)
    call.require([site_id], "view")
    return document(
        resource(TYPE, site_id, _attributes(service.get_meta_site(call.ctx.meta, site_id)))
    )


def patch_meta_site(call: Call) -> Response:
    site_id = _id(call)
    call.require([site_id], "manage")
    service.get_meta_site(call.ctx.meta, site_id)
    service.update_meta_site(call.ctx.meta, site_id, call.attributes(id_=site_id), call.actor)
    return no_content()


def delete_meta_site(call: Call) -> Response:
    site_id = _id(call)
    call.require([site_id], "manage")
    service.delete_meta_site(call.ctx.meta, site_id, call.actor)
    return no_content()


def _relationship(call: Call) -> tuple[str, list[str]]:
    site_id = _id(call)
    call.require([site_id], "manage")
    service.get_meta_site(call.ctx.meta, site_id)
    app_ids = call.identifiers(APP_TYPE)
    call.require(app_ids, "view")
    return site_id, app_ids


def add_apps(call: Call) -> Response:
    site_id, app_ids = _relationship(call)
    service.add_apps(call.ctx.meta, site_id, app_ids, call.actor)
    return no_content()


def remove_apps(call: Call) -> Response:
    site_id, app_ids = _relationship(call)
    service.remove_apps(call.ctx.meta, site_id, app_ids, call.actor)
    return no_content()


def _apps(call: Call, excluded: bool) -> Response:
    site_id = _id(call)
    call.require([site_id], "view")
    page = call.page(("name", "timezone", "currency", "cnil"), "name")
    total, apps = service.page_meta_site_apps(
        call.ctx.meta, site_id, page, excluded=excluded, only=_visible(call, "view")
    )
    return document([_app_item(a) for a in apps], {"total": total})


def list_apps(call: Call) -> Response:
    return _apps(call, excluded=False)


def list_excluded_apps(call: Call) -> Response:
    return _apps(call, excluded=True)


def apps_with_meta_sites(call: Call) -> Response:
    page = call.page(("name", "type", "created_at"), "name")
    action = call.query.get("action") or "view"
    if action not in ("view", "edit"):
        raise ApiError(400, "action must be view or edit", parameter="action")
    only = _visible(call, action)
    everything = Page(limit=1_000_000, sort="name", search=page.search)
    _, apps = app_service.page_apps(call.ctx.meta, everything, only)
    _, sites = service.page_meta_sites(call.ctx.meta, everything, only)
    items = [(APP_TYPE, a.id, a.name, a.created_at) for a in apps]
    items += [(TYPE, s.id, s.name, s.created_at) for s in sites]
    key = page.sort.removeprefix("-")
    index = {"type": 0, "name": 2, "created_at": 3}[key]
    items.sort(key=lambda item: (item[index], item[1]), reverse=page.sort.startswith("-"))
    chosen = items[page.offset : page.offset + page.limit]
    data = [resource(t, i, {"name": n, "created_at": timestamp(c)}) for t, i, n, c in chosen]
    return document(data, {"total": len(items)})


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, family="message", tag="Meta sites", **kw)


ENDPOINTS = [
    _e("GET", "/apps-with-meta-sites", apps_with_meta_sites, "List apps and meta sites together"),
    _e("GET", "", list_meta_sites, "List meta sites"),
    _e("POST", "", create_meta_site, "Create a meta site", body_type=TYPE, status=201),
    _e("GET", "/{meta_site_id}", get_meta_site, "Get a meta site"),
    _e(
        "PATCH",
        "/{meta_site_id}",
        patch_meta_site,
        "Change a meta site",
        body_type=TYPE,
        status=204,
    ),
    _e("DELETE", "/{meta_site_id}", delete_meta_site, "Delete a meta site", status=204),
    _e(
        "POST",
        "/{meta_site_id}/relationships/apps",
        add_apps,
        "Add apps",
        body_type=APP_TYPE,
        status=204,
    ),
    _e(
        "DELETE",
        "/{meta_site_id}/relationships/apps",
        remove_apps,
        "Remove apps",
        body_type=APP_TYPE,
        status=204,
    ),
    _e("GET", "/{meta_site_id}/apps", list_apps, "List the apps of a meta site"),
    _e("GET", "/{meta_site_id}/apps/excluded", list_excluded_apps, "List the apps outside it"),
]
