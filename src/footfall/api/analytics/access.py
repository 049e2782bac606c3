"""Who may read a website's analytics.

why: the platform API (another issue) brings the permission model; until it lands this is the
bearer-token check the collector uses for back-dated hits (`auth.checker.MetaTokenChecker`),
kept in this one place so it can be swapped at merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from footfall.auth.checker import MetaTokenChecker
from footfall.auth.tokens import KeyRing


@dataclass(frozen=True, slots=True)
class Access:
    """Checks bearer JWTs against the metadata store."""

    keys: KeyRing
    checker: MetaTokenChecker

    def bearer(self, request: Request) -> str | None:
        """The request's bearer token when it is a valid, unexpired JWT of ours."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip() if self.keys.verify(token.strip()) is not None else None

    def may_read(self, bearer: str, website_id: str) -> bool:
        """Whether the token's user may read `website_id` (today: the back-dating check)."""
        return self.checker.is_authorized(None, bearer, website_id)
