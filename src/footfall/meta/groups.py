"""User groups (api-notes §6): named sets of users that receive permissions together."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from footfall.meta.accounts import User, user_from_row
from footfall.meta.audit import Actor, record, record_changes
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.links import Link, add_links, remove_links
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import user_group_members, user_groups, users
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "UserGroup",
    "add_members",
    "create_group",
    "delete_group",
    "get_group",
    "groups_of_user",
    "page_group_users",
    "page_groups",
    "remove_members",
    "update_group",
]


@dataclass(frozen=True, slots=True)
class UserGroup:
    """A user group; `external_id` links it to a directory (SSO) group."""

    id: str
    name: str
    external_id: str | None
    created_at: datetime
    updated_at: datetime


def _group(row: RowMapping) -> UserGroup:
    return UserGroup(
        id=row["id"],
        name=row["name"],
        external_id=row["external_id"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("name", "must not be blank")
    if len(value.strip()) > 191:
        raise ValidationError("name", "is too long: 191 characters or less")
    return value.strip()


def _external_id(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > 191):
        raise ValidationError("external_id", "must be a string of 191 characters or less, or null")
    return value


def _validated(attributes: Mapping[str, Any]) -> dict[str, Any]:
    checks = {"name": _name, "external_id": _external_id}
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if key not in checks:
            raise ValidationError(key, "unknown or read-only attribute")
        out[key] = checks[key](value)
    return out


def create_group(
    meta: MetaStore, attributes: Mapping[str, Any], actor: Actor | None = None
) -> UserGroup:
    """Create a group; `name` is required."""
    values = _validated(attributes)
    if "name" not in values:
        raise ValidationError("name", "must not be blank")
    group_id, now = str(uuid.uuid4()), utcnow()
    with meta.begin() as conn:
        conn.execute(
            user_groups.insert().values(id=group_id, created_at=now, updated_at=now, **values)
        )
        record(conn, "user_group.added", group_id, {"name": values["name"]}, actor)
    return get_group(meta, group_id)


def get_group(meta: MetaStore, group_id: str) -> UserGroup:
    """The group with this id; NotFound otherwise."""
    with meta.connect() as conn:
        row = (
            conn.execute(sa.select(user_groups).where(user_groups.c.id == group_id))
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(f"User group with id: {group_id} does not exist")
    return _group(row)


def update_group(
    meta: MetaStore, group_id: str, attributes: Mapping[str, Any], actor: Actor | None = None
) -> UserGroup:
    """Rename a group or change its external id."""
    group = get_group(meta, group_id)
    values = _validated(attributes)
    with meta.begin() as conn:
        conn.execute(
            user_groups.update()
            .where(user_groups.c.id == group.id)
            .values(**values, updated_at=utcnow())
        )
        record_changes(conn, "user_group", group, values, actor)
    return get_group(meta, group.id)


def delete_group(meta: MetaStore, group_id: str, actor: Actor | None = None) -> None:
    """Delete a group; its members lose what it granted them."""
    group = get_group(meta, group_id)
    with meta.begin() as conn:
        conn.execute(user_groups.delete().where(user_groups.c.id == group.id))
        record(conn, "user_group.deleted", group.id, {"name": group.name}, actor)


_MEMBERS = Link(
    owner=user_group_members.c.group_id,
    member=user_group_members.c.user_id,
    member_ids=users.c.id,
    missing=lambda uid: NotFound(
        f"User with id: {uid} does not exist", "users.error.user-does-not-exist"
    ),
    audit_type="user_group.changed.users",
)


def add_members(
    meta: MetaStore, group_id: str, user_ids: Sequence[str], actor: Actor | None = None
) -> None:
    """Add users to a group (members already in it stay once)."""
    group = get_group(meta, group_id)
    with meta.begin() as conn:
        add_links(conn, _MEMBERS, group.id, user_ids, actor)


def remove_members(
    meta: MetaStore, group_id: str, user_ids: Sequence[str], actor: Actor | None = None
) -> None:
    """Remove users from a group."""
    group = get_group(meta, group_id)
    with meta.begin() as conn:
        remove_links(conn, _MEMBERS, group.id, user_ids, actor)


def page_groups(meta: MetaStore, page: Page) -> tuple[int, list[UserGroup]]:
    """A page of groups: search in name, id and external id; sort by name, created_at, updated_at."""
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            sa.select(user_groups),
            page,
            sort_columns={
                "name": user_groups.c.name,
                "created_at": user_groups.c.created_at,
                "updated_at": user_groups.c.updated_at,
            },
            search_columns=[user_groups.c.name, user_groups.c.id, user_groups.c.external_id],
            tie_breaker=user_groups.c.id,
        )
    return total, [_group(r) for r in rows]


def page_group_users(
    meta: MetaStore, group_id: str, page: Page, *, excluded: bool = False
) -> tuple[int, list[User]]:
    """A page of the group's members (or, with `excluded`, of the users outside it)."""
    group = get_group(meta, group_id)
    members = sa.select(user_group_members.c.user_id).where(
        user_group_members.c.group_id == group.id
    )
    inside = users.c.id.not_in(members) if excluded else users.c.id.in_(members)
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            sa.select(users).where(inside),
            page,
            sort_columns={"email": users.c.email},
            search_columns=[users.c.email],
            tie_breaker=users.c.id,
        )
    return total, [user_from_row(r) for r in rows]


def groups_of_user(meta: MetaStore, user_id: str) -> dict[str, str]:
    """The groups a user belongs to, as {group id: name}."""
    with meta.connect() as conn:
        rows = conn.execute(
            sa.select(user_groups.c.id, user_groups.c.name)
            .join(user_group_members, user_group_members.c.group_id == user_groups.c.id)
            .where(user_group_members.c.user_id == user_id)
            .order_by(user_groups.c.name)
        ).all()
    return {str(r[0]): str(r[1]) for r in rows}
