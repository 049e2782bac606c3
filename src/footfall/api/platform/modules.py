"""Modules API v1 (api-notes §8.2): the licensed modules and which users may use them.

Every module is licensed on a self-hosted server. A user reads their own module access; an OWNER
reads and changes anyone's.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from footfall.api.platform.jsonapi import (
    ApiError,
    Call,
    Endpoint,
    check_type,
    document,
    no_content,
    resource,
    uuid_value,
)
from footfall.auth.access import Forbidden
from footfall.meta import accounts
from footfall.meta.errors import ValidationError
from footfall.meta.modules import MODULES, module_access_of, set_module_access

__all__ = ["ENDPOINTS"]

BASE = "/api/modules/v1"
_MAX_USERS = 100


def list_modules(call: Call) -> Response:
    return document([resource("ppms/module", m) for m in MODULES])


def get_module(call: Call) -> Response:
    module = call.path["module"]
    if module not in MODULES:
        raise ApiError(
            403, f"Missing license for: {module}", code="modules.error.unlicensed-module"
        )
    return document(resource("ppms/module", module))


def by_users(call: Call) -> Response:
    user_ids = call.identifiers("ppms/user")
    if len(user_ids) > _MAX_USERS:
        raise ApiError(
            400,
            f"Too many users: {_MAX_USERS} at most",
            code="modules.error.too-many-users",
            pointer="/data",
        )
    data = []
    for user_id in user_ids:
        access = module_access_of(call.ctx.meta, user_id)
        modules = [m for m, allowed in access.items() if allowed]
        data.append(resource("ppms/user/modules", user_id, {"modules": modules}))
    return document(data)


def _user(call: Call) -> str:
    user_id = uuid_value(call.path["user_id"], parameter="user_id")
    if user_id != call.caller.user.id and not call.caller.is_owner:
        raise Forbidden("only an OWNER reads another user's module access")
    accounts.get_user(call.ctx.meta, user_id)
    return user_id


def get_access(call: Call) -> Response:
    user_id = _user(call)
    access = module_access_of(call.ctx.meta, user_id)
    data = [
        resource(
            "module/access/user",
            module,
            {"access": allowed, "group_access": {"group_names": [], "access": False}},
        )
        for module, allowed in access.items()
    ]
    return document(data)


def put_access(call: Call) -> Response:
    call.require_owner()
    user_id = _user(call)
    data = call.data()
    if not isinstance(data, list):
        raise ApiError(400, "This value should be of type array.", pointer="/data")
    changes: dict[str, bool] = {}
    for index, item in enumerate(data):
        pointer = f"/data/{index}"
        if not isinstance(item, dict):
            raise ApiError(400, "This value should be of type object.", pointer=pointer)
        check_type(item, "module/access", pointer)
        module, attributes = item.get("id"), item.get("attributes")
        if module not in MODULES:
            raise ValidationError(pointer + "/id", "must be one of " + ", ".join(MODULES))
        if not isinstance(attributes, dict) or not isinstance(attributes.get("access"), bool):
            raise ValidationError(pointer + "/attributes/access", "must be a boolean")
        changes[str(module)] = attributes["access"]
    set_module_access(call.ctx.meta, user_id, changes, call.actor)
    return no_content()


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, family="message", tag="Modules", **kw)


ENDPOINTS = [
    _e("GET", "", list_modules, "Licensed modules"),
    _e(
        "POST",
        "/by-users",
        by_users,
        "Modules each user may use",
        body_type="ppms/user",
    ),
    _e("GET", "/access/user/{user_id}", get_access, "A user's module access"),
    _e(
        "PUT",
        "/access/user/{user_id}",
        put_access,
        "Change a user's module access",
        body_type="module/access",
        status=204,
    ),
    _e("GET", "/{module}", get_module, "Get a module"),
]
