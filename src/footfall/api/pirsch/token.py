"""`POST /api/v1/token` (api-notes pirsch.md §2): client id and secret → access token.

The body is JSON whatever the Content-Type (the PHP SDK labels it a form) and `grant_type` is
ignored. The credential is the platform's, so the token is the same JWT `/auth/token` issues;
failed attempts count against the same kind of limiter per client and per IP.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from footfall.api.pirsch.context import PirschContext
from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.auth.clients import verify_client
from footfall.auth.oauth import FailureLimiter

__all__ = ["make_token_routes", "rfc3339"]


def rfc3339(moment: datetime) -> str:
    """UTC RFC 3339 with microseconds and `Z`, as Go encodes a time.Time (a naive time, as
    SQLite gives back, is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_token_routes(ctx: PirschContext) -> list[Route]:
    """The token route of the Pirsch family."""
    by_client = FailureLimiter(10, 300.0)
    by_ip = FailureLimiter(50, 300.0)

    async def token(request: Request) -> Response:
        try:
            body = orjson.loads(await request.body() or b"{}")
        except orjson.JSONDecodeError:
            return pirsch_error_response(PirschError.invalid("body", "is not valid JSON"))
        if not isinstance(body, dict):
            return pirsch_error_response(PirschError.invalid("body", "must be a JSON object"))
        client_id, secret = body.get("client_id"), body.get("client_secret")
        problems = {}
        if not isinstance(client_id, str) or len(client_id) != 32:
            problems["client_id"] = "must be 32 characters"
        if not isinstance(secret, str) or len(secret) != 64:
            problems["client_secret"] = "must be 64 characters"
        if problems or not isinstance(client_id, str) or not isinstance(secret, str):
            return pirsch_error_response(PirschError(400, None, problems))
        ip = request.client.host if request.client else "unknown"
        if max(by_ip.retry_after(ip), by_client.retry_after(client_id)):
            return pirsch_error_response(PirschError(429, "too many failed attempts; try later"))
        client = await run_in_threadpool(verify_client, ctx.meta, client_id, secret)
        if client is None:
            by_ip.fail(ip)
            by_client.fail(client_id)
            return pirsch_error_response(PirschError(401, "client ID or secret wrong"))
        access = ctx.keys.issue(
            user_id=client.user_id,
            email=client.email,
            audience=client.name,
            client_id=client.client_id,
        )
        expires = ctx.keys.decode(access).expires_at
        return JSONResponse(
            {
                "access_token": access,
                "expires_at": rfc3339(datetime.fromtimestamp(expires, UTC)),
            },
            headers={"Cache-Control": "no-store"},
        )

    return [Route("/api/v1/token", token, methods=["POST"])]
