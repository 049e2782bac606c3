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
from footfall.auth.access import NotAuthenticated, Principal, authorizer_of

__all__ = ["SCOPES", "PirschCaller", "pirsch_error_response", "require"]

SCOPES = ("hit", "event", "session", "statistics", "domains")
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


def _resolve(request: Request, scope: str, mode: str, domain_id: str | None) -> PirschCaller:
    authorizer = authorizer_of(request)
    try:
        principal: Principal = authorizer.authenticate(request.headers.get("authorization"))
    except NotAuthenticated as e:
        raise PirschError(401, e.message) from None
    caller = PirschCaller(
        user_id=principal.user.id,
        client_id=principal.client_id or None,
        app_ids=None,
        scopes=dict.fromkeys(SCOPES, "r"),
    )
    if not caller.may(scope, mode):
        raise PirschError(403, f"the client lacks the {scope} scope ({mode})")
    if domain_id is not None and not authorizer.allows(principal, domain_id, "view"):
        raise PirschError(404, "domain not found")
    return caller


async def require(
    request: Request, scope: str, mode: str = "r", domain_id: str | None = None
) -> PirschCaller:
    """The caller when it holds `scope` at `mode` (and may see `domain_id` when given);
    raises PirschError 401 (no usable Bearer), 403 (scope missing) or 404 (domain not visible)."""
    if mode not in _MODES:
        raise ValueError(f"unknown scope mode {mode!r}")
    return await run_in_threadpool(_resolve, request, scope, mode, domain_id)
