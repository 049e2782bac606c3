"""Pirsch management objects of one app (links, alternative domains, reports, goals, funnels): one set of
list / get / add / change / delete functions over their tables, which share id, app and times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from footfall.auth.secrets import random_string
from footfall.meta.errors import NotFound
from footfall.meta.goals import create_goal
from footfall.meta.schema import (
    goals,
    pirsch_alternative_domains,
    pirsch_funnels,
    pirsch_goals,
    pirsch_links,
    pirsch_reports,
)
from footfall.meta.store import MetaStore, utcnow

__all__ = [
    "KINDS",
    "add",
    "add_goal",
    "alternative_hosts",
    "change",
    "change_goal",
    "due_reports",
    "find",
    "get",
    "link_by_code",
    "list_of",
    "remove",
    "remove_goal",
    "report_sent",
]

#: the tables by the name the API uses for them
KINDS: Mapping[str, sa.Table] = {
    "link": pirsch_links,
    "alternative": pirsch_alternative_domains,
    "report": pirsch_reports,
    "goal": pirsch_goals,
    "funnel": pirsch_funnels,
}


def list_of(meta: MetaStore, kind: str, app_id: str) -> list[dict[str, Any]]:
    """The objects of an app, oldest first."""
    table = KINDS[kind]
    query = sa.select(table).where(table.c.app_id == app_id).order_by(table.c.created_at)
    with meta.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def find(meta: MetaStore, kind: str, object_id: str) -> dict[str, Any] | None:
    """One object by id, or None."""
    table = KINDS[kind]
    with meta.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == object_id)).mappings().first()
    return dict(row) if row else None


def get(meta: MetaStore, kind: str, object_id: str) -> dict[str, Any]:
    """One object by id; NotFound otherwise."""
    found = find(meta, kind, object_id)
    if found is None:
        raise NotFound(f"{kind} not found")
    return found


def add(meta: MetaStore, kind: str, app_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A new object of the app (a 10-character id, as Pirsch's short ids)."""
    now = utcnow()
    object_id = random_string(10)
    with meta.begin() as conn:
        conn.execute(
            KINDS[kind]
            .insert()
            .values(id=object_id, app_id=app_id, created_at=now, updated_at=now, **values)
        )
    return get(meta, kind, object_id)


def change(meta: MetaStore, kind: str, object_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Change some columns of an object."""
    table = KINDS[kind]
    with meta.begin() as conn:
        done = conn.execute(
            table.update().where(table.c.id == object_id).values(**values, updated_at=utcnow())
        )
    if done.rowcount == 0:
        raise NotFound(f"{kind} not found")
    return get(meta, kind, object_id)


def remove(meta: MetaStore, kind: str, object_id: str) -> None:
    """Delete an object."""
    table = KINDS[kind]
    with meta.begin() as conn:
        conn.execute(table.delete().where(table.c.id == object_id))


def alternative_hosts(meta: MetaStore) -> dict[str, str]:
    """Every alternative hostname → its app id."""
    table = pirsch_alternative_domains
    with meta.connect() as conn:
        rows = conn.execute(sa.select(table.c.hostname, table.c.app_id)).all()
    return {str(h): str(a) for h, a in rows}


def link_by_code(meta: MetaStore, code: str) -> dict[str, Any] | None:
    """The access link with this code, or None."""
    with meta.connect() as conn:
        query = sa.select(pirsch_links).where(pirsch_links.c.code == code)
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def _conversion_pattern(path_regex: str) -> str:
    """The platform goal's pattern for a Pirsch path regex: the pipeline tests goals against the
    whole URL, so the scheme and host come first and a query or fragment may follow."""
    body = path_regex.removeprefix("^").removesuffix("$")
    return rf"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*{body}(?:[?#].*)?$"


def add_goal(meta: MetaStore, app_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A Pirsch goal: a platform goal on the page URL (so the pipeline records its conversions
    and both APIs count them) plus the Pirsch fields, under the platform goal's uuid."""
    made = create_goal(
        meta,
        app_id,
        name=values["name"],
        trigger="url",
        pattern_type="regex",
        pattern=_conversion_pattern(values["pattern"]),
        case_sensitive=True,
    )
    now = utcnow()
    with meta.begin() as conn:
        conn.execute(
            pirsch_goals.insert().values(
                id=made.uuid, app_id=app_id, created_at=now, updated_at=now, **values
            )
        )
    return get(meta, "goal", str(made.uuid))


def change_goal(meta: MetaStore, object_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Change a Pirsch goal and its platform goal together."""
    with meta.begin() as conn:
        conn.execute(
            goals.update()
            .where(goals.c.uuid == object_id)
            .values(
                name=values["name"],
                pattern=_conversion_pattern(values["pattern"]),
                updated_at=utcnow(),
            )
        )
    return change(meta, "goal", object_id, values)


def remove_goal(meta: MetaStore, object_id: str) -> None:
    """Delete a Pirsch goal and its platform goal."""
    with meta.begin() as conn:
        conn.execute(goals.delete().where(goals.c.uuid == object_id))
        conn.execute(pirsch_goals.delete().where(pirsch_goals.c.id == object_id))


def due_reports(meta: MetaStore, now: datetime) -> list[dict[str, Any]]:
    """Email reports whose next date has come."""
    query = sa.select(pirsch_reports).where(pirsch_reports.c.next_report <= now)
    with meta.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def report_sent(meta: MetaStore, report_id: str, now: datetime) -> None:
    """Move a sent report to its next date: the next midnight UTC after its interval."""
    report = get(meta, "report", report_id)
    days = 1 if report["interval"] == 0 else 7 * int(report["interval"])
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    change(meta, "report", report_id, {"next_report": midnight + timedelta(days=days)})
