"""User groups API v1 (api-notes §6): groups, their members and their permissions.

Anyone signed in may read groups; an OWNER creates, changes and deletes them and their members;
granting a group a level on an app or meta site needs `manage` on it.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from footfall.api.platform.jsonapi import (
    Call,
    Endpoint,
    document,
    no_content,
    resource,
    timestamp,
    uuid_value,
)
from footfall.meta import groups as service
from footfall.meta import permissions
from footfall.meta.errors import ValidationError
from footfall.meta.groups import UserGroup

__all__ = ["ENDPOINTS", "TYPE"]

TYPE = "ppms/user-group"
USER_TYPE = "ppms/user"
PERMISSION_TYPE = "ppms/permissions/group"
BASE = "/api/user-groups/v1"


def group_resource(group: UserGroup) -> dict[str, Any]:
    """A group as the API shows it."""
    attributes = {
        "name": group.name,
        "created_at": timestamp(group.created_at),
        "updated_at": timestamp(group.updated_at),
        "external_id": group.external_id,
    }
    return resource(TYPE, group.id, attributes)


def _id(call: Call) -> str:
    return uuid_value(call.path["group_id"], parameter="id")


def list_groups(call: Call) -> Response:
    page = call.page(("name", "created_at", "updated_at"), "name")
    total, groups = service.page_groups(call.ctx.meta, page)
    return document([group_resource(g) for g in groups], {"total": total})


def create_group(call: Call) -> Response:
    call.require_owner()
    group = service.create_group(call.ctx.meta, call.attributes(), call.actor)
    return document(group_resource(group), status=201)


def get_group(call: Call) -> Response:
    return document(group_resource(service.get_group(call.ctx.meta, _id(call))))


def patch_group(call: Call) -> Response:
    call.require_owner()
    group_id = _id(call)
    service.get_group(call.ctx.meta, group_id)
    service.update_group(call.ctx.meta, group_id, call.attributes(id_=group_id), call.actor)
    return no_content()


def delete_group(call: Call) -> Response:
    call.require_owner()
    service.delete_group(call.ctx.meta, _id(call), call.actor)
    return no_content()


def _users(call: Call, excluded: bool) -> Response:
    page = call.page(("email",), "email")
    total, users = service.page_group_users(call.ctx.meta, _id(call), page, excluded=excluded)
    data = [resource(USER_TYPE, u.id, {"email": u.email}) for u in users]
    return document(data, {"total": total})


def list_users(call: Call) -> Response:
    return _users(call, excluded=False)


def list_excluded_users(call: Call) -> Response:
    return _users(call, excluded=True)


def _members(call: Call) -> tuple[str, list[str]]:
    call.require_owner()
    group_id = _id(call)
    service.get_group(call.ctx.meta, group_id)
    return group_id, call.identifiers(USER_TYPE)


def add_users(call: Call) -> Response:
    group_id, user_ids = _members(call)
    service.add_members(call.ctx.meta, group_id, user_ids, call.actor)
    return no_content()


def remove_users(call: Call) -> Response:
    group_id, user_ids = _members(call)
    service.remove_members(call.ctx.meta, group_id, user_ids, call.actor)
    return no_content()


def set_permission(call: Call) -> Response:
    group_id = _id(call)
    service.get_group(call.ctx.meta, group_id)
    attributes = call.attributes()
    entity_id = attributes.get("entity_id")
    if entity_id is None:
        raise ValidationError("entity_id", "This value should not be blank.")
    entity_id = uuid_value(entity_id, pointer="/data/attributes/entity_id")
    call.require([entity_id], "manage")
    permissions.set_group_permission(
        call.ctx.meta, group_id, entity_id, attributes.get("group"), call.actor, field="group"
    )
    return no_content()


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, tag="User groups", **kw)


ENDPOINTS = [
    _e("GET", "", list_groups, "List user groups"),
    _e("POST", "", create_group, "Create a user group", body_type=TYPE, status=201),
    _e("GET", "/{group_id}", get_group, "Get a user group"),
    _e("PATCH", "/{group_id}", patch_group, "Change a user group", body_type=TYPE, status=204),
    _e("DELETE", "/{group_id}", delete_group, "Delete a user group", status=204),
    _e("GET", "/{group_id}/users", list_users, "List the group's members"),
    _e("GET", "/{group_id}/users/excluded", list_excluded_users, "List users outside the group"),
    _e(
        "POST",
        "/{group_id}/relationships/users",
        add_users,
        "Add members",
        body_type=USER_TYPE,
        status=204,
    ),
    _e(
        "DELETE",
        "/{group_id}/relationships/users",
        remove_users,
        "Remove members",
        body_type=USER_TYPE,
        status=204,
    ),
    _e(
        "POST",
        "/{group_id}/permissions",
        set_permission,
        "Grant the group a level on an app or meta site",
        body_type=PERMISSION_TYPE,
        status=204,
    ),
]
