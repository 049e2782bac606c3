"""Product custom dimensions of an app (api-notes §2): named per-item slots of ecommerce items."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.custom_dimensions import PRODUCT_SLOTS, slot_number, text_value
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import product_custom_dimensions
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "ProductCustomDimension",
    "create_product_custom_dimension",
    "get_product_custom_dimension",
    "list_product_custom_dimensions",
    "update_product_custom_dimension",
]


@dataclass(frozen=True, slots=True)
class ProductCustomDimension:
    """One product custom dimension (a per-item value of ecommerce items)."""

    id: str
    website_id: str
    slot: int
    name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


def _checked(values: Mapping[str, Any]) -> tuple[str, int]:
    name = text_value(values, "name", 255)
    if values.get("slot") is None:
        raise ValidationError("slot", "This value should not be blank.")
    return name, slot_number(values["slot"], "slot", PRODUCT_SLOTS)


def _product(row: RowMapping) -> ProductCustomDimension:
    return ProductCustomDimension(
        id=row["id"],
        website_id=row["app_id"],
        slot=row["slot"],
        name=row["name"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _product_row(conn: Connection, app_id: str, dimension_id: str) -> RowMapping:
    found = (
        conn.execute(
            sa.select(product_custom_dimensions).where(
                product_custom_dimensions.c.id == dimension_id,
                product_custom_dimensions.c.app_id == app_id,
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        raise NotFound(f"Product custom dimension with id: {dimension_id} does not exist")
    return found


def _product_slot_free(conn: Connection, app_id: str, slot: int, other_than: str = "") -> None:
    taken = conn.execute(
        sa.select(product_custom_dimensions.c.id).where(
            product_custom_dimensions.c.app_id == app_id,
            product_custom_dimensions.c.slot == slot,
            product_custom_dimensions.c.id != other_than,
        )
    ).first()
    if taken is not None:
        raise ValidationError("slot", f"slot {slot} is already used")


def create_product_custom_dimension(
    meta: MetaStore, app_ref: str | int, values: Mapping[str, Any], actor: Actor | None = None
) -> ProductCustomDimension:
    """Add a product custom dimension in the slot asked for (required, 1..PRODUCT_SLOTS)."""
    app = get_app(meta, app_ref)
    name, slot = _checked(values)
    now = utcnow()
    new_id = str(uuid.uuid4())
    with meta.begin() as conn:
        _product_slot_free(conn, app.id, slot)
        conn.execute(
            product_custom_dimensions.insert().values(
                id=new_id, app_id=app.id, slot=slot, name=name, created_at=now, updated_at=now
            )
        )
        payload = {"id": new_id, "name": name, "slot": slot}
        record(conn, "product_custom_dimension.added", app.id, payload, actor)
        return _product(_product_row(conn, app.id, new_id))


def get_product_custom_dimension(
    meta: MetaStore, app_id: str, dimension_id: str
) -> ProductCustomDimension:
    """One product custom dimension of an app."""
    with meta.connect() as conn:
        return _product(_product_row(conn, app_id, dimension_id))


def update_product_custom_dimension(
    meta: MetaStore,
    app_id: str,
    dimension_id: str,
    values: Mapping[str, Any],
    actor: Actor | None = None,
) -> ProductCustomDimension:
    """Replace the name and the slot (the new slot must be free)."""
    name, slot = _checked(values)
    with meta.begin() as conn:
        _product_row(conn, app_id, dimension_id)
        _product_slot_free(conn, app_id, slot, other_than=dimension_id)
        conn.execute(
            product_custom_dimensions.update()
            .where(product_custom_dimensions.c.id == dimension_id)
            .values(name=name, slot=slot, updated_at=utcnow())
        )
        payload = {"id": dimension_id, "name": name, "slot": slot}
        record(conn, "product_custom_dimension.changed", app_id, payload, actor)
        return _product(_product_row(conn, app_id, dimension_id))


def list_product_custom_dimensions(
    meta: MetaStore, app_id: str, offset: int = 0, limit: int = 10
) -> tuple[int, list[ProductCustomDimension]]:
    """The total and one page of an app's product custom dimensions, by slot."""
    query = sa.select(product_custom_dimensions).where(product_custom_dimensions.c.app_id == app_id)
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            query,
            Page(offset, limit),
            sort_columns={},
            tie_breaker=product_custom_dimensions.c.slot,
        )
    return total, [_product(r) for r in rows]
