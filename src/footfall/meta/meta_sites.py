"""Meta sites (api-notes §7): named groups of apps reported together, with their own settings."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.meta.apps import App, app_from_row, validate_currency, validate_timezone
from footfall.meta.audit import Actor, record, record_changes
from footfall.meta.errors import Conflict, NotFound, ValidationError
from footfall.meta.links import Link, add_links, remove_links
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import apps, group_permissions, meta_site_apps, meta_sites
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "MetaSite",
    "add_apps",
    "create_meta_site",
    "delete_meta_site",
    "get_meta_site",
    "page_meta_site_apps",
    "page_meta_sites",
    "remove_apps",
    "update_meta_site",
]

_NOT_EXISTS = "meta-site.error.not-exists"


@dataclass(frozen=True, slots=True)
class MetaSite:
    """A meta site: apps reported as one website."""

    id: str
    name: str
    currency: str
    timezone: str
    e_commerce_tracking: bool
    sharepoint_integration: bool
    created_at: datetime
    updated_at: datetime


def _meta_site(row: RowMapping) -> MetaSite:
    return MetaSite(
        id=row["id"],
        name=row["name"],
        currency=row["currency"],
        timezone=row["timezone"],
        e_commerce_tracking=bool(row["e_commerce_tracking"]),
        sharepoint_integration=bool(row["sharepoint_integration"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("name", "must not be blank")
    if len(value.strip()) > 191:
        raise ValidationError("name", "is too long: 191 characters or less")
    return value.strip()


def _timezone(value: Any) -> str:
    """An IANA name, or a fixed offset such as `UTC+1` or `UTC-5:30` (api-notes §7)."""
    if isinstance(value, str) and re.fullmatch(r"UTC[+-](1[0-4]|[0-9])(:[0-5][0-9])?", value):
        return value
    return validate_timezone(value)


def _bool(field: str) -> Any:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(field, "must be a boolean")
        return value

    return check


_CHECKS = {
    "name": _name,
    "currency": validate_currency,
    "timezone": _timezone,
    "e_commerce_tracking": _bool("e_commerce_tracking"),
    "sharepoint_integration": _bool("sharepoint_integration"),
}


def _validated(attributes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if key not in _CHECKS:
            raise ValidationError(key, "unknown or read-only attribute")
        out[key] = _CHECKS[key](value)
    return out


def _unique_name(conn: Connection, name: str, own_id: str | None = None) -> None:
    query = sa.select(meta_sites.c.id).where(meta_sites.c.name == name)
    found = conn.execute(query).scalar_one_or_none()
    if found is not None and found != own_id:
        raise Conflict(f'Meta site with name "{name}" already exists', field="name")


def create_meta_site(
    meta: MetaStore,
    attributes: Mapping[str, Any],
    *,
    meta_site_id: str | None = None,
    actor: Actor | None = None,
) -> MetaSite:
    """Create a meta site (defaults: USD, UTC, no e-commerce, no SharePoint)."""
    if "name" not in attributes:
        raise ValidationError("name", "must not be blank")
    values = {
        "currency": "USD",
        "timezone": "UTC",
        "e_commerce_tracking": False,
        "sharepoint_integration": False,
        **_validated(attributes),
    }
    try:
        new_id = str(uuid.UUID(meta_site_id)) if meta_site_id else str(uuid.uuid4())
    except ValueError:
        raise ValidationError("id", f'"{meta_site_id}" is not valid UUID.') from None
    now = utcnow()
    with meta.begin() as conn:
        _unique_name(conn, values["name"])
        if conn.execute(sa.select(meta_sites.c.id).where(meta_sites.c.id == new_id)).first():
            raise Conflict(f'Meta site with id "{new_id}" already exists', field="id")
        conn.execute(
            meta_sites.insert().values(id=new_id, created_at=now, updated_at=now, **values)
        )
        record(conn, "meta_site.added", new_id, {"name": values["name"]}, actor)
    return get_meta_site(meta, new_id)


def get_meta_site(meta: MetaStore, meta_site_id: str) -> MetaSite:
    """The meta site with this id; NotFound (`meta-site.error.not-exists`) otherwise."""
    with meta.connect() as conn:
        query = sa.select(meta_sites).where(meta_sites.c.id == meta_site_id)
        row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f'Meta site with id "{meta_site_id}" does not exist', _NOT_EXISTS)
    return _meta_site(row)


def update_meta_site(
    meta: MetaStore, meta_site_id: str, attributes: Mapping[str, Any], actor: Actor | None = None
) -> MetaSite:
    """Change some attributes (partial, like PATCH); one audit entry per changed attribute."""
    site = get_meta_site(meta, meta_site_id)
    values = _validated(attributes)
    with meta.begin() as conn:
        if "name" in values:
            _unique_name(conn, values["name"], site.id)
        conn.execute(
            meta_sites.update()
            .where(meta_sites.c.id == site.id)
            .values(**values, updated_at=utcnow())
        )
        record_changes(conn, "meta_site", site, values, actor)
    return get_meta_site(meta, site.id)


def delete_meta_site(meta: MetaStore, meta_site_id: str, actor: Actor | None = None) -> None:
    """Delete a meta site (its apps stay) with every permission on it."""
    site = get_meta_site(meta, meta_site_id)
    with meta.begin() as conn:
        conn.execute(group_permissions.delete().where(group_permissions.c.entity_id == site.id))
        conn.execute(meta_sites.delete().where(meta_sites.c.id == site.id))
        record(conn, "meta_site.deleted", site.id, {"name": site.name}, actor)


_APPS = Link(
    owner=meta_site_apps.c.meta_site_id,
    member=meta_site_apps.c.app_id,
    member_ids=apps.c.id,
    missing=lambda app_id: NotFound(f"App with id: {app_id} does not exist"),
    audit_type="meta_site.changed.apps",
)


def add_apps(
    meta: MetaStore, meta_site_id: str, app_ids: Sequence[str], actor: Actor | None = None
) -> None:
    """Put apps into a meta site (already there: no change)."""
    site = get_meta_site(meta, meta_site_id)
    with meta.begin() as conn:
        add_links(conn, _APPS, site.id, app_ids, actor)


def remove_apps(
    meta: MetaStore, meta_site_id: str, app_ids: Sequence[str], actor: Actor | None = None
) -> None:
    """Take apps out of a meta site."""
    site = get_meta_site(meta, meta_site_id)
    with meta.begin() as conn:
        remove_links(conn, _APPS, site.id, app_ids, actor)


def page_meta_sites(
    meta: MetaStore, page: Page, only: Sequence[str] | None = None
) -> tuple[int, list[MetaSite]]:
    """A page of meta sites (optionally only those ids): sort by name, created_at, updated_at."""
    query = sa.select(meta_sites)
    if only is not None:
        query = query.where(meta_sites.c.id.in_(list(only)))
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            query,
            page,
            sort_columns={
                "name": meta_sites.c.name,
                "created_at": meta_sites.c.created_at,
                "updated_at": meta_sites.c.updated_at,
            },
            search_columns=[meta_sites.c.name],
            tie_breaker=meta_sites.c.id,
        )
    return total, [_meta_site(r) for r in rows]


def page_meta_site_apps(
    meta: MetaStore,
    meta_site_id: str,
    page: Page,
    *,
    excluded: bool = False,
    only: Sequence[str] | None = None,
) -> tuple[int, list[App]]:
    """A page of the apps in (or, with `excluded`, not in) a meta site, optionally only those ids."""
    site = get_meta_site(meta, meta_site_id)
    members = sa.select(meta_site_apps.c.app_id).where(meta_site_apps.c.meta_site_id == site.id)
    inside: sa.ColumnElement[bool] = (
        apps.c.id.not_in(members) if excluded else apps.c.id.in_(members)
    )
    if only is not None:
        inside = sa.and_(inside, apps.c.id.in_(list(only)))
    cnil = apps.c.attributes["cnil"].as_boolean()
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            sa.select(apps).where(inside),
            page,
            sort_columns={
                "name": apps.c.name,
                "timezone": apps.c.timezone,
                "currency": apps.c.currency,
                "cnil": cnil,
            },
            search_columns=[apps.c.name],
            tie_breaker=apps.c.alias,
        )
    return total, [app_from_row(r) for r in rows]


def meta_site_app_ids(meta: MetaStore, meta_site_id: str) -> list[str]:
    """The ids of the apps a meta site rolls up (NotFound when there is no such meta site)."""
    site = get_meta_site(meta, meta_site_id)
    with meta.connect() as conn:
        query = sa.select(meta_site_apps.c.app_id).where(meta_site_apps.c.meta_site_id == site.id)
        return sorted(conn.execute(query).scalars())
