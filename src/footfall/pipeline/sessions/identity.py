"""Open-session lookup per website: by user id, cookie id, session hash (DATA-MODEL §5.2)."""

from __future__ import annotations

from typing import Any

from footfall.model.hit import Hit
from footfall.model.settings import AppSettings

from .state import SessionState


def cookie_keys_of(hit: Hit) -> tuple[str, ...]:
    """The cookie ids a hit carries: `cid` (which overrides `_id`, TAPI) and `_id`."""
    forced, cookie = hit.forced_visitor_id, hit.cookie_visitor_id
    if forced and cookie and forced != cookie:
        return (forced, cookie)
    return (forced or cookie,) if forced or cookie else ()


def restored_cookie_keys(row: dict[str, Any]) -> tuple[str, ...]:
    """Cookie ids of a stored session, recovered from visitor_id / cookie_id (restore).

    visitor_id came from cid/_id when there is no user id and it is not the session hash;
    cookie_id came from `_id` when it differs from the fallback (visitor_id, or the hash).
    """
    visitor_id = int(row.get("visitor_id", 0))
    cookie_id = int(row.get("cookie_id", 0))
    fingerprint = int(row.get("browser_fingerprint", 0))
    anonymous_id = not row.get("user_id")
    keys: list[str] = []
    if anonymous_id and visitor_id != fingerprint:
        keys.append(f"{visitor_id:016x}")
    if cookie_id != visitor_id or (anonymous_id and cookie_id != fingerprint):
        key = f"{cookie_id:016x}"
        if key not in keys:
            keys.append(key)
    return tuple(keys)


class SiteIndex:
    """The open sessions of one website, indexed by uid, cookie ids and session hash."""

    __slots__ = ("by_cookie", "by_fingerprint", "by_uid")

    def __init__(self) -> None:
        self.by_uid: dict[str, SessionState] = {}
        self.by_cookie: dict[str, SessionState] = {}
        self.by_fingerprint: dict[int, SessionState] = {}

    def match(self, hit: Hit, app: AppSettings) -> SessionState | None:
        """The open session a hit belongs to by key precedence: uid, cid/_id, session hash."""
        if hit.user_id:
            s = self.by_uid.get(hit.user_id)
            if s is not None:
                return s
        key = hit.forced_visitor_id or hit.cookie_visitor_id
        if key:
            s = self.by_cookie.get(key)
            if s is not None:
                return s
        use_hash = app.use_anonymous_session_hash if hit.is_anonymous else app.use_session_hash
        if hit.fingerprint and use_hash:
            s = self.by_fingerprint.get(hit.fingerprint)
            # [P] the session hash never joins two different cookie ids (two visitors behind
            # one NAT with the same browser build); a session without a cookie id may take one
            if s is not None and (not key or not s.cookie_keys or key in s.cookie_keys):
                return s
        return None

    def claim(self, s: SessionState) -> None:
        """Point every key of the session at it, unless a more recent session holds the key.

        why: a late hit that starts its own session (bulk import) must not steal the keys
        of the visitor's current session.
        """
        if s.user_id:
            _claim(self.by_uid, s.user_id, s)
        for key in s.cookie_keys:
            _claim(self.by_cookie, key, s)
        if s.fingerprint:
            _claim(self.by_fingerprint, s.fingerprint, s)

    def release_fingerprint(self, s: SessionState) -> None:
        """Drop the session-hash entry of a session whose hash changes (deanonymization)."""
        if self.by_fingerprint.get(s.fingerprint) is s:
            del self.by_fingerprint[s.fingerprint]

    def release(self, s: SessionState) -> None:
        """Remove a closed session from every index that still points at it."""
        if s.user_id and self.by_uid.get(s.user_id) is s:
            del self.by_uid[s.user_id]
        for key in s.cookie_keys:
            if self.by_cookie.get(key) is s:
                del self.by_cookie[key]
        self.release_fingerprint(s)


def _claim(index: dict[Any, SessionState], key: Any, s: SessionState) -> None:
    """Set index[key] = s unless the holder is another session with a later last event."""
    holder = index.get(key)
    if holder is None or holder is s or holder.last <= s.last:
        index[key] = s
