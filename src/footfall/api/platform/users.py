"""Users API v2 (api-notes §5, seed 002): invite, create, list, get, patch, change role, delete, me.

Anyone signed in may list and read users (a manager picks whom to share an app with); only an
OWNER creates, changes or deletes them. Everyone may read and change their own language and
password through `me`.
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
from footfall.auth.access import Forbidden
from footfall.meta import accounts, invitations
from footfall.meta.accounts import User
from footfall.meta.errors import ValidationError

__all__ = ["ENDPOINTS", "TYPE", "user_resource"]

TYPE = "ppms/user"
BASE = "/api/users/v2"
ORGANIZATION = "default"


def user_resource(user: User) -> dict[str, Any]:
    """A user as the users API shows it."""
    return resource(
        TYPE,
        user.id,
        {
            "email": user.email,
            "role": user.role,
            "organization": ORGANIZATION,
            "addedAt": timestamp(user.created_at),
            "language": user.language,
        },
    )


def _only(attributes: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    for key in attributes:
        if key not in allowed:
            raise ValidationError(key, "unknown or read-only attribute")
    return attributes


def _required(attributes: dict[str, Any], name: str) -> Any:
    if attributes.get(name) in (None, ""):
        raise ValidationError(name, "This value should not be blank.")
    return attributes[name]


def list_users(call: Call) -> Response:
    page = call.page(("email", "addedAt", "role"), "-addedAt")
    total, users = accounts.page_users(call.ctx.meta, page)
    return document([user_resource(u) for u in users], {"total": total})


def _create(call: Call, allowed: tuple[str, ...]) -> Response:
    """Create a user; without a password, with an invitation link in `meta.invitation_url`
    (Footfall sends no email: the caller passes the one-time link on)."""
    call.require_owner()
    attributes = _only(call.attributes(), allowed)
    email = _required(attributes, "email")
    role, language = attributes.get("role", "USER"), attributes.get("language", "en-US")
    if attributes.get("password"):
        new = accounts.create_user(
            call.ctx.meta,
            email,
            role=role,
            language=language,
            password=attributes["password"],
            actor=call.actor,
        )
        return document(user_resource(new.user), status=201)
    user, link = invitations.invite_user(
        call.ctx.meta, email, role=role, language=language, actor=call.actor
    )
    base = call.ctx.public_url or f"http://{call.headers.get('host', 'localhost')}"
    meta = {
        "invitation_url": link.url(base),
        "invitation_expires_at": timestamp(link.invitation.expires_at),
    }
    return document(user_resource(user.user), meta, status=201)


def create_user(call: Call) -> Response:
    # why: seed 002 invites with POST /api/users/v2 and no password; with one, the api-notes'
    # password rules apply (12-128 characters, a digit, upper and lower case)
    return _create(call, ("email", "password", "role", "language"))


def invite_user(call: Call) -> Response:
    return _create(call, ("email", "language"))


def get_user(call: Call) -> Response:
    user_id = uuid_value(call.path["user_id"], parameter="userId")
    return document(user_resource(accounts.get_user(call.ctx.meta, user_id)))


def patch_user(call: Call) -> Response:
    call.require_owner()
    user_id = uuid_value(call.path["user_id"], parameter="userId")
    accounts.get_user(call.ctx.meta, user_id)
    attributes = _only(call.attributes(id_=user_id), ("role", "language"))
    accounts.update_user(call.ctx.meta, user_id, attributes, call.actor)
    return no_content()


def change_role(call: Call) -> Response:
    call.require_owner()
    user_id = uuid_value(call.path["user_id"], parameter="userId")
    accounts.get_user(call.ctx.meta, user_id)
    attributes = _only(call.attributes(id_=user_id), ("role",))
    accounts.update_user(
        call.ctx.meta, user_id, {"role": _required(attributes, "role")}, call.actor
    )
    return no_content()


def delete_user(call: Call) -> Response:
    call.require_owner()
    user_id = uuid_value(call.path["user_id"], parameter="userId")
    accounts.delete_user(call.ctx.meta, user_id, call.actor)
    return no_content()


def me(call: Call) -> Response:
    return document(user_resource(call.caller.user))


def patch_me(call: Call) -> Response:
    user = call.caller.user
    attributes = _only(call.attributes(id_=user.id, id_optional=True), ("role", "language"))
    if "role" in attributes and attributes["role"] != user.role and not call.caller.is_owner:
        raise Forbidden("only an OWNER changes roles")
    accounts.update_user(call.ctx.meta, user.id, attributes, call.actor)
    return no_content()


def change_password(call: Call) -> Response:
    attributes = _only(call.attributes(), ("currentPassword", "newPassword"))
    accounts.change_password(
        call.ctx.meta,
        call.caller.user.id,
        attributes.get("currentPassword"),
        attributes.get("newPassword"),
        call.actor,
    )
    return no_content()


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, tag="Users", **kw)


ENDPOINTS = [
    _e("GET", "", list_users, "List users"),
    _e("POST", "", create_user, "Create (invite) a user", body_type=TYPE, status=201),
    _e("POST", "/invite", invite_user, "Invite a user", body_type=TYPE, status=201),
    _e("GET", "/me", me, "The caller"),
    _e("GET", "/me/details", me, "The caller (deprecated path)"),
    _e("PATCH", "/me", patch_me, "Change the caller's language", body_type=TYPE, status=204),
    _e(
        "PATCH",
        "/me/change-password",
        change_password,
        "Change the caller's password",
        body_type=TYPE,
        status=204,
    ),
    _e("GET", "/{user_id}", get_user, "Get a user"),
    _e("PATCH", "/{user_id}", patch_user, "Change a user", body_type=TYPE, status=204),
    _e(
        "PATCH",
        "/{user_id}/change-role",
        change_role,
        "Change a user's role",
        body_type=TYPE,
        status=204,
    ),
    _e("DELETE", "/{user_id}", delete_user, "Delete a user", status=204),
]
