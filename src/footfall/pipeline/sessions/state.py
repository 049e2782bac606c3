"""SessionState: the in-memory state of one open session and its session row (DATA-MODEL §1.2)."""

from __future__ import annotations

from datetime import datetime
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
        "page_views",
        "product_view",
        "session_id",
        "start",
        "u_content_impressions",
        "u_content_interactions",
        "u_custom_events",
        "u_downloads",
        "u_outlinks",
        "u_page_views",
        "u_searches",
        "user_id",
        "version",
        "website_id",
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
        self.n_rows = 0  # next event_index
        self.n_page_views = 0
        self.n_counted = 0
        self.counts = [0] * 32
        self.u_page_views: set[str] = set()
        self.u_outlinks: set[str] = set()
        self.u_downloads: set[str] = set()
        self.u_searches: set[str] = set()
        self.u_custom_events: set[tuple[str, str, str]] = set()
        self.u_content_impressions: set[tuple[str, str]] = set()
        self.u_content_interactions: set[tuple[str, str]] = set()
        self.goals: set[int] = set()
        self.exit_url = ""
        self.exit_title = ""
        self.page_views: dict[str, tuple[str, str]] = {}  # pv_id → (url, title)
        self.order_index = -1
        self.cart: tuple[Any, ...] | None = None  # CART_KEYS values of the last cart update
        self.cart_index = -1
        self.product_view = False

    def page_of(self, pv_id: str) -> tuple[str, str]:
        """URL and title of the page view an event belongs to: by pv_id, else the last one (§1.7)."""
        if pv_id:
            page = self.page_views.get(pv_id)
            if page is not None:
                return page
        return self.exit_url, self.exit_title

    def observe(self, row: dict[str, Any]) -> None:
        """Account one stored event row (also used by restore, so both paths agree)."""
        t: int = row["event_type"]
        ts: float = row["timestamp"]
        self.counts[t] += 1
        if _COUNTED[t]:
            self.n_counted += 1
        if ts < self.start:  # out-of-order hit (bulk import): keep first/last event times
            self.start = ts
        if ts > self.last:
            self.last = ts
        if t == PAGE_VIEW:
            self._page_view(row)
        elif t == 2:
            self.u_outlinks.add(row["outlink_url"])
        elif t == 3:
            self.u_downloads.add(row["download_url"])
        elif t == 4:
            self.u_searches.add(row["search_keyword"])
        elif t == 5:
            key = (row["custom_event_category"], row["custom_event_action"])
            self.u_custom_events.add((*key, row["custom_event_name"]))
        elif t == 6:
            self.u_content_impressions.add((row["content_name"], row["content_piece"]))
        elif t == 7:
            self.u_content_interactions.add((row["content_name"], row["content_piece"]))
        elif t == GOAL_CONVERSION and row["goal_id"] is not None:
            self.goals.add(row["goal_id"])
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
        self.u_page_views.add(url)
        if row["pv_id"]:
            self.page_views[row["pv_id"]] = (url, title)

    def cart_abandoned(self) -> bool:
        """True when the last cart update came after the last order, or no order came (§4.2)."""
        return self.cart is not None and self.cart_index > self.order_index

    def ecommerce_status(self) -> int:
        """session_ecommerce_status by the precedence of DATA-MODEL §1.2 [P]."""
        ordered = self.counts[ORDER] > 0
        abandoned = self.counts[ABANDONED_CART] > 0
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
            r[column] = min(c[t], _U16)
        r["session_total_abandoned_carts"] = min(c[ABANDONED_CART], 1)
        r["session_unique_page_views"] = min(len(self.u_page_views), _U16)
        r["session_unique_outlinks"] = min(len(self.u_outlinks), _U16)
        r["session_unique_downloads"] = min(len(self.u_downloads), _U16)
        r["session_unique_searches"] = min(len(self.u_searches), _U16)
        r["session_unique_custom_events"] = min(len(self.u_custom_events), _U16)
        r["session_unique_content_impressions"] = min(len(self.u_content_impressions), _U16)
        r["session_unique_content_interactions"] = min(len(self.u_content_interactions), _U16)
        r["session_goals"] = sorted(self.goals)
        r["session_ecommerce_status"] = self.ecommerce_status()
        r["session_exit_url"] = self.exit_url
        r["session_exit_title"] = self.exit_title
        # why: the help center's bounce, not DBG's "only one event" (DATA-MODEL §1.2)
        bounce = self.n_page_views == 1 and c[GOAL_CONVERSION] == 0 and c[ORDER] == 0
        r["is_bounce"] = 1 if bounce else 0
        return r

    @classmethod
    def from_row(cls, row: dict[str, Any], app: AppSettings) -> SessionState:
        """State of a stored session before its events are observed again (restore)."""
        attrs = stored_row(row, SESSION_COLUMNS)
        attrs["session_goals"] = []
        state = cls(attrs, app, int(row.get("session_version", 0)))
        # why: a Matomo ecommerce-view page view leaves no trace in its event row (§4.1 rule 15)
        state.product_view = row.get("session_ecommerce_status") == 4
        return state
