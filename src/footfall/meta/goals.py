"""Goals of an app (api-notes §2 Goal): what the pipeline turns into conversions."""

from __future__ import annotations

import re
import uuid
from typing import Any

import sqlalchemy as sa

from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import ValidationError
from footfall.meta.schema import goals
from footfall.meta.store import MetaStore, utcnow
from footfall.meta.tracker import effective_settings
from footfall.model.settings import Goal

__all__ = ["PATTERN_TYPES", "TRIGGERS", "create_goal", "list_goals"]

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
