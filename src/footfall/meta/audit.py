"""The audit log: who changed what (api-notes §8.3), written in the same transaction as the change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.schema import audit_log
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = ["Actor", "AuditEntry", "list_entries", "record"]


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


def list_entries(
    meta: MetaStore, *, type_: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The newest entries first, optionally of one type."""
    query = sa.select(audit_log).order_by(audit_log.c.created_at.desc()).limit(limit)
    if type_ is not None:
        query = query.where(audit_log.c.type == type_)
    with meta.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        AuditEntry(
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
        for r in rows
    ]
