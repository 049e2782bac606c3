"""Permissions on apps and meta sites (api-notes §6, §8.1): direct grants and group grants.

A user's effective level on an entity is the highest of their own grant and the grants of every
group they belong to. The OWNER role is not stored here: the auth layer lets owners do anything.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.schema import (
    apps,
    group_permissions,
    meta_site_permissions,
    meta_sites,
    permissions,
    user_group_members,
    user_groups,
    users,
)
from footfall.meta.store import MetaStore, utcnow

__all__ = [
    "ACTIONS",
    "APP_LEVELS",
    "META_SITE_LEVELS",
    "RANK",
    "actions_for",
    "effective_level",
    "entity_kind",
    "grants_on",
    "group_levels",
    "levels_of_user",
    "set_group_permission",
    "set_user_permission",
    "strongest",
]

# Ranked weakest first; `no-access` is the absence of a grant.
RANK = {"no-access": 0, "view": 1, "edit": 2, "edit-publish": 3, "manage": 4}
APP_LEVELS = ("no-access", "view", "edit", "edit-publish", "manage")
META_SITE_LEVELS = ("no-access", "view", "edit", "manage")  # no publishing on meta sites


def strongest(levels: Any) -> str:
    """The highest of some levels ("no-access" when there is none)."""
    return max(levels, key=lambda lv: RANK.get(lv, 0), default="no-access")


def entity_kind(conn: Connection, entity_id: str) -> str | None:
    """ "app" or "meta-site" for an existing entity id, None otherwise."""
    if conn.execute(sa.select(apps.c.id).where(apps.c.id == entity_id)).first():
        return "app"
    if conn.execute(sa.select(meta_sites.c.id).where(meta_sites.c.id == entity_id)).first():
        return "meta-site"
    return None


def _direct(conn: Connection, user_id: str) -> dict[str, str]:
    own = conn.execute(
        sa.select(permissions.c.app_id, permissions.c.level).where(permissions.c.user_id == user_id)
    ).all()
    sites = conn.execute(
        sa.select(meta_site_permissions.c.meta_site_id, meta_site_permissions.c.level).where(
            meta_site_permissions.c.user_id == user_id
        )
    ).all()
    return {str(e): str(lv) for e, lv in [*own, *sites]}


def group_levels(conn: Connection, group_id: str) -> dict[str, str]:
    """The entities a group holds a level on, with that level."""
    rows = conn.execute(
        sa.select(group_permissions.c.entity_id, group_permissions.c.level).where(
            group_permissions.c.group_id == group_id
        )
    )
    return {str(e): str(lv) for e, lv in rows}


def levels_of_user(meta: MetaStore, user_id: str) -> dict[str, str]:
    """Every entity (app or meta site id) on which the user holds a level, with that level."""
    with meta.connect() as conn:
        levels = _direct(conn, user_id)
        via_groups = conn.execute(
            sa.select(group_permissions.c.entity_id, group_permissions.c.level)
            .join(user_group_members, user_group_members.c.group_id == group_permissions.c.group_id)
            .where(user_group_members.c.user_id == user_id)
        ).all()
    for entity_id, level in via_groups:
        levels[entity_id] = strongest([levels.get(entity_id, "no-access"), level])
    return levels


def effective_level(meta: MetaStore, user_id: str, entity_id: str) -> str:
    """The user's level on one app or meta site, groups included ("no-access" when none)."""
    return levels_of_user(meta, user_id).get(entity_id, "no-access")


def _check_level(level: Any, kind: str, field: str) -> str:
    allowed = APP_LEVELS if kind == "app" else META_SITE_LEVELS
    if level not in allowed:
        raise ValidationError(field, "must be one of " + ", ".join(allowed))
    return str(level)


def _entity(conn: Connection, entity_id: str) -> str:
    kind = entity_kind(conn, entity_id)
    if kind is None:
        raise NotFound(f'Entity with id "{entity_id}" does not exist')
    return kind


def set_user_permission(
    meta: MetaStore,
    user_id: str,
    entity_id: str,
    level: Any,
    actor: Actor | None = None,
    field: str = "permission",
) -> None:
    """Grant a user `level` on an app or a meta site; "no-access" removes the grant."""
    with meta.begin() as conn:
        kind = _entity(conn, entity_id)
        level = _check_level(level, kind, field)
        if conn.execute(sa.select(users.c.id).where(users.c.id == user_id)).first() is None:
            raise NotFound(
                f"User with id: {user_id} does not exist", "users.error.user-does-not-exist"
            )
        if kind == "app":
            table, column = permissions, permissions.c.app_id
        else:
            table, column = meta_site_permissions, meta_site_permissions.c.meta_site_id
        conn.execute(table.delete().where(table.c.user_id == user_id, column == entity_id))
        if level != "no-access":
            conn.execute(
                table.insert().values(
                    {
                        "user_id": user_id,
                        column.name: entity_id,
                        "level": level,
                        "created_at": utcnow(),
                    }
                )
            )
        payload = {"user_id": user_id, "permission": level}
        record(conn, f"permission.user.changed.{kind.replace('-', '_')}", entity_id, payload, actor)


def set_group_permission(
    meta: MetaStore,
    group_id: str,
    entity_id: str,
    level: Any,
    actor: Actor | None = None,
    field: str = "permission",
) -> None:
    """Grant a user group `level` on an app or a meta site; "no-access" removes the grant."""
    with meta.begin() as conn:
        kind = _entity(conn, entity_id)
        level = _check_level(level, kind, field)
        if (
            conn.execute(sa.select(user_groups.c.id).where(user_groups.c.id == group_id)).first()
            is None
        ):
            raise NotFound(f"User group with id: {group_id} does not exist")
        where = (
            group_permissions.c.group_id == group_id,
            group_permissions.c.entity_id == entity_id,
        )
        conn.execute(group_permissions.delete().where(*where))
        if level != "no-access":
            conn.execute(
                group_permissions.insert().values(
                    group_id=group_id, entity_id=entity_id, level=level, created_at=utcnow()
                )
            )
        payload = {"user_group_id": group_id, "permission": level}
        kind_name = kind.replace("-", "_")
        record(conn, f"permission.user_group.changed.{kind_name}", entity_id, payload, actor)


# What each level lets a user do on an entity (access control API, api-notes §8.1).
ACTIONS = {
    "no-access": (),
    "view": ("view",),
    "edit": ("view", "edit"),
    "edit-publish": ("view", "edit", "publish"),
    "manage": ("view", "edit", "publish", "delete", "manage"),
}


def actions_for(level: str) -> tuple[str, ...]:
    """The actions a level allows."""
    return ACTIONS.get(level, ())


def grants_on(meta: MetaStore, entity_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """The direct grants on an entity: {user id: level} and {group id: level}."""
    with meta.connect() as conn:
        kind = entity_kind(conn, entity_id)
        if kind is None:
            raise NotFound(f'Entity with id "{entity_id}" does not exist')
        if kind == "app":
            table, column = permissions, permissions.c.app_id
        else:
            table, column = meta_site_permissions, meta_site_permissions.c.meta_site_id
        users_rows = conn.execute(
            sa.select(table.c.user_id, table.c.level).where(column == entity_id)
        )
        group_rows = conn.execute(
            sa.select(group_permissions.c.group_id, group_permissions.c.level).where(
                group_permissions.c.entity_id == entity_id
            )
        )
        return {str(u): str(lv) for u, lv in users_rows}, {str(g): str(lv) for g, lv in group_rows}
