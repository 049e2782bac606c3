"""Visitor identity and history: visitor_id rules (DATA-MODEL §5.2) and the visitor cache (§1.1)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

from footfall.model.hit import Hit
from footfall.store.base import VisitorHistory

HistoryLookup = Callable[[str, int, float], VisitorHistory | None]
#: batched form: (website_id, [(visitor_id, before), ...]) -> {visitor_id: history}
HistoryBatch = Callable[[str, list[tuple[int, float]]], dict[int, VisitorHistory]]

_MASK64 = (1 << 64) - 1
_DAY = 86400.0
_U16 = 65535


def hex64(value: str) -> int | None:
    """A 16-hex-digit id (`_id`, `cid`) as an unsigned 64-bit int; None when empty or malformed."""
    if not value or len(value) > 16:
        return None
    try:
        return int(value, 16) & _MASK64
    except ValueError:
        return None


def uid_visitor_id(user_id: str) -> int:
    """visitor_id of a user id: the first 16 hex digits of SHA1(uid) (DATA-MODEL §5.2, DBG)."""
    return int(hashlib.sha1(user_id.encode("utf-8")).hexdigest()[:16], 16)


def visitor_id_of(hit: Hit) -> int:
    """visitor_id of a session's first hit: uid, else cid, else _id, else the session hash (§5.2)."""
    if hit.user_id:
        return uid_visitor_id(hit.user_id)
    for candidate in (hit.forced_visitor_id, hit.cookie_visitor_id):
        parsed = hex64(candidate)
        if parsed is not None:
            return parsed
    return hit.fingerprint & _MASK64


class VisitorRecord(NamedTuple):
    """What is known of one visitor: earlier sessions and the last order (DATA-MODEL §1.1)."""

    sessions: int = 0
    first_seen: float | None = None
    last_seen: float | None = None
    last_order: float | None = None


_UNKNOWN = VisitorRecord()


class VisitorCache:
    """LRU of VisitorRecord per (website_id, visitor_id), asking the store on a miss (§1.1 [P])."""

    __slots__ = ("_capacity", "_history", "_records")

    def __init__(self, history: HistoryLookup | None, capacity: int = 100_000) -> None:
        self._history = history
        self._capacity = capacity
        # why: plain tuples of atomic values are untracked by the cyclic GC (records are many)
        self._records: OrderedDict[tuple[str, int], tuple[Any, ...]] = OrderedDict()

    def _get(self, key: tuple[str, int], before: float) -> VisitorRecord:
        rec = self._records.get(key)
        if rec is not None:
            self._records.move_to_end(key)
            return VisitorRecord._make(rec)
        found = self._history(key[0], key[1], before) if self._history else None
        if found is None:
            return _UNKNOWN
        return VisitorRecord(found.sessions, found.first_seen, found.last_seen, found.last_order)

    def _put(self, key: tuple[str, int], rec: VisitorRecord) -> None:
        self._records[key] = tuple(rec)
        if len(self._records) > self._capacity:
            self._records.popitem(last=False)

    def missing(self, website_id: str, visitor_id: int) -> bool:
        """True when the visitor is not cached (a session start would ask the store)."""
        return (website_id, visitor_id) not in self._records

    def prefetch(self, website_id: str, keys: list[tuple[int, float]], batch: HistoryBatch) -> None:
        """Fill the cache for many visitors with one store round trip (unknown ones as new)."""
        found = batch(website_id, keys)
        for visitor_id, _before in keys:
            h = found.get(visitor_id)
            rec = (
                _UNKNOWN
                if h is None
                else VisitorRecord(h.sessions, h.first_seen, h.last_seen, h.last_order)
            )
            self._put((website_id, visitor_id), rec)

    def start_session(self, website_id: str, visitor_id: int, start: float) -> VisitorRecord:
        """Record a session start and return what was known *before* it."""
        key = (website_id, visitor_id)
        before = self._get(key, start)
        # why: the cache mirrors what the store's visitor_history would answer, so that a
        # restart (cache empty, store lookup) computes the same visitor fields.
        first = start if before.first_seen is None else min(before.first_seen, start)
        last = start if before.last_seen is None else max(before.last_seen, start)
        self._put(key, VisitorRecord(before.sessions + 1, first, last, before.last_order))
        return before

    def order_placed(self, website_id: str, visitor_id: int, ts: float) -> None:
        """Remember the time of an order (type 9) for `visitor_returning` = 2 later."""
        key = (website_id, visitor_id)
        rec = self._get(key, ts)
        last = ts if rec.last_order is None else max(rec.last_order, ts)
        self._put(key, rec._replace(last_order=last))


def _days(start: float, since: float | None) -> int | None:
    """⌊(start − since) / 1 day⌋ clamped to USMALLINT; None when `since` is unknown."""
    if since is None or since <= 0:
        return None
    return min(max(int((start - since) // _DAY), 0), _U16)


def visitor_fields(hit: Hit, start: float, known: VisitorRecord) -> dict[str, Any]:
    """visitor_returning, visitor_session_number and days-since columns of a first hit (§1.1)."""
    ects = hit.last_order_ts if hit.last_order_ts and hit.last_order_ts > 0 else None
    viewts = hit.previous_visit_ts if hit.previous_visit_ts and hit.previous_visit_ts > 0 else None
    idvc = hit.visit_count
    if ects is not None or known.last_order is not None:
        returning = 2
    elif (idvc is not None and idvc > 1) or viewts is not None or known.sessions > 0:
        returning = 1
    else:
        returning = 0
    number = min(max(idvc, 1), _U16) if idvc is not None else min(known.sessions + 1, _U16)
    first = hit.first_visit_ts if hit.first_visit_ts and hit.first_visit_ts > 0 else None
    return {
        "visitor_returning": returning,
        "visitor_session_number": number,
        "visitor_days_since_last_session": _days(
            start, viewts if viewts is not None else known.last_seen
        ),
        "visitor_days_since_first_session": _days(
            start, first if first is not None else known.first_seen
        ),
        "visitor_days_since_order": _days(start, ects if ects is not None else known.last_order),
    }
