"""GET /api/apps/v2/{id}/tracking-code: an app's install snippet (issue 5).

A small route of its own until the Apps API family mounts it: the same bearer check as the
collector's privileged parameters (an OWNER, or edit rights on the app) and JSON:API bodies
(api-notes §0.2, §0.3).
"""

from __future__ import annotations

from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from footfall.meta import services
from footfall.meta.store import MetaStore
from footfall.web.snippet import tracking_code

__all__ = ["tracking_code_routes"]

_JSON_API = "application/vnd.api+json"


class BearerChecker(Protocol):
    """The part of `MetaTokenChecker` this route uses."""

    def is_authorized(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        """True when the bearer token may edit `website_id`."""
        ...


def _error(status: int, code: str, title: str) -> Response:
    body: dict[str, Any] = {"errors": [{"status": str(status), "code": code, "title": title}]}
    return JSONResponse(body, status_code=status, media_type=_JSON_API)


def tracking_code_routes(meta: MetaStore, checker: BearerChecker, public_url: str) -> list[Route]:
    """The route; the snippet names `public_url`, else the URL the request came to."""

    async def get_tracking_code(request: Request) -> Response:
        bearer = request.headers.get("authorization", "")
        if not bearer.lower().startswith("bearer ") or not bearer[7:].strip():
            return _error(401, "not_authenticated", "JWT not found")
        app = await run_in_threadpool(services.find_app, meta, request.path_params["app_id"])
        if app is None:
            ref = request.path_params["app_id"]
            return _error(404, "error.resource-not-found", f"App with id: {ref} does not exist")
        if not await run_in_threadpool(checker.is_authorized, None, bearer, app.id):
            return _error(403, "error.forbidden", "access token not authorized")
        base = public_url or str(request.base_url)
        data = {
            "type": "ppms/tracking-code",
            "id": app.id,
            "attributes": {"code": tracking_code(base, app.id)},
        }
        return JSONResponse({"data": data}, media_type=_JSON_API)

    return [Route("/api/apps/v2/{app_id}/tracking-code", get_tracking_code, methods=["GET"])]
