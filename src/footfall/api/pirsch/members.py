"""Pirsch members of a domain (api-notes pirsch.md §6) over the platform's app permissions.

A member is a user's direct grant on the app: role `admin` is `manage`, `viewer` is `view`
(`edit` and `edit-publish` show as `admin`, the closest Pirsch role). A member's id is
`<app id>.<user id>`, so changing or removing it needs no table of its own. New members get
`viewer`, as in Pirsch; inviting an email without an account creates a USER, which only an
OWNER may do (as on the platform API).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from footfall.api.pirsch.access import PirschCaller
from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.manage import field_of, iso_time, managed_app, route, visible_app
from footfall.auth.access import authorizer_of
from footfall.meta.accounts import (
    create_user,
    find_user,
    get_user,
    set_permission,
    validate_email,
)
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.permissions import grants_on

__all__ = ["make_member_routes"]

_ROLES = {"admin": "manage", "viewer": "view"}


def _member(app_id: str, user_id: str, level: str, request: Request) -> dict[str, Any]:
    user = get_user(authorizer_of(request).meta, user_id)
    return {
        "id": f"{app_id}.{user_id}",
        "def_time": iso_time(user.created_at),
        "mod_time": iso_time(user.created_at),
        "user_id": user_id,
        "domain_id": app_id,
        "organization_id": None,
        "role": "viewer" if level == "view" else "admin",
        "user": {"id": user_id, "email": user.email, "full_name": "", "picture": ""},
    }


def list_members(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = visible_app(request, caller, request.query_params.get("id"))
    users, _ = grants_on(authorizer_of(request).meta, app.id)
    return [_member(app.id, u, level, request) for u, level in sorted(users.items())]


def add_members(request: Request, caller: PirschCaller, body: Any) -> Any:
    app = managed_app(request, caller, field_of(body, "id"))
    emails = field_of(body, "emails")
    if not isinstance(emails, list) or not emails:
        raise PirschError.invalid("emails", "must be a non-empty list of email addresses")
    meta = authorizer_of(request).meta
    checked: list[str] = []
    for i, email in enumerate(emails):
        try:
            checked.append(validate_email(email))
        except ValidationError:
            raise PirschError.invalid(f"emails.{i}", "is not an email address") from None
    owner = get_user(meta, caller.user_id or "").role == "OWNER"
    for i, email in enumerate(checked):
        if find_user(meta, email) is None and not owner:
            raise PirschError.invalid(f"emails.{i}", "has no account; only an owner may invite")
    for email in checked:
        user = find_user(meta, email) or create_user(meta, email).user
        users, _ = grants_on(meta, app.id)
        if user.id not in users:
            set_permission(meta, user.id, app.id, "view")
    return None


def _member_ref(request: Request, caller: PirschCaller, member_id: Any) -> tuple[str, str]:
    if not isinstance(member_id, str) or "." not in member_id:
        raise PirschError.invalid("id", "is not a member id")
    app_id, user_id = member_id.split(".", 1)
    app = managed_app(request, caller, app_id)
    users, _ = grants_on(authorizer_of(request).meta, app.id)
    if user_id not in users:
        raise PirschError(404, "member not found")
    if user_id == caller.user_id:
        raise PirschError(400, "you cannot change your own membership")
    return app.id, user_id


def change_member(request: Request, caller: PirschCaller, body: Any) -> Any:
    app_id, user_id = _member_ref(request, caller, field_of(body, "id"))
    role = field_of(body, "role")
    if role not in _ROLES:
        raise PirschError.invalid("role", "must be admin or viewer")
    set_permission(authorizer_of(request).meta, user_id, app_id, _ROLES[role])
    return None


def remove_member(request: Request, caller: PirschCaller, body: Any) -> Any:
    app_id, user_id = _member_ref(request, caller, request.query_params.get("id"))
    try:
        set_permission(authorizer_of(request).meta, user_id, app_id, None)
    except NotFound:
        raise PirschError(404, "member not found") from None
    return None


def make_member_routes() -> list[Route]:
    """The member routes of the Pirsch family."""
    return [
        route("/api/v1/member", "GET", list_members, mode="r"),
        route("/api/v1/member", "POST", add_members),
        route("/api/v1/member", "PUT", change_member),
        route("/api/v1/member", "DELETE", remove_member),
    ]
