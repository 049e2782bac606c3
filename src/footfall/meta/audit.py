"""The audit log: who changed what (api-notes §8.3), written in the same transaction as the change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import audit_log
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "Actor",
    "AuditEntry",
    "AuditFilter",
    "list_entries",
    "page_entries",
    "record",
    "record_changes",
]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: a user (API, dashboard) or None fields for the CLI and the system."""

    user_id: str | None = None
    email: str | None = None
    ip: str | None = None


CLI = Actor(email="cli")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit log row."""

    id: str
    type: str
    author_id: str | None
    author_email: str | None
    subject_id: str | None
    ip: str | None
    payload: dict[str, Any]
    version: int
    created_at: datetime


def record(
    conn: Connection,
    type_: str,
    subject_id: str | None,
    payload: dict[str, Any],
    actor: Actor | None,
) -> None:
    """Append an entry such as `app.added` inside the caller's transaction."""
    who = actor or CLI
    conn.execute(
        audit_log.insert().values(
            id=str(uuid.uuid4()),
            type=type_,
            author_id=who.user_id,
            author_email=who.email,
            subject_id=subject_id,
            ip=who.ip,
            payload=payload,
            version=1,
            created_at=utcnow(),
        )
    )


def record_changes(
    conn: Connection,
    type_prefix: str,
    before: Any,
    values: Mapping[str, Any],
    actor: Actor | None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """One `<prefix>.changed.<attribute>` entry per attribute of `values` that differs on `before`."""
    for key, value in values.items():
        old = getattr(before, key)
        if old != value:
            payload = {**(extra or {}), "old": old, "new": value}
            record(conn, f"{type_prefix}.changed.{key}", before.id, payload, actor)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Filters of the audit log API (api-notes §8.3); each list matches any of its values."""

    types: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    author_ids: tuple[str, ...] = ()
    subject_ids: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    visible_subjects: frozenset[str] | None = None  # None: every entry (an owner asks)


_SORTS = {
    "type": audit_log.c.type,
    "email": audit_log.c.author_email,
    "created_at": audit_log.c.created_at,
    "ip": audit_log.c.ip,
    "subject_id": audit_log.c.subject_id,
}


def _where(query: sa.Select[Any], flt: AuditFilter) -> sa.Select[Any]:
    for column, values in (
        (audit_log.c.type, flt.types),
        (audit_log.c.author_email, flt.emails),
        (audit_log.c.author_id, flt.author_ids),
        (audit_log.c.subject_id, flt.subject_ids),
        (audit_log.c.ip, flt.ips),
    ):
        if values:
            query = query.where(column.in_(list(values)))
    if flt.date_from is not None:
        query = query.where(audit_log.c.created_at >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(audit_log.c.created_at <= flt.date_to)
    if flt.visible_subjects is not None:
        query = query.where(audit_log.c.subject_id.in_(sorted(flt.visible_subjects)))
    return query


def _entry(r: Any) -> AuditEntry:
    return AuditEntry(
        id=r["id"],
        type=r["type"],
        author_id=r["author_id"],
        author_email=r["author_email"],
        subject_id=r["subject_id"],
        ip=r["ip"],
        payload=dict(r["payload"]),
        version=r["version"],
        created_at=as_utc(r["created_at"]),
    )


def page_entries(
    meta: MetaStore,
    flt: AuditFilter,
    *,
    offset: int = 0,
    limit: int = 10,
    sort: str = "-created_at",
) -> tuple[int, list[AuditEntry]]:
    """The total and one page of entries matching `flt`; `sort` is a key of the API, `-` first
    for descending."""
    query = _where(sa.select(audit_log), flt)
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            query,
            Page(offset, limit, sort),
            sort_columns=_SORTS,
            tie_breaker=audit_log.c.id,
        )
    return total, [_entry(r) for r in rows]


def list_entries(
    meta: MetaStore, *, type_: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The newest entries first, optionally of one type."""
    flt = AuditFilter(types=(type_,) if type_ else ())
    return page_entries(meta, flt, limit=limit)[1]
