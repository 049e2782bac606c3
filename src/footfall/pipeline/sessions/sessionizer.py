"""Sessionizer: the last pipeline step, assigning each hit to a visit (DATA-MODEL §5)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from footfall.model.columns import (
    ABANDONED_CART,
    DEANONYMIZATION,
    EVENT_COLUMNS,
    GOAL_CONVERSION,
    ORDER,
    PAGE_VIEW,
    PING_EVENT_TYPES,
)
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from .goals import find_goal, triggered_goals
from .identity import SiteIndex, cookie_keys_of, restored_cookie_keys
from .rows import (
    derived_row,
    event_row,
    put_device_and_network,
    session_attrs,
    update_session_custom,
)
from .state import CART_KEYS, SessionState, stored_row
from .visitors import (
    HistoryBatch,
    HistoryLookup,
    VisitorCache,
    hex64,
    uid_visitor_id,
    visitor_fields,
    visitor_id_of,
)

_U16 = 65535
_JOIN, _NEW = 0, 1
_MAX_GENERATED = 14  # k = 1..14 for goal rows; 15 is the abandoned cart (event id scheme)


class Sessionizer:
    """Sessionizer assigns each hit to a visit and turns it into event and session rows."""

    def __init__(
        self,
        history: HistoryLookup | None = None,
        *,
        visitor_cache_size: int = 100_000,
        order_memory: int = 100_000,
        max_open: int = 500_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._max_open = max_open
        self._visitors = VisitorCache(history, visitor_cache_size)
        self._sites: dict[str, SiteIndex] = {}
        self._open: dict[int, SessionState] = {}
        self._dirty: dict[int, SessionState] = {}
        self._orders: dict[tuple[str, str], None] = {}  # insertion-ordered bounded set
        self._order_memory = order_memory

    def prefetch(self, hits: list[tuple[Hit, AppSettings]], batch: HistoryBatch) -> None:
        """Ask the store once for every uncached visitor of a batch of hits, before `add`.

        why: a store lookup per new visitor costs milliseconds; one query per batch does not.
        """
        wanted: dict[str, dict[int, float]] = {}
        for hit, _app in hits:
            vid = visitor_id_of(hit)
            if self._visitors.missing(hit.website_id, vid):
                per_site = wanted.setdefault(hit.website_id, {})
                per_site[vid] = min(per_site.get(vid, hit.timestamp), hit.timestamp)
        for website_id, keys in wanted.items():
            self._visitors.prefetch(website_id, list(keys.items()), batch)

    def has_dirty(self) -> bool:
        """True when some session changed since its row was last emitted."""
        return bool(self._dirty)

    def open_sessions(self) -> int:
        """Number of sessions held in memory."""
        return len(self._open)

    def add(self, hit: Hit, app: AppSettings) -> tuple[list[dict[str, Any]], Reason | None]:
        """Assign a hit to a session; return its event rows, or ([], reason) when it is dropped."""
        t = hit.event_type
        # why: orders are deduplicated per (website, order_id), as Matomo does (§4.1 rule 6)
        if t == ORDER and hit.order_id and (hit.website_id, hit.order_id) in self._orders:
            return [], Reason.DUPLICATE_ORDER
        site = self._sites.get(hit.website_id)
        if site is None:
            site = self._sites[hit.website_id] = SiteIndex()
        s = site.match(hit, app)
        verdict = _NEW if s is None else _verdict(s, hit, app)
        if isinstance(verdict, Reason):
            return [], verdict
        if s is None or verdict == _NEW:
            if t in PING_EVENT_TYPES:  # why: pings never open a session (§4.1 ping rules)
                return [], Reason.ORPHAN_PING
            s = self._start(site, hit, app)
        else:
            if t == GOAL_CONVERSION and _repeated_goal(s, hit, app):
                # why: without allow_multiple a goal converts once per session (§4.2)
                return [], Reason.DUPLICATE_GOAL
            self._join(site, s, hit, app)
        rows = self._record(s, hit, app)
        s.touched = self._clock()
        self._dirty[s.session_id] = s
        return rows, None

    def _start(self, site: SiteIndex, hit: Hit, app: AppSettings) -> SessionState:
        """Open a session with this hit; visitor fields come from its cookie values and cache."""
        visitor_id = visitor_id_of(hit)
        known = self._visitors.start_session(hit.website_id, visitor_id, hit.timestamp)
        visitor = visitor_fields(hit, hit.timestamp, known)
        visitor["visitor_id"] = visitor_id
        cookie_id = hex64(hit.cookie_visitor_id)
        visitor["cookie_id"] = visitor_id if cookie_id is None else cookie_id  # [P] §1.1
        s = SessionState(session_attrs(hit, hit.seq << 4, visitor), app)
        s.cookie_keys = cookie_keys_of(hit)
        self._open[s.session_id] = s
        site.claim(s)
        return s

    def _join(self, site: SiteIndex, s: SessionState, hit: Hit, app: AppSettings) -> None:
        """Identity updates of a hit joining an open session (uid re-key, new cookie keys)."""
        s.app = app
        if hit.user_id and not s.user_id:
            # why: a uid appearing mid-session re-keys it, no split (§5.1 rule 5, MT-visit)
            s.user_id = s.attrs["user_id"] = hit.user_id
            s.attrs["visitor_id"] = uid_visitor_id(hit.user_id)
            site.claim(s)
        cookie, forced = hit.cookie_visitor_id, hit.forced_visitor_id
        if (cookie and cookie not in s.cookie_keys) or (forced and forced not in s.cookie_keys):
            s.cookie_keys += tuple(k for k in cookie_keys_of(hit) if k not in s.cookie_keys)
            site.claim(s)
        if hit.event_type == DEANONYMIZATION:
            self._deanonymize(site, s, hit)

    def _deanonymize(self, site: SiteIndex, s: SessionState, hit: Hit) -> None:
        """Type 20 overwrites the anonymized attributes: network, geo, device, ids (§4.1 rule 1)."""
        put_device_and_network(s.attrs, hit)
        site.release_fingerprint(s)
        s.fingerprint = hit.fingerprint
        cookie_id = hex64(hit.cookie_visitor_id)
        if cookie_id is not None:
            s.attrs["cookie_id"] = cookie_id
        forced = hex64(hit.forced_visitor_id or hit.cookie_visitor_id)
        if forced is not None and not s.user_id:
            s.attrs["visitor_id"] = forced
        site.claim(s)

    def _record(self, s: SessionState, hit: Hit, app: AppSettings) -> list[dict[str, Any]]:
        """Build the hit's row and its automatic goal rows, and account them in the session."""
        t = hit.event_type
        row = event_row(hit, app, s.session_id)
        if hit.user_id:
            s.attrs["user_id"] = hit.user_id  # last non-empty value (§1.1)
        if hit.dimensions or hit.visit_custom_variables:
            update_session_custom(s.attrs, hit, app)
        url, title = hit.event_url, hit.event_title
        if t == PAGE_VIEW:
            row["page_view_index"] = min(s.n_page_views, _U16)
            row["is_entry"] = 1 if s.n_page_views == 0 else 0
            if hit.ecommerce_view is not None:  # Matomo setEcommerceView (§4.1 rule 15 [P])
                s.product_view = True
        elif not url or not title:
            # [P] §1.7: an event without url/title takes those of the page view it belongs to
            page_url, page_title = s.page_of(hit.pv_id)
            url = url or page_url
            title = title or page_title
        row["event_url"] = url
        row["event_title"] = title
        _append(s, row)
        rows = [row]
        if t == ORDER:
            self._remember_order(hit.website_id, hit.order_id)
            self._visitors.order_placed(hit.website_id, s.attrs["visitor_id"], hit.timestamp)
        goals = triggered_goals(app, row, hit.matched_goals, s.goals)
        for k, goal in enumerate(goals[:_MAX_GENERATED], start=1):
            conversion = derived_row(row, (hit.seq << 4) | k, GOAL_CONVERSION)
            conversion["goal_id"] = goal.id
            conversion["goal_revenue"] = goal.revenue
            _append(s, conversion)
            rows.append(conversion)
        return rows

    def _remember_order(self, website_id: str, order_id: str) -> None:
        """Add to the bounded set of seen orders, forgetting the oldest beyond its capacity."""
        if not order_id:
            return
        self._orders[(website_id, order_id)] = None
        if len(self._orders) > self._order_memory:
            del self._orders[next(iter(self._orders))]

    def drain_dirty(self, max_staleness: float = 0.0) -> list[dict[str, Any]]:
        """Session rows of the sessions changed since the last drain, each at a new version.

        With `max_staleness` > 0, a session whose row was emitted less than that many seconds ago
        (processing clock) stays dirty for a later drain. why: under load every flush would
        otherwise rewrite every active session (0.85 session upserts per event measured); a new
        session is always emitted at once, so its events never lack a session row, and restore
        rebuilds counters from the stored events, so a row that lags its events is harmless.
        """
        rows = []
        if max_staleness <= 0:
            emit = list(self._dirty.values())
            self._dirty.clear()
        else:
            cutoff = self._clock() - max_staleness
            emit = [s for s in self._dirty.values() if s.written == 0.0 or s.written <= cutoff]
            for s in emit:
                del self._dirty[s.session_id]
        now = self._clock()
        for s in emit:
            s.version += 1
            s.written = now
            rows.append(s.session_row())
        return rows

    def expire(
        self, now: float, *, processing: bool = False
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Close sessions idle past their app's timeout: (abandoned-cart rows, final session rows).

        `now` is event time. With `processing=True` a session must also be untouched for its
        timeout on the processing clock: why: a log import replays hits whose event time is days
        old, and closing by event time alone would split every imported visit between two hits;
        the cap `max_open` still bounds memory. Only sessions changed since the last drain (or
        given an abandoned cart) get a final row.
        """
        events: list[dict[str, Any]] = []
        sessions: list[dict[str, Any]] = []
        idle = [s for s in self._open.values() if now - s.last > s.app.session_timeout_seconds]
        if processing:
            clock = self._clock()
            ripe = [s for s in idle if clock - s.touched > s.app.session_timeout_seconds]
            excess = len(self._open) - len(ripe) - self._max_open
            if excess > 0:  # over the cap: close the least recently touched idle sessions too
                ripe_ids = {s.session_id for s in ripe}
                rest = sorted(
                    (s for s in idle if s.session_id not in ripe_ids), key=lambda s: s.touched
                )
                ripe.extend(rest[:excess])
            idle = ripe
        for s in idle:
            del self._open[s.session_id]
            self._sites[s.website_id].release(s)
            if s.cart_abandoned():
                events.append(_abandoned_cart(s))
                self._dirty[s.session_id] = s
            if self._dirty.pop(s.session_id, None) is not None:
                s.version += 1
                sessions.append(s.session_row())
        return events, sessions

    def restore(
        self, session_row: dict[str, Any], event_rows: list[dict[str, Any]], app: AppSettings
    ) -> None:
        """Rebuild an open session from its stored rows; versions continue from the row's."""
        s = SessionState.from_row(session_row, app)
        stored = [stored_row(r, EVENT_COLUMNS) for r in event_rows]
        for row in sorted(stored, key=lambda r: int(r["event_index"])):
            s.observe(row)
            if row["event_type"] == ORDER:
                self._remember_order(s.website_id, row["order_id"])
        s.cookie_keys = restored_cookie_keys(session_row)
        s.touched = s.written = self._clock()
        self._open[s.session_id] = s
        # why: the stored row may lag its events (drain_dirty max_staleness); rewrite it from
        # the counters just rebuilt from the events
        self._dirty[s.session_id] = s
        site = self._sites.get(s.website_id)
        if site is None:
            site = self._sites[s.website_id] = SiteIndex()
        site.claim(s)


def _verdict(s: SessionState, hit: Hit, app: AppSettings) -> int | Reason:
    """Join the matched session, start a new one, or drop the hit (DATA-MODEL §5.1)."""
    ping = hit.event_type in PING_EVENT_TYPES
    ts = hit.timestamp
    timeout = app.session_timeout_seconds
    # rule 1, in event time; [P] a late hit joins when within the timeout of the session's span
    if ts - s.last > timeout or s.start - ts > timeout:
        return _NEW
    if hit.new_visit and not ping:  # rule 2
        return _NEW
    if hit.user_id and s.user_id and hit.user_id != s.user_id:  # rule 5
        return _NEW
    if not ping and _acquisition_changed(s, hit, app):  # rules 3 and 4
        return _NEW
    if ts - s.start > app.session_max_duration_seconds or s.n_rows >= app.session_max_event_count:
        if app.session_limit_exceeded_action == "just_split" and not ping:  # rule 6
            return _NEW
        return Reason.SESSION_LIMIT
    return _JOIN


def _acquisition_changed(s: SessionState, hit: Hit, app: AppSettings) -> bool:
    """Campaign change (rule 3) or, when enabled, an external website referrer change (rule 4)."""
    a = s.attrs
    if app.create_new_visit_when_campaign_changes and hit.has_campaign:
        if a["referrer_type"] != hit.referrer_type:
            return True
        return bool(a["campaign_name"].casefold() != hit.campaign_name.casefold())
    if app.create_new_visit_when_website_referrer_changes and hit.referrer_type == 3:
        return a["referrer_type"] != 3 or bool(a["source"].casefold() != hit.source.casefold())
    return False


def _repeated_goal(s: SessionState, hit: Hit, app: AppSettings) -> bool:
    """A manual conversion of a goal the session already converted, without allow_multiple."""
    goal = find_goal(app, hit.goal_id)
    return goal is not None and not goal.allow_multiple and goal.id in s.goals


def _append(s: SessionState, row: dict[str, Any]) -> None:
    """Give a row its position in the session (index, previous page) and account it."""
    row["event_index"] = min(s.n_rows, _U16)
    row["previous_event_url"] = s.exit_url  # most recent page view strictly before (§1.7 [P])
    row["previous_event_title"] = s.exit_title
    s.observe(row)


def _abandoned_cart(s: SessionState) -> dict[str, Any]:
    """The type-10 row of a cart left after the last order, at close time (DATA-MODEL §4.2)."""
    assert s.cart is not None
    cart = dict(zip(CART_KEYS, s.cart, strict=True))
    row = derived_row(cart, cart["event_id"] | 15, ABANDONED_CART)
    row["lost_revenue"] = cart["cart_amount"]
    row["ecommerce_items"] = cart["ecommerce_items"]
    row["item_count"] = cart["item_count"]
    _append(s, row)
    return row
