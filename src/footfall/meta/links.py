"""Link tables between two objects (group → users, meta site → apps): checked, idempotent adds and
removals, each with one audit entry in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound

__all__ = ["Link", "add_links", "remove_links"]


@dataclass(frozen=True, slots=True)
class Link:
    """One link table: its owner and member columns, where members must exist, and the audit type."""

    owner: sa.Column[Any]
    member: sa.Column[Any]
    member_ids: sa.Column[Any]
    missing: Callable[[str], NotFound]
    audit_type: str


def _existing(conn: Connection, link: Link, ids: Sequence[str]) -> list[str]:
    """`ids` without repeats, in order; NotFound for the first that does not exist."""
    found = set(
        conn.execute(sa.select(link.member_ids).where(link.member_ids.in_(list(ids)))).scalars()
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise link.missing(missing[0])
    return list(dict.fromkeys(ids))


def add_links(
    conn: Connection, link: Link, owner_id: str, ids: Sequence[str], actor: Actor | None
) -> None:
    """Link members to the owner (already linked: no change, no audit entry)."""
    wanted = _existing(conn, link, ids)
    present = set(conn.execute(sa.select(link.member).where(link.owner == owner_id)).scalars())
    added = [i for i in wanted if i not in present]
    if added:
        table = link.owner.table
        conn.execute(
            sa.insert(table), [{link.owner.name: owner_id, link.member.name: i} for i in added]
        )
        record(conn, link.audit_type, owner_id, {"added": added}, actor)


def remove_links(
    conn: Connection, link: Link, owner_id: str, ids: Sequence[str], actor: Actor | None
) -> None:
    """Unlink members from the owner."""
    wanted = _existing(conn, link, ids)
    table = link.owner.table
    conn.execute(sa.delete(table).where(link.owner == owner_id, link.member.in_(wanted)))
    record(conn, link.audit_type, owner_id, {"removed": wanted}, actor)
