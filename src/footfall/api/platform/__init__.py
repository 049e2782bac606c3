"""The Piwik PRO platform APIs (api-notes §3-8): users, apps, tracker settings, meta sites, user
groups, access control, modules, audit log, API credentials, and their OpenAPI document."""

from __future__ import annotations

from starlette.routing import BaseRoute

from footfall.api.platform import apps, audit, credentials, tracker, users
from footfall.api.platform.jsonapi import Context, Endpoint, make_routes

__all__ = ["ENDPOINTS", "Context", "make_platform_routes"]

# Order matters: a specific path comes before a `{id}` path that would also match it.
ENDPOINTS: list[Endpoint] = [
    *credentials.ENDPOINTS,
    *users.ENDPOINTS,
    *apps.ENDPOINTS,
    *tracker.ENDPOINTS,
    *audit.ENDPOINTS,
]


def make_platform_routes(ctx: Context) -> list[BaseRoute]:
    """Every route of the platform APIs."""
    return list(make_routes(ctx, ENDPOINTS))
