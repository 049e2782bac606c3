"""Administration pages: an app's settings (details, install snippet, goals), the signed-in
user's API credentials, and users (permissions, invitation links).

App settings need `edit` on the app (the level the platform API asks for the tracking code).
Every change goes through `meta.services`, like the platform API, so the same validation and
audit log apply. Bad input re-renders the form naming the field (400). A new credential's secret
is shown once, on the page that answers its creation, and never again.
"""

from __future__ import annotations

from typing import Any

from footfall.meta import services
from footfall.meta.audit import Actor
from footfall.meta.goals import PATTERN_TYPES, TRIGGERS
from footfall.web.snippet import tracking_code

#: what the permission form offers (api-notes §8.1), weakest first
LEVEL_CHOICES = ("no-access", *services.LEVELS)
#: what the goal form offers
GOAL_CHOICES = {"trigger": ("manually", *(t for t in TRIGGERS if t != "manually"))}


def settings_context(meta: Any, app: services.App, base_url: str) -> dict[str, Any]:
    """What the settings page shows."""
    return {
        "snippet": tracking_code(base_url, app.id),
        "goals": services.list_goals(meta, app.id),
        "triggers": GOAL_CHOICES["trigger"],
        "pattern_types": PATTERN_TYPES,
    }


def add_goal(meta: Any, app: services.App, form: dict[str, str], actor: Actor) -> None:
    """Create a goal from the form; raises `ValidationError` naming the field."""
    try:
        revenue = float(form.get("revenue") or 0)
    except ValueError:
        raise services.ValidationError("revenue", "must be a number") from None
    services.create_goal(
        meta,
        app.id,
        name=form.get("name", "").strip(),
        trigger=form.get("trigger", "manually"),
        pattern_type=form.get("pattern_type", "contains"),
        pattern=form.get("pattern", ""),
        revenue=revenue,
        actor=actor,
    )


def revoke_own_credential(meta: Any, user_id: str, client_id: str, actor: Actor) -> None:
    """Revoke one of the user's own credentials; `NotFound` for anyone else's."""
    mine = {c.client_id for c in services.list_credentials(meta, user_id) if c.revoked_at is None}
    if client_id not in mine:
        raise services.NotFound(f"Credential {client_id} is not one of yours")
    services.revoke_credential(meta, client_id, actor)


def users_context(meta: Any) -> dict[str, Any]:
    """What the users page shows: every user, every app, and each user's level per app."""
    users = services.list_users(meta)
    apps = services.list_apps(meta)
    levels = {
        (user.id, app.id): services.permission_level(meta, user.id, app.id) or ""
        for user in users
        for app in apps
        if user.role != "OWNER"
    }
    return {"users": users, "apps": apps, "levels": levels, "choices": LEVEL_CHOICES}


def invite(meta: Any, form: dict[str, str], base_url: str, actor: Actor) -> tuple[str, str]:
    """(email, link): invite the form's email, or issue a fresh link when the user exists."""
    email = form.get("email", "").strip()
    user = services.find_user(meta, email) if email else None
    if user is None:
        new, link = services.invite_user(meta, email, role=form.get("role", "USER"), actor=actor)
        user = new.user
    else:
        link = services.issue_invitation(meta, user.id, actor)
    return user.email, link.url(base_url)


def set_level(meta: Any, form: dict[str, str], actor: Actor) -> None:
    """Grant the form's user the form's level on the form's app (OWNERs only, checked before)."""
    level = form.get("level", "")
    if level not in LEVEL_CHOICES:
        raise services.ValidationError("level", "must be one of " + ", ".join(LEVEL_CHOICES))
    services.set_permission(meta, form.get("user", ""), form.get("app", ""), level, actor)
