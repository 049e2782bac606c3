"""Custom dimensions of an app (api-notes §2, DATA-MODEL §1.6): what `dimensionN` values mean.

A dimension has a `tracking_id` (the N of `dimensionN`, numbered per app across both scopes, never
reused) and a `slot` in its scope (the column `session_custom_dimension_<slot>` or
`event_custom_dimension_<slot>` of the event store). The store has `CUSTOM_SLOTS` columns per
scope, so an app has that many slots per scope. Piwik PRO offers no deletion: a dimension is
switched off with `active: false`, and its slot stays taken.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import custom_dimensions, product_custom_dimensions
from footfall.meta.store import MetaStore, as_utc, utcnow
from footfall.model.columns import CUSTOM_SLOTS

__all__ = [
    "EXTRACTION_TARGETS",
    "PRODUCT_SLOTS",
    "SCOPES",
    "CustomDimension",
    "create_custom_dimension",
    "get_custom_dimension",
    "list_custom_dimensions",
    "slot_number",
    "slot_usage",
    "text_value",
    "update_custom_dimension",
]

SCOPES = ("session", "event")
EXTRACTION_TARGETS = ("page_title_regex", "page_url_regex", "page_query_parameter")
#: product custom dimension slots per app (the seed leaves the number to the organisation)
PRODUCT_SLOTS = 20
MAX_DESCRIPTION = 300


@dataclass(frozen=True, slots=True)
class CustomDimension:
    """One custom dimension as the API shows it."""

    id: str
    website_id: str
    tracking_id: int
    scope: str
    slot: int
    name: str
    description: str = ""
    active: bool = True
    case_sensitive: bool = False
    extractions: tuple[dict[str, str], ...] = field(default=())
    created_at: datetime | None = None
    updated_at: datetime | None = None


# -- validation ------------------------------------------------------------------------------------


def text_value(values: Mapping[str, Any], name: str, limit: int, required: bool = True) -> str:
    """`values[name]` as a string of at most `limit` characters (stripped when required)."""
    value = values.get(name, "" if not required else None)
    if value is None:
        raise ValidationError(name, "This value should not be blank.")
    if not isinstance(value, str):
        raise ValidationError(name, "This value should be of type string.")
    if required and not value.strip():
        raise ValidationError(name, "This value should not be blank.")
    if len(value) > limit:
        raise ValidationError(
            name, f"This value is too long. It should have {limit} characters or less."
        )
    return value.strip() if required else value


def _bool(values: Mapping[str, Any], name: str) -> bool:
    value = values.get(name)
    if not isinstance(value, bool):
        raise ValidationError(name, "This value should be of type bool.")
    return value


def slot_number(value: Any, name: str, limit: int) -> int:
    """A slot number 1..limit."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(name, "This value should be of type int.")
    if not 1 <= value <= limit:
        raise ValidationError(name, f"This value should be between 1 and {limit}.")
    return value


def _extraction(index: int, item: Any) -> dict[str, str]:
    where = f"extractions/{index}"
    if not isinstance(item, dict):
        raise ValidationError(where, "This value should be of type object.")
    target, pattern = item.get("target"), item.get("pattern")
    if target not in EXTRACTION_TARGETS:
        raise ValidationError(where + "/target", "must be one of " + ", ".join(EXTRACTION_TARGETS))
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValidationError(where + "/pattern", "This value should not be blank.")
    if target != "page_query_parameter":
        try:
            groups = re.compile(pattern).groups
        except re.error as e:
            raise ValidationError(where + "/pattern", f"invalid regular expression: {e}") from None
        if groups < 1:
            # why: the value is what the first group captures, as Matomo's extractions do
            raise ValidationError(where + "/pattern", "must contain a group, e.g. (.*)")
    return {"target": target, "pattern": pattern}


def _extractions(values: Mapping[str, Any], scope: str) -> list[dict[str, str]]:
    raw = values.get("extractions")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError("extractions", "This value should be of type array.")
    if raw and scope != "event":
        raise ValidationError("extractions", "only event-scope dimensions have extractions")
    return [_extraction(i, item) for i, item in enumerate(raw)]


def _mutable(values: Mapping[str, Any], scope: str) -> dict[str, Any]:
    """The attributes PUT may change, validated (PUT replaces all of them, as in Piwik PRO)."""
    return {
        "name": text_value(values, "name", 255),
        "description": text_value(values, "description", MAX_DESCRIPTION, required=False),
        "active": _bool(values, "active"),
        "case_sensitive": _bool(values, "case_sensitive"),
        "extractions": _extractions(values, scope),
    }


# -- custom dimensions -----------------------------------------------------------------------------


def _dimension(row: RowMapping) -> CustomDimension:
    return CustomDimension(
        id=row["id"],
        website_id=row["app_id"],
        tracking_id=row["tracking_id"],
        scope=row["scope"],
        slot=row["slot"],
        name=row["name"],
        description=row["description"],
        active=row["active"],
        case_sensitive=row["case_sensitive"],
        extractions=tuple(dict(e) for e in row["extractions"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _used_slots(conn: Connection, app_id: str, scope: str) -> set[int]:
    query = sa.select(custom_dimensions.c.slot).where(
        custom_dimensions.c.app_id == app_id, custom_dimensions.c.scope == scope
    )
    return set(conn.execute(query).scalars())


def _free_slot(conn: Connection, app_id: str, scope: str, wanted: Any) -> int:
    used = _used_slots(conn, app_id, scope)
    if wanted is not None:
        slot = slot_number(wanted, "slot", CUSTOM_SLOTS)
        if slot in used:
            raise ValidationError("slot", f"slot {slot} of scope {scope} is already used")
        return slot
    free = [s for s in range(1, CUSTOM_SLOTS + 1) if s not in used]
    if not free:
        raise ValidationError("scope", f"all {CUSTOM_SLOTS} {scope} slots are used")
    return free[0]


def create_custom_dimension(
    meta: MetaStore, app_ref: str | int, values: Mapping[str, Any], actor: Actor | None = None
) -> CustomDimension:
    """Add a dimension in the lowest free slot of its scope (or the `slot` asked for)."""
    app = get_app(meta, app_ref)
    scope = values.get("scope")
    if scope not in SCOPES:
        raise ValidationError("scope", "must be one of " + ", ".join(SCOPES))
    clean = _mutable(values, scope)
    now = utcnow()
    with meta.begin() as conn:
        slot = _free_slot(conn, app.id, scope, values.get("slot"))
        last = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(custom_dimensions.c.tracking_id), 0)).where(
                custom_dimensions.c.app_id == app.id
            )
        ).scalar_one()
        row = {
            "id": str(uuid.uuid4()),
            "app_id": app.id,
            "tracking_id": int(last) + 1,
            "scope": scope,
            "slot": slot,
            **clean,
            "created_at": now,
            "updated_at": now,
        }
        conn.execute(custom_dimensions.insert().values(**row))
        payload = {"id": row["id"], "name": clean["name"], "scope": scope, "slot": slot}
        record(conn, "custom_dimension.added", app.id, payload, actor)
    return get_custom_dimension(meta, app.id, row["id"])


def _row(conn: Connection, app_id: str, dimension_id: str) -> RowMapping:
    found = (
        conn.execute(
            sa.select(custom_dimensions).where(
                custom_dimensions.c.id == dimension_id, custom_dimensions.c.app_id == app_id
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        raise NotFound(f"Custom dimension with id: {dimension_id} does not exist")
    return found


def get_custom_dimension(meta: MetaStore, app_id: str, dimension_id: str) -> CustomDimension:
    """One dimension of an app; NotFound when it belongs to another app or to none."""
    with meta.connect() as conn:
        return _dimension(_row(conn, app_id, dimension_id))


def update_custom_dimension(
    meta: MetaStore,
    app_id: str,
    dimension_id: str,
    values: Mapping[str, Any],
    actor: Actor | None = None,
) -> CustomDimension:
    """Replace name, description, active, case_sensitive and extractions; scope and slot stay."""
    with meta.begin() as conn:
        current = _row(conn, app_id, dimension_id)
        if values.get("scope", current["scope"]) != current["scope"]:
            raise ValidationError("scope", "cannot be changed")
        if values.get("slot", current["slot"]) != current["slot"]:
            raise ValidationError("slot", "cannot be changed")
        clean = _mutable(values, current["scope"])
        conn.execute(
            custom_dimensions.update()
            .where(custom_dimensions.c.id == dimension_id)
            .values(**clean, updated_at=utcnow())
        )
        changed = sorted(k for k, v in clean.items() if current[k] != v)
        record(
            conn,
            "custom_dimension.changed",
            app_id,
            {"id": dimension_id, "changed": changed},
            actor,
        )
        return _dimension(_row(conn, app_id, dimension_id))


def list_custom_dimensions(
    meta: MetaStore, app_id: str, offset: int = 0, limit: int = 10
) -> tuple[int, list[CustomDimension]]:
    """The total and one page of an app's dimensions, by tracking id."""
    query = sa.select(custom_dimensions).where(custom_dimensions.c.app_id == app_id)
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            query,
            Page(offset, limit),
            sort_columns={},
            tie_breaker=custom_dimensions.c.tracking_id,
        )
    return total, [_dimension(r) for r in rows]


def slot_usage(meta: MetaStore, app_id: str) -> dict[str, dict[str, int]]:
    """available/used/left slots of the session, event and product scopes."""
    with meta.connect() as conn:
        used = {scope: len(_used_slots(conn, app_id, scope)) for scope in SCOPES}
        used["product"] = conn.execute(
            sa.select(sa.func.count())
            .select_from(product_custom_dimensions)
            .where(product_custom_dimensions.c.app_id == app_id)
        ).scalar_one()
    available = {"session": CUSTOM_SLOTS, "event": CUSTOM_SLOTS, "product": PRODUCT_SLOTS}
    return {
        scope: {"available": n, "used": used[scope], "left": n - used[scope]}
        for scope, n in available.items()
    }
