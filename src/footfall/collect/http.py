"""The tracking endpoints as one plain ASGI app: /ppms.php, /piwik.php, /matomo.php, /js/tracker.php.

It checks only what it must to answer (ARCHITECTURE "collect"): `rec`, the app, `url`, body size
and authentication of privileged parameters; then it appends the raw requests to the spool in one
call and answers once they are written. Parsing into a `Hit` happens later, in the pipeline.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any, Protocol

from footfall import telemetry
from footfall.collect.bulk import InvalidBody, is_bulk, parse_bulk
from footfall.collect.request import ClientGone, RequestFacts, read_body
from footfall.collect.responses import (
    Response,
    bulk_response,
    empty_response,
    gif_response,
    preflight_response,
    text_response,
)
from footfall.collect.validation import InvalidRequest, validate
from footfall.collect.values import parse_query
from footfall.config import Settings
from footfall.model.directory import AppDirectory
from footfall.model.reasons import Reason
from footfall.model.record import RawRecord, shared_encoder

__all__ = ["Collector", "SpoolWriter", "TokenChecker", "make_collector"]

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

REQUESTS = "footfall_collector_requests_total"
ACCEPTED = "footfall_hits_accepted_total"
REJECTED = "footfall_requests_rejected_total"
ERRORS = "footfall_collector_errors_total"
telemetry.describe(REQUESTS, "HTTP requests received by the tracking endpoints.")
telemetry.describe(ACCEPTED, "Tracking requests acknowledged (written to the spool).")
telemetry.describe(REJECTED, "Tracking requests rejected by the collector, by reason.")
telemetry.describe(ERRORS, "Collector failures (spool unavailable, unexpected errors).")

#: Matomo answers an empty GET with a short page; monitors use it as a health check.
_EMPTY_REQUEST_TEXT = "Footfall tracking endpoint. See the Tracking HTTP API.\n"


class TokenChecker(Protocol):
    """Decides whether credentials grant tracking with privileged parameters for an app."""

    def is_authorized(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        """True when `token_auth` or the bearer token may write to `website_id`."""
        ...


class SpoolWriter(Protocol):
    """The part of the spool the collector uses: append a batch, acknowledged once written."""

    def append(self, payloads: Sequence[bytes]) -> int:
        """Append payloads synchronously."""
        ...

    async def append_async(self, payloads: Sequence[bytes]) -> int:
        """Append payloads without blocking the event loop; returns when they are written."""
        ...


def make_collector(
    spool: SpoolWriter, directory: AppDirectory, auth: TokenChecker, settings: Settings
) -> Collector:
    """The ASGI app of the tracking endpoints; mount it on every tracking path."""
    return Collector(spool, directory, auth, settings)


class Collector:
    """ASGI callable answering Matomo/Piwik PRO tracking requests (single, form POST and bulk)."""

    def __init__(
        self, spool: SpoolWriter, directory: AppDirectory, auth: TokenChecker, settings: Settings
    ) -> None:
        self._spool = spool
        self._directory = directory
        self._auth = auth
        self._debug = bool(settings.tracker_debug)
        self._max_body = int(settings.max_body_bytes)
        self._max_bulk = int(settings.max_bulk_requests)
        self._ppms_require_auth = bool(settings.ppms_require_auth)
        self._trust_proxy = bool(settings.trust_proxy_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        facts = RequestFacts.from_scope(scope, self._trust_proxy)
        try:
            response = await self._respond(scope, receive, facts)
        except ClientGone:
            return
        except Exception:
            # why: a 500 makes log importers retry forever; answer 400 and count the bug.
            log.exception("collector failed on %s", scope.get("path"))
            telemetry.inc(ERRORS, kind="unexpected")
            response = self._reject(Reason.INVALID, "internal error", facts)
        status, headers, body = response
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send(
                {"type": "http.response.body", "body": b"" if facts.method == "HEAD" else body}
            )
        except OSError:
            pass  # the client went away

    async def _respond(self, scope: Scope, receive: Receive, facts: RequestFacts) -> Response:
        method = facts.method
        if method == "OPTIONS":
            return preflight_response(facts.origin, facts.cors_request_headers)
        if method not in ("GET", "POST", "HEAD"):
            return 405, [(b"allow", b"GET, POST, OPTIONS"), (b"content-length", b"0")], b""
        path: str = scope.get("path", "")
        protocol = "ppms" if path.endswith("ppms.php") else "matomo"
        telemetry.inc(REQUESTS, protocol=protocol)
        raw_query = scope.get("query_string", b"").decode("utf-8", "replace")
        params = parse_query(raw_query)
        raw_form = ""
        if method == "POST":
            if facts.content_length is not None and facts.content_length > self._max_body:
                return self._reject(Reason.BODY_TOO_LARGE, "body too large", facts)
            body = await read_body(receive, self._max_body)
            if body is None:
                return self._reject(Reason.BODY_TOO_LARGE, "body too large", facts)
            if is_bulk(body):
                return await self._bulk(body, params, facts, protocol)
            raw_form = body.decode("utf-8", "replace")
            # why: Matomo merges GET over POST ($_GET + $_POST): the query string wins.
            params = {**parse_query(raw_form), **params}
        if not params and method != "POST":
            return text_response(200, _EMPTY_REQUEST_TEXT, facts.cors)
        if method == "HEAD":
            return empty_response(200, facts.cors)
        charset = params.get("cs", "").strip().lower()
        if charset and charset not in ("utf-8", "utf8"):
            # why: seed 000 `cs`: the values are percent-encoded in that charset.
            params = {**parse_query(raw_form, charset), **parse_query(raw_query, charset)}
        return await self._single(params, facts, protocol)

    async def _single(self, params: dict[str, str], facts: RequestFacts, protocol: str) -> Response:
        now = time.time()
        try:
            website_id, trusted = self._check(
                params, facts, protocol, now, None, {}, self._directory.resolve
            )
        except InvalidRequest as e:
            return self._reject(e.reason, e.detail, facts)
        record = RawRecord(
            website_id=website_id,
            params=params,
            received_at=now,
            ip=facts.ip,
            user_agent=facts.user_agent,
            accept_language=facts.accept_language,
            protocol=protocol,
            trusted=trusted,
            headers=facts.headers,
        )
        if not await self._append([record.encode()]):
            return empty_response(503, facts.cors)
        telemetry.inc(ACCEPTED, protocol=protocol)
        send_image = params.get("send_image", "").strip()
        if protocol == "ppms":
            # why: api-notes §11: 202 "accepted and waiting for processing"; GIF only on request.
            if send_image == "1":
                return gif_response(202, facts.cors)
            return empty_response(202, facts.cors, html=True)
        if send_image == "0":
            return empty_response(204, facts.cors)  # seed 000 send_image
        return gif_response(200, facts.cors)

    async def _bulk(
        self, body: bytes, query: dict[str, str], facts: RequestFacts, protocol: str
    ) -> Response:
        try:
            bulk = parse_bulk(body, self._max_bulk)
        except InvalidBody as e:
            return self._reject(Reason.INVALID, str(e), facts)
        token = bulk.token_auth or query.get("token_auth") or None
        now = time.time()
        cache: dict[tuple[str | None, str], bool] = {}
        resolve = _cached(self._directory.resolve)
        # why: the items of a body share every request fact, so only id, params and trust vary.
        encode = shared_encoder(
            now, facts.ip, facts.user_agent, facts.accept_language, protocol, facts.headers
        )
        payloads: list[bytes] = []
        invalid: list[int] = []
        reasons: list[str] = []
        for index, params in enumerate(bulk.items):
            try:
                if params is None:
                    raise InvalidRequest(Reason.INVALID, "item is neither a string nor an object")
                website_id, trusted = self._check(
                    params, facts, protocol, now, token, cache, resolve
                )
            except InvalidRequest as e:
                invalid.append(index)
                reasons.append(e.reason.value)
                continue
            payloads.append(encode(website_id, params, trusted))
        for reason, count in Counter(reasons).items():
            telemetry.inc(REJECTED, count, reason=reason)
        # why: one spool call for the whole body, so one acknowledgment covers every item.
        if payloads and not await self._append(payloads):
            return empty_response(503, facts.cors)
        if payloads:
            telemetry.inc(ACCEPTED, len(payloads), protocol=protocol)
        status = 202 if protocol == "ppms" else 200
        return bulk_response(
            status, len(payloads), invalid, facts.cors, reasons if self._debug else None
        )

    def _check(
        self,
        params: dict[str, str],
        facts: RequestFacts,
        protocol: str,
        now: float,
        bulk_token: str | None,
        cache: dict[tuple[str | None, str], bool],
        resolve: Callable[[str], str | None],
    ) -> tuple[str, bool]:
        """Validate one request (removing its token); returns (website_id, authenticated)."""
        # why: the secret is never written to the spool.
        token = params.pop("token_auth", None) or bulk_token
        bearer = facts.bearer

        def authorize(website_id: str) -> bool:
            key = (token, website_id)
            if key not in cache:
                cache[key] = self._is_authorized(token, bearer, website_id)
            return cache[key]

        return validate(
            params,
            protocol=protocol,
            resolve=resolve,
            authorize=authorize if token or bearer else _anonymous,
            now=now,
            ppms_require_auth=self._ppms_require_auth,
        )

    def _is_authorized(self, token: str | None, bearer: str | None, website_id: str) -> bool:
        try:
            return self._auth.is_authorized(token or None, bearer, website_id)
        except Exception:
            log.exception("token check failed")
            telemetry.inc(ERRORS, kind="auth")
            return False

    async def _append(self, payloads: list[bytes]) -> bool:
        try:
            await self._spool.append_async(payloads)
        except Exception:
            log.exception("spool append failed")
            telemetry.inc(ERRORS, kind="spool")
            return False
        return True

    def _reject(self, reason: Reason, detail: str, facts: RequestFacts) -> Response:
        telemetry.inc(REJECTED, reason=reason.value)
        if self._debug:
            return text_response(400, f"{reason.value}: {detail}\n", facts.cors)
        return empty_response(400, facts.cors)


def _anonymous(website_id: str) -> bool:
    """No credentials: nothing is authorized."""
    return False


def _cached(resolve: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`resolve` asked once per distinct idsite (a bulk body repeats the same one or two)."""
    known: dict[str, str | None] = {}

    def cached(idsite: str) -> str | None:
        if idsite in known:
            return known[idsite]
        website_id = known[idsite] = resolve(idsite)
        return website_id

    return cached


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
