"""The stored columns of the two event-store tables, `sessions` and `events` (DATA-MODEL.md §0, §1).

Column names are the Piwik PRO column IDs of seed 001 §1.1, plus the few extra columns of
DATA-MODEL §0. Types are DuckDB types; each store dialect maps them. The pipeline produces rows as
dicts keyed by these names; a key that is missing takes the column's default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: custom dimension and custom variable slots per scope (DATA-MODEL §1.6)
CUSTOM_SLOTS = 5
#: event (page-scope) custom variable slots: 10, Piwik PRO's current standard (DATA-MODEL §1.6:
#: "slots beyond 5 are added by migration"); 6..10 came with migration 0002 and hold Pirsch tags
#: when the hit is a Pirsch one (its event metadata keeps 1..5), so the two never share a slot
EVENT_VARIABLE_SLOTS = 10


@dataclass(frozen=True, slots=True)
class Column:
    """One stored column: name, DuckDB type, nullability and the default of a missing value."""

    name: str
    type: str
    nullable: bool = False
    default: Any = None

    def __post_init__(self) -> None:
        if self.default is None and not self.nullable:
            object.__setattr__(self, "default", _ZERO.get(self.type, 0))


_ZERO: dict[str, Any] = {"VARCHAR": "", "INTEGER[]": [], "UUID": "", "TIMESTAMP": 0.0}


def _s(name: str) -> Column:
    """Non-nullable VARCHAR with default ''."""
    return Column(name, "VARCHAR")


def _sn(name: str) -> Column:
    """Nullable VARCHAR."""
    return Column(name, "VARCHAR", nullable=True)


def _n(name: str, type_: str) -> Column:
    """Nullable number."""
    return Column(name, type_, nullable=True)


def _u8(name: str) -> Column:
    return Column(name, "UTINYINT")


def _u16(name: str) -> Column:
    return Column(name, "USMALLINT")


_PLUGINS = (
    "pdf",
    "flash",
    "java",
    "director",
    "quicktime",
    "realplayer",
    "windowsmedia",
    "gears",
    "silverlight",
    "cookie",
)
_COUNTED_KINDS = (
    "events",
    "page_views",
    "outlinks",
    "downloads",
    "site_searches",
    "custom_events",
    "content_impressions",
    "content_interactions",
    "goal_conversions",
    "ecommerce_conversions",
    "abandoned_carts",
)
_UNIQUE_KINDS = (
    "page_views",
    "outlinks",
    "downloads",
    "searches",
    "custom_events",
    "content_impressions",
    "content_interactions",
)
CONSENT_TYPES = (
    "analytics",
    "ab_testing_personalization",
    "conversion_tracking",
    "marketing_automation",
    "remarketing",
    "user_feedback",
    "custom_1",
)

SESSION_COLUMNS: tuple[Column, ...] = (
    Column("website_id", "UUID"),
    Column("session_id", "UBIGINT"),
    Column("session_version", "UBIGINT"),
    Column("timestamp", "TIMESTAMP"),
    Column("last_event_time", "TIMESTAMP"),
    Column("local_time", "TIME", nullable=True),
    # visitor and identity (§1.1)
    Column("visitor_id", "UBIGINT"),
    _s("user_id"),
    Column("cookie_id", "UBIGINT"),
    _u8("visitor_returning"),
    Column("visitor_session_number", "USMALLINT", default=1),
    _n("visitor_days_since_last_session", "USMALLINT"),
    _n("visitor_days_since_first_session", "USMALLINT"),
    _n("visitor_days_since_order", "USMALLINT"),
    # counters and paths (§1.2)
    *(_u16(f"session_total_{k}") for k in _COUNTED_KINDS if k != "abandoned_carts"),
    Column("session_total_time", "UINTEGER"),
    _u16("session_total_abandoned_carts"),
    *(_u16(f"session_unique_{k}") for k in _UNIQUE_KINDS),
    Column("session_goals", "INTEGER[]"),
    _u8("session_ecommerce_status"),
    _s("session_entry_url"),
    _s("session_entry_title"),
    _s("session_second_url"),
    _s("session_second_title"),
    _s("session_exit_url"),
    _s("session_exit_title"),
    _u8("is_bounce"),
    # acquisition (§1.3)
    Column("referrer_type", "UTINYINT", default=1),
    _s("source"),
    _s("medium"),
    _s("source_medium"),
    _s("keyword"),
    _s("referrer_url"),
    _s("campaign_name"),
    _s("campaign_id"),
    _s("campaign_content"),
    _sn("campaign_gclid"),
    # device and browser (§1.4)
    _sn("operating_system"),
    _s("operating_system_version"),
    _s("browser_engine"),
    _sn("browser_name"),
    _s("browser_version"),
    _sn("browser_language_iso639"),
    Column("browser_fingerprint", "UBIGINT"),
    _n("device_type", "UTINYINT"),
    _sn("device_brand"),
    _s("device_model"),
    _sn("resolution"),
    _n("resolution_width", "USMALLINT"),
    _n("resolution_height", "USMALLINT"),
    *(_u8(f"plugin_{p}") for p in _PLUGINS),
    # location and network (§1.5)
    _sn("location_continent_iso_code"),
    _sn("location_country_name"),
    _sn("location_subdivision_1_name"),
    _sn("location_subdivision_2_name"),
    _sn("location_city_name"),
    _n("location_city_geoname_id", "UINTEGER"),
    _sn("location_metro_code"),
    _n("location_latitude", "DOUBLE"),
    _n("location_longitude", "DOUBLE"),
    _s("location_provider"),
    _s("location_organization"),
    _sn("ipv4_address"),
    _sn("ipv6_address"),
    # custom dimensions and variables (§1.6)
    *(_s(f"session_custom_dimension_{k}") for k in range(1, CUSTOM_SLOTS + 1)),
    *(
        c
        for k in range(1, CUSTOM_SLOTS + 1)
        for c in (_s(f"session_custom_variable_key_{k}"), _s(f"session_custom_variable_value_{k}"))
    ),
    # extras (§0)
    _u8("is_anonymous"),
    _s("tracking_source"),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("website_id", "UUID"),
    Column("event_id", "UBIGINT"),
    Column("session_id", "UBIGINT"),
    Column("timestamp", "TIMESTAMP"),
    Column("local_time", "TIME", nullable=True),
    Column("event_type", "UTINYINT", default=1),
    _u16("event_index"),
    _n("page_view_index", "USMALLINT"),
    _u8("is_entry"),
    _s("event_url"),
    _s("event_title"),
    _s("outlink_url"),
    _s("download_url"),
    _s("search_keyword"),
    _s("search_category"),
    _n("search_results_count", "USMALLINT"),
    _s("custom_event_category"),
    _s("custom_event_action"),
    _s("custom_event_name"),
    _n("custom_event_value", "DOUBLE"),
    _s("content_name"),
    _s("content_piece"),
    _s("content_target"),
    _s("content_interaction"),
    _s("previous_event_url"),
    _s("previous_event_title"),
    _n("page_generation_time", "DOUBLE"),
    _n("goal_id", "INTEGER"),
    _n("goal_revenue", "DOUBLE"),
    _n("lost_revenue", "DOUBLE"),
    _s("order_id"),
    _n("item_count", "USMALLINT"),
    _n("revenue", "DOUBLE"),
    _n("revenue_subtotal", "DOUBLE"),
    _n("revenue_tax", "DOUBLE"),
    _n("revenue_shipping", "DOUBLE"),
    _n("revenue_discount", "DOUBLE"),
    _n("cart_amount", "DOUBLE"),
    _sn("ecommerce_items"),  # JSON text: [[sku, name, category, price, quantity], ...]
    _n("timing_dom_interactive", "UINTEGER"),
    _n("timing_event_end", "UINTEGER"),
    _n("redirections_time", "USMALLINT"),
    _n("domain_lookup_time", "USMALLINT"),
    _n("server_connection_time", "USMALLINT"),
    _n("server_response_time", "USMALLINT"),
    _n("page_rendering_time", "UINTEGER"),
    _n("consent_source", "UTINYINT"),
    _n("consent_form_button", "UTINYINT"),
    _n("consent_scope", "UTINYINT"),
    _n("consent_action", "UTINYINT"),
    *(_n(f"consent_type_{t}", "UTINYINT") for t in CONSENT_TYPES),
    *(_s(f"event_custom_dimension_{k}") for k in range(1, CUSTOM_SLOTS + 1)),
    *(
        c
        for k in range(1, CUSTOM_SLOTS + 1)
        for c in (_s(f"event_custom_variable_key_{k}"), _s(f"event_custom_variable_value_{k}"))
    ),
    _s("pv_id"),
    # migration 0002 appended these (ALTER TABLE adds at the end)
    *(
        c
        for k in range(CUSTOM_SLOTS + 1, EVENT_VARIABLE_SLOTS + 1)
        for c in (_s(f"event_custom_variable_key_{k}"), _s(f"event_custom_variable_value_{k}"))
    ),
)

SESSION_COLUMN_NAMES = tuple(c.name for c in SESSION_COLUMNS)
EVENT_COLUMN_NAMES = tuple(c.name for c in EVENT_COLUMNS)

#: event types (DATA-MODEL §2)
PAGE_VIEW, OUTLINK, DOWNLOAD, SEARCH, CUSTOM_EVENT = 1, 2, 3, 4, 5
CONTENT_IMPRESSION, CONTENT_INTERACTION, GOAL_CONVERSION, ORDER, ABANDONED_CART = 6, 7, 8, 9, 10
CONSENT_FORM_IMPRESSION, CONSENT_FORM_CLICK, CONSENT_DECISION, CUSTOM_PING = 12, 13, 14, 15
CART_UPDATE, HEARTBEAT, DEANONYMIZATION, PAGE_PERFORMANCE = 16, 19, 20, 21
PRODUCT_DETAIL_VIEW, ADD_TO_CART, REMOVE_FROM_CART = 22, 23, 24

#: event types counted in session_total_events (DATA-MODEL §3.1 COUNTED)
COUNTED_EVENT_TYPES = frozenset(range(1, 25)) - {10, 11, 15, 17, 18, 19, 20, 21}
#: types that never open a session (pings, deanonymization)
PING_EVENT_TYPES = frozenset({CUSTOM_PING, HEARTBEAT, DEANONYMIZATION, PAGE_PERFORMANCE})


def row_defaults(columns: tuple[Column, ...]) -> dict[str, Any]:
    """A fresh row dict with every column at its default (lists copied)."""
    return {
        c.name: (list(c.default) if isinstance(c.default, list) else c.default) for c in columns
    }
