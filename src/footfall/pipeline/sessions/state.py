"""SessionState: the in-memory state of one open session and its session row (DATA-MODEL §1.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from typing import Any

from footfall.model.columns import (
    ABANDONED_CART,
    CART_UPDATE,
    COUNTED_EVENT_TYPES,
    GOAL_CONVERSION,
    ORDER,
    PAGE_VIEW,
    PRODUCT_DETAIL_VIEW,
    SESSION_COLUMNS,
    Column,
)
from footfall.model.settings import AppSettings

_U16 = 65535
_COUNTED = tuple(t in COUNTED_EVENT_TYPES for t in range(32))
_NO_GOALS: frozenset[int] = frozenset()
#: event type → its distinct key for session_unique_* (DATA-MODEL §1.2 [P] keys)
_UNIQUE_KEYS: dict[int, Callable[[dict[str, Any]], Any]] = {
    2: itemgetter("outlink_url"),
    3: itemgetter("download_url"),
    4: itemgetter("search_keyword"),
    5: itemgetter("custom_event_category", "custom_event_action", "custom_event_name"),
    6: itemgetter("content_name", "content_piece"),
    7: itemgetter("content_name", "content_piece"),
}
_UNIQUES = (
    (2, "session_unique_outlinks"),
    (3, "session_unique_downloads"),
    (4, "session_unique_searches"),
    (5, "session_unique_custom_events"),
    (6, "session_unique_content_impressions"),
    (7, "session_unique_content_interactions"),
)
#: event type → its session_total_* column (DATA-MODEL §1.2)
_TOTALS = (
    (1, "session_total_page_views"),
    (2, "session_total_outlinks"),
    (3, "session_total_downloads"),
    (4, "session_total_site_searches"),
    (5, "session_total_custom_events"),
    (6, "session_total_content_impressions"),
    (7, "session_total_content_interactions"),
    (8, "session_total_goal_conversions"),
    (9, "session_total_ecommerce_conversions"),
)
#: the cart-update columns an abandoned cart row repeats (DATA-MODEL §4.2)
CART_KEYS = (
    "website_id",
    "session_id",
    "event_id",
    "timestamp",
    "local_time",
    "event_url",
    "event_title",
    "pv_id",
    "cart_amount",
    "ecommerce_items",
    "item_count",
)


def stored_row(row: dict[str, Any], columns: tuple[Column, ...]) -> dict[str, Any]:
    """A row read back from a store, in the pipeline's own value types (restore).

    why: a store may hand back TIMESTAMP as datetime and UUID as uuid.UUID; the sessionizer
    compares unix seconds and keys websites by their id string.
    """
    out = {c.name: row.get(c.name, c.default) for c in columns}
    for key in ("timestamp", "last_event_time"):
        value = out.get(key)
        if isinstance(value, datetime):
            out[key] = value.timestamp()
    out["website_id"] = str(out["website_id"])
    return out


class SessionState:
    """One open session: attributes decided by its first hit, counters, paths and identity keys."""

    __slots__ = (
        "app",
        "attrs",
        "cart",
        "cart_index",
        "cookie_keys",
        "counts",
        "exit_title",
        "exit_url",
        "fingerprint",
        "goals",
        "last",
        "n_counted",
        "n_page_views",
        "n_rows",
        "order_index",
        "page_titles",
        "page_urls",
        "product_view",
        "session_id",
        "start",
        "touched",
        "u_page_views",
        "uniques",
        "user_id",
        "version",
        "website_id",
        "written",
    )

    def __init__(self, attrs: dict[str, Any], app: AppSettings, version: int = 0) -> None:
        self.attrs = attrs  # session columns not derived from the events (visitor, device, …)
        self.app = app  # latest settings seen: expiry uses its timeout
        self.version = version
        self.session_id: int = attrs["session_id"]
        self.website_id: str = attrs["website_id"]
        self.user_id: str = attrs["user_id"]
        self.fingerprint: int = attrs["browser_fingerprint"]
        self.cookie_keys: tuple[str, ...] = ()
        self.start: float = attrs["timestamp"]
        self.last: float = attrs["last_event_time"]
        self.touched = 0.0  # processing clock of the last hit (see Sessionizer.expire)
        self.written = 0.0  # processing clock of the last emitted row; 0 = never emitted
        self.n_rows = 0  # next event_index
        self.n_page_views = 0
        self.n_counted = 0
        # why: few GC-tracked containers per session. The cyclic GC's full passes visit every
        # one, which dominated the cost of opening a session; dicts of ints or strings are
        # untracked, lists, arrays and sets are not. Sets are created on first use.
        self.counts: dict[int, int] = {}  # event type → rows
        self.u_page_views: set[str] | None = None
        self.uniques: dict[int, set[Any]] | None = None  # other types → distinct keys (§1.2)
        self.goals: frozenset[int] = _NO_GOALS
        self.exit_url = ""
        self.exit_title = ""
        self.page_urls: dict[str, str] = {}  # pv_id → url of that page view
        self.page_titles: dict[str, str] = {}
        self.order_index = -1
        self.cart: tuple[Any, ...] | None = None  # CART_KEYS values of the last cart update
        self.cart_index = -1
        self.product_view = False

    def page_of(self, pv_id: str) -> tuple[str, str]:
        """URL and title of the page view an event belongs to: by pv_id, else the last one (§1.7)."""
        if pv_id:
            url = self.page_urls.get(pv_id)
            if url is not None:
                return url, self.page_titles[pv_id]
        return self.exit_url, self.exit_title

    def observe(self, row: dict[str, Any]) -> None:
        """Account one stored event row (also used by restore, so both paths agree)."""
        t: int = row["event_type"]
        ts: float = row["timestamp"]
        self.counts[t] = self.counts.get(t, 0) + 1
        if _COUNTED[t]:
            self.n_counted += 1
        if ts < self.start:  # out-of-order hit (bulk import): keep first/last event times
            self.start = ts
        if ts > self.last:
            self.last = ts
        if t == PAGE_VIEW:
            self._page_view(row)
        elif t in _UNIQUE_KEYS:
            self._unique(t, _UNIQUE_KEYS[t](row))
        elif t == GOAL_CONVERSION and row["goal_id"] is not None:
            self.goals = self.goals | {row["goal_id"]}
        elif t == ORDER:
            self.order_index = self.n_rows
        elif t == CART_UPDATE:
            self.cart = tuple(row[k] for k in CART_KEYS)
            self.cart_index = self.n_rows
        elif t == PRODUCT_DETAIL_VIEW:
            self.product_view = True
        self.n_rows += 1

    def _page_view(self, row: dict[str, Any]) -> None:
        """Entry, second and exit page, unique page views, the pv_id map (§1.2, §5.3)."""
        url: str = row["event_url"]
        title: str = row["event_title"]
        if self.n_page_views == 0:
            self.attrs["session_entry_url"] = url
            self.attrs["session_entry_title"] = title
        elif self.n_page_views == 1:
            self.attrs["session_second_url"] = url
            self.attrs["session_second_title"] = title
        self.n_page_views += 1
        self.exit_url = url
        self.exit_title = title
        if self.u_page_views is None:
            self.u_page_views = {url}
        else:
            self.u_page_views.add(url)
        if row["pv_id"]:
            self.page_urls[row["pv_id"]] = url
            self.page_titles[row["pv_id"]] = title

    def _unique(self, t: int, key: Any) -> None:
        """Remember a distinct key of an event type (sets are created on first use)."""
        sets = self.uniques
        if sets is None:
            sets = self.uniques = {}
        seen = sets.get(t)
        if seen is None:
            sets[t] = {key}
        else:
            seen.add(key)

    def cart_abandoned(self) -> bool:
        """True when the last cart update came after the last order, or no order came (§4.2)."""
        return self.cart is not None and self.cart_index > self.order_index

    def ecommerce_status(self) -> int:
        """session_ecommerce_status by the precedence of DATA-MODEL §1.2 [P]."""
        ordered = ORDER in self.counts
        abandoned = ABANDONED_CART in self.counts
        if ordered:
            return 3 if abandoned else 1
        if abandoned:
            return 2
        return 4 if self.product_view else 0

    def session_row(self) -> dict[str, Any]:
        """The complete session row at the current version."""
        r = self.attrs.copy()
        c = self.counts
        r["session_version"] = self.version
        r["timestamp"] = self.start
        r["last_event_time"] = self.last
        r["session_total_time"] = int(self.last - self.start)
        r["session_total_events"] = min(self.n_counted, _U16)
        for t, column in _TOTALS:
            r[column] = min(c.get(t, 0), _U16)
        r["session_total_abandoned_carts"] = 1 if ABANDONED_CART in c else 0
        pages = self.u_page_views
        r["session_unique_page_views"] = 0 if pages is None else min(len(pages), _U16)
        sets = self.uniques or {}
        for t, column in _UNIQUES:
            seen = sets.get(t)
            r[column] = 0 if seen is None else min(len(seen), _U16)
        r["session_goals"] = sorted(self.goals)
        r["session_ecommerce_status"] = self.ecommerce_status()
        r["session_exit_url"] = self.exit_url
        r["session_exit_title"] = self.exit_title
        # why: the help center's bounce, not DBG's "only one event" (DATA-MODEL §1.2)
        bounce = self.n_page_views == 1 and GOAL_CONVERSION not in c and ORDER not in c
        r["is_bounce"] = 1 if bounce else 0
        return r

    @classmethod
    def from_row(cls, row: dict[str, Any], app: AppSettings) -> SessionState:
        """State of a stored session before its events are observed again (restore)."""
        attrs = stored_row(row, SESSION_COLUMNS)
        del attrs["session_goals"]  # derived from the events; a list would make attrs GC-tracked
        state = cls(attrs, app, int(row.get("session_version", 0)))
        # why: a Matomo ecommerce-view page view leaves no trace in its event row (§4.1 rule 15)
        state.product_view = row.get("session_ecommerce_status") == 4
        return state
