"""Annotations (api-notes §2): user annotations per website, and the system annotations list.

A caller sees public annotations and their own private ones; only the author (or an OWNER)
changes or deletes one. Footfall writes no system annotations (Piwik PRO uses them for its own
release notes), so that list is always empty, with its parameters still checked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response

from footfall.api.analytics.manage.common import (
    endpoint,
    paging,
    website_from_attributes,
    website_from_query,
)
from footfall.api.platform.jsonapi import ApiError, Call, document, no_content, resource, uuid_value
from footfall.auth.access import Forbidden
from footfall.meta import annotations as service
from footfall.meta.annotations import Annotation, Reader, parse_date
from footfall.meta.errors import Refused, ValidationError

__all__ = ["ENDPOINTS", "SYSTEM_TYPE", "TYPE"]

TYPE = "UserAnnotation"
SYSTEM_TYPE = "SystemAnnotation"


def _reader(call: Call) -> Reader:
    return Reader(call.caller.user.id, is_owner=call.caller.is_owner)


def _item(call: Call, a: Annotation) -> dict[str, Any]:
    return resource(
        TYPE,
        a.id,
        {
            "website_id": a.website_id,
            "date": a.date.isoformat(),
            "content": a.content,
            "visibility": a.visibility,
            "author": {"email": a.author_email},
            "is_author": a.author_id is not None and a.author_id == call.caller.user.id,
        },
    )


def _query_date(call: Call, name: str, raw: str) -> date:
    try:
        return parse_date(raw, name)
    except ValidationError as e:
        raise ApiError(400, e.message, parameter=name) from None


def _ranges(call: Call) -> list[tuple[date, date]]:
    """`date_from[]`/`date_to[]` pairs, matched by position."""
    starts, ends = call.query.getlist("date_from[]"), call.query.getlist("date_to[]")
    if len(starts) != len(ends):
        raise ApiError(400, "date_from[] and date_to[] must come in pairs", parameter="date_to[]")
    return [
        (_query_date(call, "date_from[]", lo), _query_date(call, "date_to[]", hi))
        for lo, hi in zip(starts, ends, strict=True)
    ]


def _id(call: Call) -> str:
    return uuid_value(call.path["annotation_id"], parameter="id")


def create(call: Call) -> Response:
    attributes = call.attributes()
    app_id = website_from_attributes(call, attributes, "edit")
    made = service.create_annotation(call.ctx.meta, app_id, attributes, call.actor)
    return document(_item(call, made), status=201)


def list_(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    ranges = _ranges(call)
    offset, limit = paging(call)
    total, items = service.list_annotations(
        call.ctx.meta, app_id, _reader(call), ranges, offset, limit
    )
    return document([_item(call, a) for a in items], {"total": total})


def get(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    found = service.get_annotation(call.ctx.meta, app_id, _id(call), _reader(call))
    return document(_item(call, found))


def patch(call: Call) -> Response:
    annotation_id = _id(call)
    attributes = call.attributes(id_=annotation_id, id_optional=True)
    app_id = website_from_attributes(call, attributes, "edit")
    try:
        changed = service.update_annotation(
            call.ctx.meta, app_id, annotation_id, attributes, _reader(call), call.actor
        )
    except Refused:
        raise Forbidden from None
    return document(_item(call, changed))


def delete(call: Call) -> Response:
    app_id = website_from_query(call, "edit")
    try:
        service.delete_annotation(call.ctx.meta, app_id, _id(call), _reader(call), call.actor)
    except Refused:
        raise Forbidden from None
    return no_content()


def system(call: Call) -> Response:
    for name in ("date_from", "date_to"):
        raw = call.query.get(name)
        if raw:
            _query_date(call, name, raw)
    paging(call)
    return document([], {"total": 0})


_USER = "/annotation/user/"
ENDPOINTS = [
    endpoint("POST", _USER, create, "Create a user annotation", body_type=TYPE, status=201),
    endpoint("GET", _USER, list_, "List the user annotations of a website"),
    endpoint("GET", _USER + "{annotation_id}/", get, "Get a user annotation"),
    endpoint(
        "PATCH", _USER + "{annotation_id}/", patch, "Change a user annotation", body_type=TYPE
    ),
    endpoint("DELETE", _USER + "{annotation_id}/", delete, "Delete a user annotation", status=204),
    endpoint("GET", "/annotation/system/", system, "List system annotations (none in Footfall)"),
]
