"""Who calls the Pirsch API and what they may do (api-notes §2, §7).

    caller = await require(request, "statistics", "r", domain_id)   # raises PirschError

A Bearer is a JWT from `/api/v1/token` or `/auth/token`, or a single access key `pa_…`. The
caller's `scopes` map each scope (`hit`, `event`, `session`, `statistics`, `domains`) to `r`,
`w` or `""`; `app_ids` is the one domain a domain client is bound to, or None when the caller
sees every app its user may view. A missing, empty or invalid Bearer is a 401: the JS SDK sends
its first write with an empty Bearer and fetches a token only after a 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.auth.access import NOT_AUTHORIZED, NotAuthenticated, Principal, authorizer_of
from footfall.meta.accounts import get_user
from footfall.meta.errors import NotFound
from footfall.meta.pirsch import (
    ACCESS_KEY_PREFIX,
    SCOPES,
    USER_SCOPES,
    client_grant,
    verify_access_key,
)

__all__ = [
    "SCOPES",
    "PirschCaller",
    "authenticate",
    "may_see",
    "pirsch_error_response",
    "require",
]

#: an access key may only send data
_KEY_SCOPES = {"hit": "w", "event": "w", "session": "w", "statistics": "", "domains": ""}
_MODES = {"r": 1, "w": 2}


@dataclass(frozen=True)
class PirschCaller:
    """An authenticated Pirsch caller: its user, its client, the apps it is bound to, its scopes."""

    user_id: str | None
    client_id: str | None
    app_ids: frozenset[str] | None  # None = every app the user may view
    scopes: Mapping[str, str]

    def may(self, scope: str, mode: str = "r") -> bool:
        """True when the scope is granted at `mode` or stronger (`w` implies `r`)."""
        return _MODES.get(self.scopes.get(scope, ""), 0) >= _MODES[mode]


def _caller(request: Request) -> PirschCaller:
    """The authenticated caller of `request`; PirschError 401 when the Bearer is not usable."""
    authorizer = authorizer_of(request)
    scheme, _, token = (request.headers.get("authorization") or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token.startswith(ACCESS_KEY_PREFIX):
        key = verify_access_key(authorizer.meta, token)
        if key is None:
            raise PirschError(401, NOT_AUTHORIZED)
        return PirschCaller(key.user_id, None, frozenset({key.app_id}), _KEY_SCOPES)
    try:
        principal = authorizer.authenticate(request.headers.get("authorization"))
    except NotAuthenticated as e:
        raise PirschError(401, e.message) from None
    grant = client_grant(authorizer.meta, principal.client_id) if principal.client_id else None
    if grant is None:  # a token of another origin (e.g. the dashboard): the user's own rights
        return PirschCaller(principal.user.id, None, None, USER_SCOPES)
    apps = None if grant.app_id is None else frozenset({grant.app_id})
    return PirschCaller(principal.user.id, principal.client_id, apps, grant.scopes)


def _resolve(request: Request, scope: str, mode: str, domain_id: str | None) -> PirschCaller:
    caller = _caller(request)
    if not caller.may(scope, mode):
        raise PirschError(403, f"the client lacks the {scope} scope ({mode})")
    if domain_id is not None and not may_see(request, caller, domain_id):
        raise PirschError(404, "domain not found")
    return caller


def may_see(request: Request, caller: PirschCaller, app_id: str) -> bool:
    """True when the caller may read the app: it is bound to it (or to none), and its user holds
    at least view on it (blocking: reads the metadata store)."""
    if caller.app_ids is not None and app_id not in caller.app_ids:
        return False
    if caller.user_id is None:
        return False
    authorizer = authorizer_of(request)
    try:
        principal = Principal(get_user(authorizer.meta, caller.user_id))
    except NotFound:
        return False
    return authorizer.allows(principal, app_id, "view")


async def authenticate(request: Request) -> PirschCaller:
    """The caller without a scope check (the write endpoints check per item)."""
    return await run_in_threadpool(_caller, request)


async def require(
    request: Request, scope: str, mode: str = "r", domain_id: str | None = None
) -> PirschCaller:
    """The caller when it holds `scope` at `mode` (and may see `domain_id` when given);
    raises PirschError 401 (no usable Bearer), 403 (scope missing) or 404 (domain not visible)."""
    if mode not in _MODES:
        raise ValueError(f"unknown scope mode {mode!r}")
    return await run_in_threadpool(_resolve, request, scope, mode, domain_id)
