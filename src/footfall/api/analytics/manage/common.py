"""What every object-management endpoint shares (api-notes §2): the website an object belongs
to (`website_id` in the query for reads and deletes, in the attributes for writes), its access
check, and the `limit`/`offset` paging of the lists (limit 1..100000, default 10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from footfall.api.platform.jsonapi import ApiError, Call, Endpoint, uuid_value
from footfall.meta.apps import get_app

__all__ = [
    "BASE",
    "MAX_LIMIT",
    "endpoint",
    "paging",
    "website_from_attributes",
    "website_from_query",
]

BASE = "/api/analytics/v1/manage"
MAX_LIMIT = 100_000


def _checked(call: Call, app_id: str, level: str) -> str:
    # why: the permission check comes first, so a caller learns nothing about apps they cannot see
    call.require([app_id], level)
    return get_app(call.ctx.meta, app_id).id


def website_from_query(call: Call, level: str) -> str:
    """The app of `?website_id=`, after checking the caller holds `level` on it."""
    raw = call.query.get("website_id")
    if not raw:
        raise ApiError(
            400, "This value should not be blank.", code="error.not-blank", parameter="website_id"
        )
    return _checked(call, uuid_value(raw, parameter="website_id"), level)


def website_from_attributes(call: Call, attributes: Mapping[str, Any], level: str) -> str:
    """The app of `attributes.website_id`, after checking the caller holds `level` on it."""
    pointer = "/data/attributes/website_id"
    raw = attributes.get("website_id")
    if not raw:
        raise ApiError(
            400, "This value should not be blank.", code="error.not-blank", pointer=pointer
        )
    return _checked(call, uuid_value(raw, pointer=pointer), level)


def _int(call: Call, name: str, default: int, low: int, high: int) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        detail = f"Invalid query parameter '{name}': expected an integer {low}..{high}, got '{raw}'"
        raise ApiError(400, detail, parameter=name)
    return int(raw)


def paging(call: Call) -> tuple[int, int]:
    """(offset, limit) of a list request."""
    return _int(call, "offset", 0, 0, 1 << 62), _int(call, "limit", 10, 1, MAX_LIMIT)


def endpoint(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    """An object-management endpoint under `BASE` (JSON:API errors, 401 in the JSON:API shape)."""
    return Endpoint(method, BASE + path, handler, summary, tag="Analytics objects", **kw)
