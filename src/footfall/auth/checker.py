"""MetaTokenChecker: may this request use privileged tracking parameters (cip, cdt, …) on an app?"""

from __future__ import annotations

import threading
import time

from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.accounts import User
from footfall.meta.permissions import effective_level
from footfall.meta.store import MetaStore

__all__ = ["MetaTokenChecker"]

_WRITE_LEVELS = frozenset({"edit", "edit-publish", "manage"})


class MetaTokenChecker:
    """Authorizes a Matomo token_auth or a bearer JWT for tracking with privileged parameters:
    the user must be an OWNER or hold edit (or higher) on the app. Answers are cached ≤ 1 s."""

    def __init__(self, meta: MetaStore, keys: KeyRing, ttl: float = 1.0) -> None:
        self._meta = meta
        self._keys = keys
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str], tuple[float, bool]] = {}

    def is_authorized(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        """True when either credential belongs to a user allowed to write to `website_id`."""
        key = (token_auth or "", bearer or "", website_id)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        answer = self._check(token_auth, bearer, website_id)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now, answer)
        return answer

    def _check(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        app = services.find_app(self._meta, website_id)
        if app is None:
            return False
        for user in (self._by_token_auth(token_auth), self._by_bearer(bearer)):
            if user is not None and self._allowed(user, app.id):
                return True
        return False

    def _by_token_auth(self, token_auth: str | None) -> User | None:
        return services.user_for_token_auth(self._meta, token_auth) if token_auth else None

    def _by_bearer(self, bearer: str | None) -> User | None:
        if not bearer:
            return None
        claims = self._keys.verify(bearer.removeprefix("Bearer ").strip())
        if claims is None:
            return None
        try:
            return services.get_user(self._meta, claims.user_id)
        except services.NotFound:
            return None

    def _allowed(self, user: User, app_id: str) -> bool:
        if user.role == "OWNER":
            return True
        return effective_level(self._meta, user.id, app_id) in _WRITE_LEVELS
