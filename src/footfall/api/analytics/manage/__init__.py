"""The Analytics Object management API (api-notes §2, seed 001 §1.4): goals, custom dimensions
and their slots, product custom dimensions, annotations. JSON:API bodies with PascalCase types,
`website_id` in the attributes (writes) or the query (reads); `view` to read, `edit` to write."""

from __future__ import annotations

from starlette.routing import BaseRoute

from footfall.api.analytics.manage import annotation, dimensions, goals
from footfall.api.platform.jsonapi import Context, Endpoint, make_routes

__all__ = ["ENDPOINTS", "make_manage_routes"]

# Order matters: a specific path comes before a `{id}` path that would also match it.
ENDPOINTS: list[Endpoint] = [*goals.ENDPOINTS, *dimensions.ENDPOINTS, *annotation.ENDPOINTS]


def make_manage_routes(ctx: Context) -> list[BaseRoute]:
    """Every route of the object management API."""
    return list(make_routes(ctx, ENDPOINTS))
