"""Apps: create, read and update the websites and mobile apps that send data (api-notes §3)."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.meta import tracker
from footfall.meta.attributes import APP_TO_TRACKER, validate_app_attributes
from footfall.meta.audit import Actor, record
from footfall.meta.directory import host_of
from footfall.meta.errors import Conflict, NotFound, ValidationError
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import apps, counters, group_permissions
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "App",
    "app_from_row",
    "create_app",
    "delete_app",
    "find_app",
    "find_app_by_url",
    "get_app",
    "list_apps",
    "page_apps",
    "update_app",
]

APP_TYPES = ("web", "sharepoint")


@dataclass(frozen=True, slots=True)
class App:
    """An app (website or mobile app): its UUID `id` and its Matomo-style integer `alias`."""

    id: str
    alias: int
    name: str
    urls: tuple[str, ...]
    timezone: str
    currency: str
    app_type: str
    attributes: dict[str, Any] = field(default_factory=dict)  # overrides of §3 app attributes
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (times as ISO-8601 with offset)."""
        return {
            "id": self.id,
            "alias": self.alias,
            "name": self.name,
            "urls": list(self.urls),
            "timezone": self.timezone,
            "currency": self.currency,
            "app_type": self.app_type,
            "attributes": dict(self.attributes),
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def app_from_row(row: RowMapping) -> App:
    """An App from a row of the `apps` table."""
    return App(
        id=row["id"],
        alias=row["alias"],
        name=row["name"],
        urls=tuple(row["urls"]),
        timezone=row["timezone"],
        currency=row["currency"],
        app_type=row["app_type"],
        attributes=dict(row["attributes"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def validate_name(name: Any) -> str:
    """An app name: 1 to 90 characters."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name", "must not be blank")
    if len(name.strip()) > 90:
        raise ValidationError("name", "is too long: 90 characters or less")
    return name.strip()


def validate_urls(urls: Any) -> list[str]:
    """At least one URL (`https://example.com`) or bare host (`example.com`)."""
    if not isinstance(urls, list | tuple) or not urls:
        raise ValidationError("urls", "at least one URL is required")
    out: list[str] = []
    for url in urls:
        if not isinstance(url, str) or not url.strip() or re.search(r"\s", url.strip()):
            raise ValidationError("urls", f"invalid URL {url!r}")
        url = url.strip()
        try:
            parts = urlsplit(url if "//" in url else "//" + url)
            host = parts.hostname
            _ = parts.port
        except ValueError:
            host = None
        if not host or ("//" in url and parts.scheme not in ("http", "https", "")):
            raise ValidationError("urls", f"invalid URL {url!r}")
        out.append(url)
    return out


def validate_timezone(timezone: Any) -> str:
    """An IANA time zone name known to zoneinfo, such as `Europe/Warsaw` or `UTC`."""
    if not isinstance(timezone, str) or not timezone or timezone.startswith(("/", ".")):
        raise ValidationError("timezone", f"unknown time zone {timezone!r}")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("timezone", f"unknown time zone {timezone!r}") from None
    return timezone


def validate_currency(currency: Any) -> str:
    """An ISO-4217 code of three letters (stored upper-case)."""
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise ValidationError("currency", f"must be an ISO-4217 code such as USD, got {currency!r}")
    return currency.upper()


def _split_attributes(attributes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """App-only attributes, and those the apps API shares with tracker settings (by tracker name)."""
    own = {k: v for k, v in attributes.items() if k not in APP_TO_TRACKER}
    shared = {APP_TO_TRACKER[k]: v for k, v in attributes.items() if k in APP_TO_TRACKER}
    return validate_app_attributes(own), shared


def _next_alias(conn: Connection) -> int:
    """The next alias; a counter that only grows, so a deleted app's alias is never reused."""
    bumped = conn.execute(
        sa.update(counters).where(counters.c.name == "app_alias").values(value=counters.c.value + 1)
    )
    if bumped.rowcount == 0:
        start = conn.execute(sa.select(sa.func.coalesce(sa.func.max(apps.c.alias), 0))).scalar_one()
        conn.execute(counters.insert().values(name="app_alias", value=int(start) + 1))
    value = conn.execute(sa.select(counters.c.value).where(counters.c.name == "app_alias"))
    return int(value.scalar_one())


def create_app(
    meta: MetaStore,
    *,
    name: str,
    urls: Sequence[str],
    timezone: str = "UTC",
    currency: str = "USD",
    app_type: str = "web",
    attributes: Mapping[str, Any] | None = None,
    app_id: str | None = None,
    actor: Actor | None = None,
) -> App:
    """Create an app (defaults: UTC, USD, web); ValidationError or Conflict on bad input."""
    if app_type not in APP_TYPES:
        raise ValidationError("appType", "must be one of " + ", ".join(APP_TYPES))
    own, shared = _split_attributes(attributes or {})
    values: dict[str, Any] = {
        "id": _validate_id(app_id) if app_id else str(uuid.uuid4()),
        "name": validate_name(name),
        "urls": validate_urls(list(urls)),
        "timezone": validate_timezone(timezone),
        "currency": validate_currency(currency),
        "app_type": app_type,
        "attributes": own,
    }
    now = utcnow()
    with meta.begin() as conn:
        if conn.execute(sa.select(apps.c.id).where(apps.c.id == values["id"])).first():
            raise Conflict(f'App with id: "{values["id"]}" already exists', field="id")
        alias = _next_alias(conn)
        conn.execute(apps.insert().values(**values, alias=alias, created_at=now, updated_at=now))
        if shared:
            tracker.write_overrides(conn, values["id"], shared)
        payload = {"name": values["name"], "urls": values["urls"]}
        record(conn, "app.added", values["id"], payload, actor)
    return get_app(meta, values["id"])


def _validate_id(app_id: str) -> str:
    try:
        return str(uuid.UUID(app_id))
    except ValueError:
        raise ValidationError("id", f'"{app_id}" is not valid UUID.') from None


def list_apps(meta: MetaStore) -> list[App]:
    """Every app, by alias."""
    with meta.connect() as conn:
        rows = conn.execute(sa.select(apps).order_by(apps.c.alias)).mappings().all()
    return [app_from_row(r) for r in rows]


def find_app(meta: MetaStore, ref: str | int) -> App | None:
    """The app whose UUID or integer alias is `ref`; None when there is none."""
    text = str(ref).strip().lower()
    if text.isdigit():
        condition = apps.c.alias == int(text)
    else:
        try:
            condition = apps.c.id == str(uuid.UUID(text))
        except ValueError:
            return None
    with meta.connect() as conn:
        row = conn.execute(sa.select(apps).where(condition)).mappings().first()
    return app_from_row(row) if row else None


def get_app(meta: MetaStore, ref: str | int) -> App:
    """The app whose UUID or alias is `ref`; NotFound otherwise."""
    app = find_app(meta, ref)
    if app is None:
        raise NotFound(f"App with id: {ref} does not exist")
    return app


def update_app(
    meta: MetaStore, ref: str | int, changes: Mapping[str, Any], actor: Actor | None = None
) -> App:
    """Change name, urls, timezone, currency and/or §3 attributes (partial, like PATCH)."""
    app = get_app(meta, ref)
    checks = {
        "name": validate_name,
        "urls": validate_urls,
        "timezone": validate_timezone,
        "currency": validate_currency,
    }
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key in checks:
            values[key] = checks[key](value)
        elif key != "attributes":
            raise ValidationError(key, "unknown or read-only attribute")
    own, shared = _split_attributes(changes.get("attributes") or {})
    if own:
        values["attributes"] = {**app.attributes, **own}
    with meta.begin() as conn:
        before = tracker.stored_overrides(conn, app.id)
        conn.execute(apps.update().where(apps.c.id == app.id).values(**values, updated_at=utcnow()))
        if shared:
            tracker.write_overrides(conn, app.id, shared)
        changes_made = {k: (getattr(app, k), v) for k, v in values.items() if k != "attributes"}
        changes_made.update({k: (app.attributes.get(k), v) for k, v in own.items()})
        changes_made.update({k: (before.get(k), v) for k, v in shared.items()})
        for name, (old, new) in sorted(changes_made.items()):
            if old != new and not (isinstance(old, tuple) and list(old) == new):
                payload = {"old": list(old) if isinstance(old, tuple) else old, "new": new}
                record(conn, f"app.changed.{_API_NAMES.get(name, name)}", app.id, payload, actor)
    return get_app(meta, app.id)


# Tracker setting names as the apps API spells them, for audit entry types (`app.changed.excludedIps`).
_API_NAMES = {tracker_name: app_name for app_name, tracker_name in APP_TO_TRACKER.items()}


def delete_app(meta: MetaStore, ref: str | int, actor: Actor | None = None) -> None:
    """Delete an app with its settings, goals and every permission on it (its alias is not reused)."""
    app = get_app(meta, ref)
    with meta.begin() as conn:
        conn.execute(group_permissions.delete().where(group_permissions.c.entity_id == app.id))
        tracker.drop_overrides(conn, app.id)
        conn.execute(apps.delete().where(apps.c.id == app.id))
        record(conn, "app.deleted", app.id, {"name": app.name}, actor)


def page_apps(
    meta: MetaStore, page: Page, only: Sequence[str] | None = None
) -> tuple[int, list[App]]:
    """A page of apps (optionally only those ids): sort by name, addedAt, updatedAt; search in
    the name and the id."""
    query = sa.select(apps)
    if only is not None:
        query = query.where(apps.c.id.in_(list(only)))
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            query,
            page,
            sort_columns={
                "name": apps.c.name,
                "addedAt": apps.c.created_at,
                "updatedAt": apps.c.updated_at,
            },
            search_columns=[apps.c.name, apps.c.id],
            tie_breaker=apps.c.alias,
        )
    return total, [app_from_row(r) for r in rows]


def find_app_by_url(meta: MetaStore, url: str) -> App | None:
    """The first app (by alias) with a URL on the host of `url` (bare host or URL; `www.` and the
    port ignored), as log importers resolve a log line's host (api-notes §4, §12.2)."""
    wanted = host_of(url)
    if not wanted:
        return None
    with meta.connect() as conn:
        rows = conn.execute(sa.select(apps).order_by(apps.c.alias)).mappings().all()
    for row in rows:
        if any(host_of(u) == wanted for u in row["urls"]):
            return app_from_row(row)
    return None
