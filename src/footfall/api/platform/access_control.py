"""Access control API v2 (api-notes §8.1): who may do what on apps and meta sites.

Listing or changing the permissions of an app or meta site needs `manage` on it. The legacy
`entry/group` paths are kept for older clients.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.responses import Response

from footfall.api.platform.jsonapi import (
    ApiError,
    Call,
    Endpoint,
    document,
    no_content,
    resource,
    uuid_value,
)
from footfall.meta import accounts, groups, permissions
from footfall.meta import apps as app_service
from footfall.meta import meta_sites as site_service
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.paging import Page

__all__ = ["ENDPOINTS"]

BASE = "/api/access-control/v2"
ENTITY_ACTIONS = ("view", "edit", "publish", "delete", "add", "manage")
USER_ACTIONS = (
    "view",
    "edit",
    "delete",
    "list",
    "add",
    "demote_app_manager",
    "demote_meta_site_manager",
)


def _actions(call: Call, entity_id: str) -> list[str]:
    return list(permissions.actions_for(call.ctx.authorizer.level(call.caller, entity_id)))


def entity_actions(call: Call) -> Response:
    entity_id = uuid_value(call.path["entity_id"], parameter="entity_id")
    with call.ctx.meta.connect() as conn:
        if permissions.entity_kind(conn, entity_id) is None:
            raise NotFound(f'Entity with id "{entity_id}" does not exist')
    attributes = {"actions": _actions(call, entity_id)}
    return document(resource("ppms/permission/entity/actions", entity_id, attributes))


def _entities_with(call: Call, kind: str, action: str) -> list[str]:
    everything = Page(limit=1_000_000, sort="name")
    if kind == "app":
        found = [a.id for a in app_service.page_apps(call.ctx.meta, everything)[1]]
    else:
        found = [s.id for s in site_service.page_meta_sites(call.ctx.meta, everything)[1]]
    if action == "add":
        return found if call.caller.is_owner else []
    return [e for e in found if action in _actions(call, e)]


def _entry_list(call: Call, kind: str) -> Response:
    action = call.path["action"]
    if action not in ENTITY_ACTIONS:
        raise ApiError(400, f"Unknown action {action}", parameter="action")
    ids = _entities_with(call, kind, action)
    data = [resource("ppms/permission/entity", i, {"entityType": f"ppms/{kind}"}) for i in ids]
    return document(data, {"total": len(data)})


def app_entries(call: Call) -> Response:
    return _entry_list(call, "app")


def meta_site_entries(call: Call) -> Response:
    return _entry_list(call, "meta-site")


def user_entries(call: Call) -> Response:
    action = call.path["action"]
    if action not in USER_ACTIONS:
        raise ApiError(400, f"Unknown action {action}", parameter="action")
    allowed = call.caller.is_owner or action in ("view", "list")
    ids = [u.id for u in accounts.list_users(call.ctx.meta)] if allowed else []
    data = [resource("ppms/permission/entity", i, {"entityType": "ppms/user"}) for i in ids]
    return document(data, {"total": len(data)})


def global_actions(call: Call) -> Response:
    owner = call.caller.is_owner
    granted = {
        "ppms/app": ["add"] if owner else [],
        "ppms/meta-site": ["add"] if owner else [],
        "ppms/user": list(USER_ACTIONS) if owner else ["view", "list"],
    }
    data = [
        resource(kind, "", {"permissions": actions})
        | {"id": kind, "type": "ppms/permissions/global"}
        for kind, actions in granted.items()
    ]
    return document(data)


def _entity(call: Call, kind: str) -> str:
    entity_id = uuid_value(call.path["entity_id"], parameter="id")
    call.require([entity_id], "manage")
    if kind == "app":
        app_service.get_app(call.ctx.meta, entity_id)
    else:
        site_service.get_meta_site(call.ctx.meta, entity_id)
    return entity_id


def _user_permissions(call: Call, kind: str) -> Response:
    entity_id = _entity(call, kind)
    page = call.page(("email",), "email")
    total, users = accounts.page_users(call.ctx.meta, page)
    by_user, by_group = permissions.grants_on(call.ctx.meta, entity_id)
    data = []
    for user in users:
        member_of = groups.groups_of_user(call.ctx.meta, user.id)
        granting = {g: lv for g, lv in by_group.items() if g in member_of}
        attributes = {
            "email": user.email,
            "permission": by_user.get(user.id, "no-access"),
            "group_permissions": {
                "group_names": sorted(member_of[g] for g in granting),
                "permission": permissions.strongest(granting.values()),
            },
        }
        data.append(resource(f"{kind}/permission/user", user.id, attributes))
    return document(data, {"total": total})


def _group_permissions(call: Call, kind: str) -> Response:
    entity_id = _entity(call, kind)
    page = call.page(("name",), "name")
    total, found = groups.page_groups(call.ctx.meta, page)
    _, by_group = permissions.grants_on(call.ctx.meta, entity_id)
    data = [
        resource(
            f"{kind}/permission/user-group",
            g.id,
            {"name": g.name, "permission": by_group.get(g.id, "no-access")},
        )
        for g in found
    ]
    return document(data, {"total": total})


def _set(call: Call, kind: str, principal: str) -> Response:
    entity_id = _entity(call, kind)
    target = uuid_value(call.path["target_id"], parameter="id")
    level = call.attributes().get("permission")
    if principal == "user":
        permissions.set_user_permission(call.ctx.meta, target, entity_id, level, call.actor)
    else:
        permissions.set_group_permission(call.ctx.meta, target, entity_id, level, call.actor)
    return no_content()


def legacy_set(call: Call) -> Response:
    attributes = call.attributes()
    for name in ("entity", "entityId", "group", "targetUserId"):
        if attributes.get(name) in (None, ""):
            raise ValidationError(name, "This value should not be blank.")
    if attributes["entity"] not in ("ppms/app", "ppms/meta-site"):
        raise ValidationError("entity", "must be ppms/app or ppms/meta-site")
    entity_id = uuid_value(attributes["entityId"], pointer="/data/attributes/entityId")
    user_id = uuid_value(attributes["targetUserId"], pointer="/data/attributes/targetUserId")
    call.require([entity_id], "manage")
    permissions.set_user_permission(
        call.ctx.meta, user_id, entity_id, attributes["group"], call.actor, field="group"
    )
    return no_content()


def legacy_list(call: Call) -> Response:
    entity_id = _entity(call, "app")
    by_user, by_group = permissions.grants_on(call.ctx.meta, entity_id)
    data = []
    for user in accounts.list_users(call.ctx.meta):
        member_of = groups.groups_of_user(call.ctx.meta, user.id)
        granting = {g: lv for g, lv in by_group.items() if g in member_of}
        level = by_user.get(user.id, "no-access")
        attributes = {
            "email": user.email,
            "permissions": list(permissions.actions_for(level)),
            "group_permissions": {
                "group_names": sorted(member_of[g] for g in granting),
                "permission": permissions.strongest(granting.values()),
            },
        }
        data.append(resource("ppms/permissions/group", user.id, attributes))
    return document(data, {"total": len(data)})


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(
        method, BASE + path, handler, summary, family="message", tag="Access control", **kw
    )


def _grant_routes(kind: str) -> list[Endpoint]:
    out = []
    for principal in ("user", "user-group"):
        path = f"/{kind}/{{entity_id}}/permission/{principal}"
        lister = _user_permissions if principal == "user" else _group_permissions
        out.append(_e("GET", path, partial(lister, kind=kind), f"List {principal} permissions"))
        out.append(
            _e(
                "POST",
                path + "/{target_id}",
                partial(_set, kind=kind, principal=principal),
                f"Set a {principal}'s permission on a {kind}",
                body_type=f"{kind}/permission/{principal}",
                status=204,
            )
        )
    return out


ENDPOINTS = [
    _e("GET", "/global/actions", global_actions, "Global actions of the caller"),
    _e("GET", "/entry/ppms/app/action/{action}", app_entries, "Apps the caller may act on"),
    _e(
        "GET",
        "/entry/ppms/meta-site/action/{action}",
        meta_site_entries,
        "Meta sites the caller may act on",
    ),
    _e("GET", "/entry/ppms/user/action/{action}", user_entries, "Users the caller may act on"),
    _e("GET", "/entry/groups/ppms/app/{entity_id}", legacy_list, "Permissions on an app (legacy)"),
    _e(
        "POST",
        "/entry/group",
        legacy_set,
        "Set a user's permission (legacy)",
        body_type="ppms/permissions/group",
        status=204,
    ),
    _e("GET", "/entry/{entity_id}", entity_actions, "The caller's actions on an entity"),
    *_grant_routes("app"),
    *_grant_routes("meta-site"),
]
