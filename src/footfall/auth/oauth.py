"""POST /auth/token: the client_credentials grant of the platform API (api-notes §0.1)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from footfall import telemetry
from footfall.auth.clients import verify_client
from footfall.auth.tokens import KeyRing
from footfall.meta.store import MetaStore

__all__ = ["FailureLimiter", "make_auth_routes"]

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
telemetry.describe("footfall_auth_token_total", "POST /auth/token answers by outcome.")


class FailureLimiter:
    """Counts failed attempts per key in a sliding window; a key over its limit is refused."""

    def __init__(self, max_failures: int = 10, window_seconds: float = 300.0) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again (0 when it may now)."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                if not times:
                    self._failures.pop(key, None)
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def fail(self, key: str) -> None:
        """Record one failure of `key`."""
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 100_000:  # bound memory under a flood of distinct keys
                self._failures.clear()
            self._recent(key, now).append(now)


def _error(status: int, error: str, description: str = "", hint: str = "") -> JSONResponse:
    body: dict[str, str] = {"error": error}
    if description:
        body.update(error_description=description, hint=hint, message=description)
    telemetry.inc("footfall_auth_token_total", outcome=error)
    return JSONResponse(body, status_code=status, headers=_NO_STORE)


async def _fields(request: Request) -> Mapping[str, Any] | None:
    """The body as a mapping, from JSON or an urlencoded form; None when unreadable."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded" or (
        not content_type and not raw.lstrip().startswith(b"{")
    ):
        try:
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            return None
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def make_auth_routes(
    meta: MetaStore,
    keys: KeyRing,
    *,
    per_client: FailureLimiter | None = None,
    per_ip: FailureLimiter | None = None,
) -> list[Route]:
    """The routes of the auth family: `POST /auth/token`."""
    by_client = per_client or FailureLimiter(10, 300.0)
    by_ip = per_ip or FailureLimiter(50, 300.0)

    async def token(request: Request) -> Response:
        ip = request.client.host if request.client else "unknown"
        fields = await _fields(request)
        if fields is None:
            return _error(
                400, "invalid_request", "The request body is not valid JSON or form data."
            )
        if fields.get("grant_type") != "client_credentials":
            return _error(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
                "Check that all required parameters have been provided",
            )
        client_id, secret = fields.get("client_id"), fields.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(secret, str) or not client_id:
            return _error(
                400,
                "invalid_request",
                "The request is missing a required parameter.",
                "Check the `client_id` and `client_secret` parameters",
            )
        wait = max(by_ip.retry_after(ip), by_client.retry_after(client_id))
        if wait:
            response = _error(429, "too_many_requests", "Too many failed attempts; try later.")
            response.headers["Retry-After"] = str(wait)
            return response
        client = await run_in_threadpool(verify_client, meta, client_id, secret)
        if client is None:
            by_ip.fail(ip)
            by_client.fail(client_id)
            return _error(401, "invalid_client")
        access = keys.issue(
            user_id=client.user_id,
            email=client.email,
            audience=client.name,
            client_id=client.client_id,
        )
        telemetry.inc("footfall_auth_token_total", outcome="issued")
        return JSONResponse(
            {"token_type": "Bearer", "expires_in": keys.ttl, "access_token": access},
            headers=_NO_STORE,
        )

    return [Route("/auth/token", token, methods=["POST"])]
