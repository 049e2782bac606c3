"""Dashboard sign-in state: an HMAC-signed session cookie and a signed double-submit CSRF token.

The session cookie holds `user_id.issued_at.signature`; the signature (HMAC-SHA256 with the
instance secret) covers both, so a cookie cannot be forged or extended without the key, and it
expires `SESSION_SECONDS` after sign-in. The user is read from the metadata store on every request,
so a deleted user is signed out at once.

CSRF: every browser gets a random `footfall_csrf` cookie; each form carries HMAC(secret, that
cookie) and a POST is refused unless the two agree. A cookie planted by a sibling sub-domain
cannot produce the matching form value without the secret. Both cookies are HttpOnly and
SameSite=Lax, and Secure when the dashboard is served over HTTPS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "footfall_session"
CSRF_COOKIE = "footfall_csrf"
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class Signer:
    """Signs and checks the dashboard's cookies with the instance secret."""

    key: bytes

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.key, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()

    def session_value(self, user_id: str, now: float | None = None) -> str:
        """The cookie value of a new session for `user_id`."""
        body = f"{user_id}.{int(now if now is not None else time.time())}"
        return f"{body}.{self._mac('session', body)}"

    def session_user(self, value: str | None, now: float | None = None) -> str | None:
        """The user id of a valid, unexpired session cookie; None otherwise."""
        if not value or value.count(".") != 2:
            return None
        user_id, issued, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac("session", f"{user_id}.{issued}")):
            return None
        if not issued.isdigit():
            return None
        age = (now if now is not None else time.time()) - int(issued)
        return user_id if 0 <= age < SESSION_SECONDS else None

    def csrf_token(self, cookie: str) -> str:
        """The form token that goes with a CSRF cookie."""
        return self._mac("csrf", cookie)

    def csrf_ok(self, cookie: str | None, token: object) -> bool:
        """True when a submitted form token matches the browser's CSRF cookie."""
        if not cookie or not isinstance(token, str):
            return False
        return hmac.compare_digest(token, self.csrf_token(cookie))


def csrf_cookie(request: Request) -> str:
    """The request's CSRF cookie, or a fresh random value to set on the response."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def is_https(request: Request) -> bool:
    """Whether cookies must be Secure: the request came over HTTPS."""
    return request.url.scheme == "https"


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None
) -> None:
    """Set one dashboard cookie with the flags every dashboard cookie has."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


class Throttle:
    """Sign-in attempts per client IP: after `limit` failures in `window` seconds, refuse more.

    why: argon2 makes each guess slow, but without a cap a password list can still be tried
    around the clock; a per-IP cap in memory is enough for one server process.
    """

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, list[float]] = {}

    def _recent(self, ip: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(ip, ()) if now - t < self.window]
        if kept:
            self._failures[ip] = kept
        else:
            self._failures.pop(ip, None)
        return kept

    def blocked(self, ip: str, now: float | None = None) -> bool:
        """Whether this IP has used up its failures."""
        return len(self._recent(ip, time.time() if now is None else now)) >= self.limit

    def failed(self, ip: str, now: float | None = None) -> None:
        """Count one failed sign-in."""
        moment = time.time() if now is None else now
        self._failures[ip] = [*self._recent(ip, moment), moment]
