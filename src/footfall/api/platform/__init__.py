"""The Piwik PRO platform APIs (api-notes §3-8): users, apps, tracker settings, meta sites, user
groups, access control, modules, audit log, API credentials, and their OpenAPI document."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from footfall import __version__
from footfall.api.platform import (
    access_control,
    apps,
    audit,
    credentials,
    groups,
    meta_sites,
    modules,
    tracker,
    users,
)
from footfall.api.platform.jsonapi import Context, Endpoint, make_routes
from footfall.api.platform.openapi import openapi_document

__all__ = ["ENDPOINTS", "Context", "make_platform_routes"]

# Order matters: a specific path comes before a `{id}` path that would also match it.
ENDPOINTS: list[Endpoint] = [
    *credentials.ENDPOINTS,
    *users.ENDPOINTS,
    *apps.ENDPOINTS,
    *tracker.ENDPOINTS,
    *meta_sites.ENDPOINTS,
    *groups.ENDPOINTS,
    *access_control.ENDPOINTS,
    *modules.ENDPOINTS,
    *audit.ENDPOINTS,
]


def make_platform_routes(ctx: Context) -> list[BaseRoute]:
    """Every route of the platform APIs, and their OpenAPI document at `/api/docs`."""
    document = openapi_document(ENDPOINTS, __version__)

    async def docs(request: Request) -> Response:
        return JSONResponse(document)

    return [*make_routes(ctx, ENDPOINTS), Route("/api/docs", docs, methods=["GET"])]
