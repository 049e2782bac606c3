"""Tracker settings (api-notes §4): stored overrides per scope, resolved app → global → default."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.attributes import (
    APP_ATTRIBUTES,
    TRACKER_ATTRIBUTES,
    tracker_defaults,
    validate_tracker_attributes,
)
from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.schema import apps, custom_dimensions, goals, tracker_settings
from footfall.meta.store import MetaStore, as_utc, utcnow
from footfall.model.settings import AppSettings, Extraction, Goal

__all__ = [
    "GLOBAL",
    "effective_settings",
    "get_tracker_settings",
    "reset_tracker_setting",
    "set_tracker_settings",
    "settings_updated_at",
    "tracker_overrides",
    "write_overrides",
]

GLOBAL = "global"


def stored_overrides(conn: Connection, scope: str) -> dict[str, Any]:
    """The values stored for `scope` (no fallbacks)."""
    return _overrides(conn, scope)


def drop_overrides(conn: Connection, scope: str) -> None:
    """Forget every value stored for `scope` (the app is being deleted)."""
    conn.execute(tracker_settings.delete().where(tracker_settings.c.scope == scope))


def _overrides(conn: Connection, scope: str) -> dict[str, Any]:
    query = sa.select(tracker_settings.c.attributes).where(tracker_settings.c.scope == scope)
    stored = conn.execute(query).scalar_one_or_none()
    return dict(stored) if stored else {}


def _check_scope(conn: Connection, scope: str) -> str:
    if scope == GLOBAL:
        return scope
    try:
        scope = str(uuid.UUID(scope))
    except ValueError:
        raise ValidationError("id", f'"{scope}" is not valid UUID.') from None
    if conn.execute(sa.select(apps.c.id).where(apps.c.id == scope)).first() is None:
        raise NotFound(f"App with id: {scope} does not exist")
    return scope


def write_overrides(conn: Connection, scope: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate `values` and merge them into the stored overrides of `scope`; returns the merge."""
    clean = validate_tracker_attributes(values)
    merged = {**_overrides(conn, scope), **clean}
    now = utcnow()
    updated = conn.execute(
        tracker_settings.update()
        .where(tracker_settings.c.scope == scope)
        .values(attributes=merged, updated_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(
            tracker_settings.insert().values(scope=scope, attributes=merged, updated_at=now)
        )
    return merged


def _resolved(conn: Connection, scope: str) -> dict[str, Any]:
    values = tracker_defaults()
    values.update(_overrides(conn, GLOBAL))
    if scope != GLOBAL:
        values.update(_overrides(conn, scope))
    return values


def get_tracker_settings(meta: MetaStore, scope: str = GLOBAL) -> dict[str, Any]:
    """Every tracker setting of `scope` ("global" or an app id), with fallbacks applied."""
    with meta.connect() as conn:
        return _resolved(conn, _check_scope(conn, scope))


def tracker_overrides(meta: MetaStore, scope: str) -> frozenset[str]:
    """The names of the settings `scope` stores itself (the others fall back)."""
    with meta.connect() as conn:
        return frozenset(_overrides(conn, scope))


def settings_updated_at(meta: MetaStore, scope: str = GLOBAL) -> datetime | None:
    """When the stored values of `scope` last changed (None: never set)."""
    with meta.connect() as conn:
        query = sa.select(tracker_settings.c.updated_at).where(tracker_settings.c.scope == scope)
        found = conn.execute(query).scalar_one_or_none()
    return as_utc(found) if found is not None else None


def set_tracker_settings(
    meta: MetaStore, scope: str, values: Mapping[str, Any], actor: Actor | None = None
) -> dict[str, Any]:
    """Store overrides for `scope` (partial, like PATCH); returns the resolved settings."""
    with meta.begin() as conn:
        scope = _check_scope(conn, scope)
        write_overrides(conn, scope, values)
        kind = "tracker.settings.global.changed" if scope == GLOBAL else "tracker.settings.changed"
        record(conn, kind, None if scope == GLOBAL else scope, {"changed": sorted(values)}, actor)
        return _resolved(conn, scope)


def reset_tracker_setting(
    meta: MetaStore, scope: str, name: str, actor: Actor | None = None
) -> dict[str, Any]:
    """Drop the override of one setting so it falls back (app → global, global → default)."""
    if name not in TRACKER_ATTRIBUTES:
        raise ValidationError(name, "unknown attribute")
    with meta.begin() as conn:
        scope = _check_scope(conn, scope)
        stored = _overrides(conn, scope)
        if stored.pop(name, None) is not None:
            conn.execute(
                tracker_settings.update()
                .where(tracker_settings.c.scope == scope)
                .values(attributes=stored, updated_at=utcnow())
            )
            record(conn, "tracker.settings.reset", scope, {"setting": name}, actor)
        return _resolved(conn, scope)


def _goals(conn: Connection, app_id: str) -> tuple[Goal, ...]:
    rows = conn.execute(
        sa.select(goals).where(goals.c.app_id == app_id).order_by(goals.c.id)
    ).mappings()
    return tuple(
        Goal(
            id=r["id"],
            name=r["name"],
            trigger=r["trigger"],
            pattern_type=r["pattern_type"],
            pattern=r["pattern"],
            case_sensitive=r["case_sensitive"],
            allow_multiple=r["allow_multiple"],
            revenue=r["revenue"],
            uuid=r["uuid"],
            description=r["description"],
        )
        for r in rows
    )


def _custom_dimensions(
    conn: Connection, app_id: str
) -> tuple[dict[int, tuple[str, int]], tuple[Extraction, ...]]:
    """Tracking id → (scope, slot) and the extraction rules of the app's active custom
    dimensions (an inactive dimension stores nothing; api-notes §2)."""
    rows = conn.execute(
        sa.select(custom_dimensions)
        .where(custom_dimensions.c.app_id == app_id, custom_dimensions.c.active.is_(True))
        .order_by(custom_dimensions.c.tracking_id)
    ).mappings()
    mapping: dict[int, tuple[str, int]] = {}
    rules: list[Extraction] = []
    for r in rows:
        mapping[r["tracking_id"]] = (r["scope"], r["slot"])
        if r["scope"] == "event":
            rules += [
                Extraction(
                    r["tracking_id"], r["slot"], e["target"], e["pattern"], r["case_sensitive"]
                )
                for e in r["extractions"]
            ]
    return mapping, tuple(rules)


def effective_settings(meta: MetaStore, app_id: str) -> AppSettings | None:
    """The AppSettings the pipeline reads for an app (by UUID); None when the app is unknown."""
    with meta.connect() as conn:
        row = conn.execute(sa.select(apps).where(apps.c.id == app_id)).mappings().first()
        if row is None:
            return None
        values = _resolved(conn, row["id"])
        app_goals = _goals(conn, row["id"])
        dimensions, extractions = _custom_dimensions(conn, row["id"])
    fields: dict[str, Any] = {}
    for name, attribute in TRACKER_ATTRIBUTES.items():
        if attribute.field:
            value = values[name]
            fields[attribute.field] = tuple(value) if attribute.kind == "list" else value
    fields["keep_bots"] = not values["exclude_crawlers"]
    own = dict(row["attributes"])
    for name, attribute in APP_ATTRIBUTES.items():
        if attribute.field:
            fields[attribute.field] = own.get(name, attribute.default)
    return AppSettings(
        website_id=row["id"],
        alias=row["alias"],
        name=row["name"],
        urls=tuple(row["urls"]),
        timezone=row["timezone"],
        currency=row["currency"],
        goals=app_goals,
        custom_dimensions=dimensions,
        custom_dimension_extractions=extractions,
        **fields,
    )
