"""User annotations of an app (api-notes §2): a dated note on the charts, private or public.

A private annotation is seen by its author only; a public one by everyone who may view the app.
Only the author (or an OWNER) changes or deletes an annotation.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound, Refused, ValidationError
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import user_annotations
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "MAX_CONTENT",
    "VISIBILITIES",
    "Annotation",
    "Reader",
    "create_annotation",
    "delete_annotation",
    "get_annotation",
    "list_annotations",
    "parse_date",
    "update_annotation",
]

MAX_CONTENT = 150
VISIBILITIES = ("private", "public")


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads or changes annotations: their user id (None for the CLI) and whether OWNER."""

    user_id: str | None
    is_owner: bool = False


@dataclass(frozen=True, slots=True)
class Annotation:
    """One user annotation."""

    id: str
    website_id: str
    date: date
    content: str
    visibility: str
    author_id: str | None
    author_email: str | None
    created_at: datetime
    updated_at: datetime


def _annotation(row: RowMapping) -> Annotation:
    return Annotation(
        id=row["id"],
        website_id=row["app_id"],
        date=row["date"],
        content=row["content"],
        visibility=row["visibility"],
        author_id=row["author_id"],
        author_email=row["author_email"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def parse_date(value: Any, name: str = "date") -> date:
    """A `YYYY-MM-DD` date; ValidationError naming `name` otherwise."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(name, "This value is not a valid date (YYYY-MM-DD).")


def _values(values: Mapping[str, Any], partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if not partial or "date" in values:
        clean["date"] = parse_date(values.get("date"))
    if not partial or "content" in values:
        content = values.get("content")
        if not isinstance(content, str) or not content.strip():
            raise ValidationError("content", "This value should not be blank.")
        if len(content) > MAX_CONTENT:
            raise ValidationError(
                "content",
                f"This value is too long. It should have {MAX_CONTENT} characters or less.",
            )
        clean["content"] = content
    if not partial or "visibility" in values:
        visibility = values.get("visibility", "private")
        if visibility not in VISIBILITIES:
            raise ValidationError("visibility", "must be one of " + ", ".join(VISIBILITIES))
        clean["visibility"] = visibility
    return clean


def _visible_to(reader: Reader) -> sa.ColumnElement[bool]:
    if reader.is_owner:
        return sa.true()
    return sa.or_(
        user_annotations.c.visibility == "public", user_annotations.c.author_id == reader.user_id
    )


def _row(conn: Connection, app_id: str, annotation_id: str, reader: Reader) -> RowMapping:
    found = (
        conn.execute(
            sa.select(user_annotations).where(
                user_annotations.c.id == annotation_id,
                user_annotations.c.app_id == app_id,
                _visible_to(reader),
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        raise NotFound(f"Annotation with id: {annotation_id} does not exist")
    return found


def _own(row: RowMapping, reader: Reader) -> None:
    if not reader.is_owner and row["author_id"] != reader.user_id:
        raise Refused("Only the author may change an annotation.")


def create_annotation(
    meta: MetaStore, app_ref: str | int, values: Mapping[str, Any], actor: Actor | None = None
) -> Annotation:
    """Add an annotation written by `actor` (private unless `visibility` says public)."""
    app = get_app(meta, app_ref)
    clean = _values(values, partial=False)
    who = actor or Actor()
    now = utcnow()
    new_id = str(uuid.uuid4())
    with meta.begin() as conn:
        conn.execute(
            user_annotations.insert().values(
                id=new_id,
                app_id=app.id,
                author_id=who.user_id,
                author_email=who.email,
                created_at=now,
                updated_at=now,
                **clean,
            )
        )
        payload = {"id": new_id, "date": clean["date"].isoformat()}
        record(conn, "annotation.added", app.id, payload, actor)
        return _annotation(_row(conn, app.id, new_id, Reader(who.user_id, is_owner=True)))


def get_annotation(meta: MetaStore, app_id: str, annotation_id: str, reader: Reader) -> Annotation:
    """One annotation the reader may see."""
    with meta.connect() as conn:
        return _annotation(_row(conn, app_id, annotation_id, reader))


def update_annotation(
    meta: MetaStore,
    app_id: str,
    annotation_id: str,
    values: Mapping[str, Any],
    reader: Reader,
    actor: Actor | None = None,
) -> Annotation:
    """Change some of date, content and visibility (PATCH); the author's own only."""
    clean = _values(values, partial=True)
    with meta.begin() as conn:
        _own(_row(conn, app_id, annotation_id, reader), reader)
        conn.execute(
            user_annotations.update()
            .where(user_annotations.c.id == annotation_id)
            .values(updated_at=utcnow(), **clean)
        )
        record(
            conn,
            "annotation.changed",
            app_id,
            {"id": annotation_id, "changed": sorted(clean)},
            actor,
        )
        return _annotation(_row(conn, app_id, annotation_id, reader))


def delete_annotation(
    meta: MetaStore, app_id: str, annotation_id: str, reader: Reader, actor: Actor | None = None
) -> None:
    """Forget an annotation; the author's own only."""
    with meta.begin() as conn:
        _own(_row(conn, app_id, annotation_id, reader), reader)
        conn.execute(user_annotations.delete().where(user_annotations.c.id == annotation_id))
        record(conn, "annotation.deleted", app_id, {"id": annotation_id}, actor)


def list_annotations(
    meta: MetaStore,
    app_id: str,
    reader: Reader,
    ranges: Sequence[tuple[date, date]] = (),
    offset: int = 0,
    limit: int = 10,
) -> tuple[int, list[Annotation]]:
    """The total and one page of the annotations the reader sees, by date; with `ranges`, only
    those dated inside one of the (from, to) ranges (both ends included)."""
    where = [user_annotations.c.app_id == app_id, _visible_to(reader)]
    if ranges:
        where.append(sa.or_(*(user_annotations.c.date.between(lo, hi) for lo, hi in ranges)))
    query = (
        sa.select(user_annotations)
        .where(*where)
        .order_by(user_annotations.c.date, user_annotations.c.created_at)
    )
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn, query, Page(offset, limit), sort_columns={}, tie_breaker=user_annotations.c.id
        )
    return total, [_annotation(r) for r in rows]
