"""Goals of an app (api-notes §2 Goal): what the pipeline turns into conversions."""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.schema import goals
from footfall.meta.store import MetaStore, utcnow
from footfall.meta.tracker import effective_settings
from footfall.model.settings import Goal

__all__ = [
    "PATTERN_TYPES",
    "TRIGGERS",
    "create_goal",
    "delete_goal",
    "get_goal",
    "list_goals",
    "update_goal",
]

TRIGGERS = (
    "url",
    "title",
    "event_category",
    "event_action",
    "event_name",
    "file",
    "external_website",
    "manually",
)
PATTERN_TYPES = ("contains", "exact", "regex")


def _validate(values: dict[str, Any]) -> None:
    if not values["name"].strip():
        raise ValidationError("name", "must not be blank")
    if len(values["name"]) > 255:
        raise ValidationError("name", "must be at most 255 characters")
    if values["trigger"] not in TRIGGERS:
        raise ValidationError("trigger", "must be one of " + ", ".join(TRIGGERS))
    if values["pattern_type"] not in PATTERN_TYPES:
        raise ValidationError("pattern_type", "must be one of " + ", ".join(PATTERN_TYPES))
    if values["pattern_type"] == "regex":
        try:
            re.compile(values["pattern"])
        except re.error as e:
            raise ValidationError("pattern", f"invalid regular expression: {e}") from None
    if values["trigger"] != "manually" and not values["pattern"]:
        raise ValidationError("pattern", "must not be blank for this trigger")
    if values["revenue"] < 0:
        raise ValidationError("revenue", "must not be negative")


def create_goal(
    meta: MetaStore,
    app_ref: str | int,
    *,
    name: str,
    trigger: str = "manually",
    pattern_type: str = "contains",
    pattern: str = "",
    case_sensitive: bool = False,
    allow_multiple: bool = False,
    revenue: float = 0.0,
    description: str = "",
    actor: Actor | None = None,
) -> Goal:
    """Add a goal; its integer id is the next one of the app (1, 2, ...; the `idgoal` parameter)."""
    app = get_app(meta, app_ref)
    values: dict[str, Any] = {
        "name": name,
        "trigger": trigger,
        "pattern_type": pattern_type,
        "pattern": pattern,
        "case_sensitive": case_sensitive,
        "allow_multiple": allow_multiple,
        "revenue": float(revenue),
        "description": description,
    }
    _validate(values)
    now = utcnow()
    goal_uuid = str(uuid.uuid4())
    with meta.begin() as conn:
        last = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(goals.c.id), 0)).where(goals.c.app_id == app.id)
        ).scalar_one()
        goal_id = int(last) + 1
        conn.execute(
            goals.insert().values(
                app_id=app.id, id=goal_id, uuid=goal_uuid, created_at=now, updated_at=now, **values
            )
        )
        record(conn, "goal.added", app.id, {"goal_id": goal_id, "name": name}, actor)
    return Goal(id=goal_id, uuid=goal_uuid, **values)


def list_goals(meta: MetaStore, app_ref: str | int) -> list[Goal]:
    """The goals of an app, by id."""
    settings = effective_settings(meta, get_app(meta, app_ref).id)
    return list(settings.goals) if settings else []


def _find(conn: Connection, app_id: str, goal_uuid: str) -> int:
    found = conn.execute(
        sa.select(goals.c.id).where(goals.c.app_id == app_id, goals.c.uuid == goal_uuid)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"Goal with id: {goal_uuid} does not exist")
    return int(found)


def get_goal(meta: MetaStore, app_ref: str | int, goal_uuid: str) -> Goal:
    """One goal of an app by its UUID; NotFound when the app has no such goal."""
    app = get_app(meta, app_ref)
    with meta.connect() as conn:
        goal_id = _find(conn, app.id, goal_uuid)
    return next(g for g in list_goals(meta, app.id) if g.id == goal_id)


def update_goal(
    meta: MetaStore,
    app_ref: str | int,
    goal_uuid: str,
    values: dict[str, Any],
    actor: Actor | None = None,
) -> Goal:
    """Replace every attribute of a goal (PUT); its integer id and UUID stay."""
    app = get_app(meta, app_ref)
    _validate(values)
    with meta.begin() as conn:
        goal_id = _find(conn, app.id, goal_uuid)
        conn.execute(
            goals.update()
            .where(goals.c.app_id == app.id, goals.c.id == goal_id)
            .values(updated_at=utcnow(), **values)
        )
        record(conn, "goal.changed", app.id, {"goal_id": goal_id, "name": values["name"]}, actor)
    return get_goal(meta, app.id, goal_uuid)


def delete_goal(
    meta: MetaStore, app_ref: str | int, goal_uuid: str, actor: Actor | None = None
) -> None:
    """Forget a goal; conversions already stored keep its integer id."""
    app = get_app(meta, app_ref)
    with meta.begin() as conn:
        goal_id = _find(conn, app.id, goal_uuid)
        conn.execute(goals.delete().where(goals.c.app_id == app.id, goals.c.id == goal_id))
        record(conn, "goal.deleted", app.id, {"goal_id": goal_id}, actor)
