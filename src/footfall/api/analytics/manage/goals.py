"""Goals (api-notes §2 `Goal`): the conversions the pipeline derives, managed per website.

The API names a goal by its UUID; the tracker's `idgoal` may use either it or the integer id.
`revenue` is a monetary string ("10.22") on the wire and a float in the store.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from footfall.api.analytics.manage.common import (
    endpoint,
    paging,
    website_from_attributes,
    website_from_query,
)
from footfall.api.platform.jsonapi import Call, document, no_content, resource, uuid_value
from footfall.meta import goals as service
from footfall.meta.errors import ValidationError
from footfall.model.settings import Goal

__all__ = ["ENDPOINTS", "TYPE"]

TYPE = "Goal"
_MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")


def _attributes(website_id: str, goal: Goal) -> dict[str, Any]:
    manual = goal.trigger == "manually"
    return {
        "website_id": website_id,
        "name": goal.name,
        "description": goal.description,
        "trigger": goal.trigger,
        "pattern_type": None if manual else goal.pattern_type,
        "pattern": None if manual else goal.pattern,
        "allow_multiple": goal.allow_multiple,
        "case_sensitive": goal.case_sensitive,
        "revenue": f"{goal.revenue:.2f}",
    }


def _revenue(value: Any) -> float:
    if isinstance(value, str) and _MONEY.fullmatch(value):
        return float(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e12:
        return float(value)
    raise ValidationError("revenue", 'must be a non-negative monetary amount such as "10.22"')


def _string(attributes: dict[str, Any], name: str, default: str | None = None) -> str:
    # why: optional attributes come as null too (a manual goal has no pattern)
    value = attributes.get(name)
    if value is None:
        value = default
    if value is None:
        raise ValidationError(name, "This value should not be blank.")
    if not isinstance(value, str):
        raise ValidationError(name, "This value should be of type string.")
    return value


def _flag(attributes: dict[str, Any], name: str) -> bool:
    value = attributes.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError(name, "This value should be of type bool.")
    return value


def _values(attributes: dict[str, Any]) -> dict[str, Any]:
    trigger = _string(attributes, "trigger")
    manual = trigger == "manually"
    if "revenue" not in attributes:
        raise ValidationError("revenue", "This value should not be blank.")
    return {
        "name": _string(attributes, "name"),
        "description": _string(attributes, "description", ""),
        "trigger": trigger,
        "pattern_type": _string(attributes, "pattern_type", "contains" if manual else None),
        "pattern": _string(attributes, "pattern", ""),
        "allow_multiple": _flag(attributes, "allow_multiple"),
        "case_sensitive": _flag(attributes, "case_sensitive"),
        "revenue": _revenue(attributes["revenue"]),
    }


def create(call: Call) -> Response:
    attributes = call.attributes()
    app_id = website_from_attributes(call, attributes, "edit")
    values = _values(attributes)
    goal = service.create_goal(call.ctx.meta, app_id, actor=call.actor, **values)
    return document(resource(TYPE, goal.uuid, _attributes(app_id, goal)), status=201)


def list_(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    offset, limit = paging(call)
    goals = service.list_goals(call.ctx.meta, app_id)
    data = [resource(TYPE, g.uuid, _attributes(app_id, g)) for g in goals[offset : offset + limit]]
    return document(data, {"total": len(goals)})


def _goal_id(call: Call) -> str:
    return uuid_value(call.path["goal_id"], parameter="id")


def get(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    goal = service.get_goal(call.ctx.meta, app_id, _goal_id(call))
    return document(resource(TYPE, goal.uuid, _attributes(app_id, goal)))


def put(call: Call) -> Response:
    goal_id = _goal_id(call)
    attributes = call.attributes(id_=goal_id)
    app_id = website_from_attributes(call, attributes, "edit")
    goal = service.update_goal(call.ctx.meta, app_id, goal_id, _values(attributes), call.actor)
    return document(resource(TYPE, goal.uuid, _attributes(app_id, goal)))


def delete(call: Call) -> Response:
    app_id = website_from_query(call, "edit")
    service.delete_goal(call.ctx.meta, app_id, _goal_id(call), call.actor)
    return no_content()


ENDPOINTS = [
    endpoint("POST", "/goals/", create, "Create a goal", body_type=TYPE, status=201),
    endpoint("GET", "/goals/", list_, "List the goals of a website"),
    endpoint("GET", "/goals/{goal_id}/", get, "Get a goal"),
    endpoint("PUT", "/goals/{goal_id}/", put, "Replace a goal", body_type=TYPE),
    endpoint("DELETE", "/goals/{goal_id}/", delete, "Delete a goal", status=204),
]
