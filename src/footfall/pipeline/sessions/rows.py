"""Row building: event rows from hits (DATA-MODEL §1.7) and session attributes from a first hit."""

from __future__ import annotations

import re
from typing import Any

import orjson

from footfall.model.columns import (
    CONSENT_DECISION,
    CONSENT_FORM_CLICK,
    CONSENT_FORM_IMPRESSION,
    CONTENT_IMPRESSION,
    CONTENT_INTERACTION,
    CUSTOM_EVENT,
    CUSTOM_SLOTS,
    DOWNLOAD,
    EVENT_COLUMN_NAMES,
    EVENT_COLUMNS,
    EVENT_VARIABLE_SLOTS,
    SESSION_COLUMNS,
    row_defaults,
)
from footfall.model.hit import EcommerceItem, Hit
from footfall.model.settings import AppSettings

from .goals import find_goal
from .timings import timing_columns

_EVENT_TEMPLATE = row_defaults(EVENT_COLUMNS)
_SESSION_TEMPLATE = row_defaults(SESSION_COLUMNS)
del _SESSION_TEMPLATE["session_goals"]  # atomic values only: copies stay untracked by the GC
_CONSENT_KEYS = frozenset(k for k in EVENT_COLUMN_NAMES if k.startswith("consent_"))
_CUSTOM_EVENT_TYPES = frozenset(
    {CUSTOM_EVENT, CONSENT_FORM_IMPRESSION, CONSENT_FORM_CLICK, CONSENT_DECISION}
)
_CONTENT_TYPES = frozenset({CONTENT_IMPRESSION, CONTENT_INTERACTION})
_U16 = 65535
_LOCAL_TIMES: dict[tuple[int, int, int], str] = {}
_RESOLUTION = re.compile(r"\s*(\d{1,5})\s*[xX×*]\s*(\d{1,5})\s*")
#: hit.plugins key → plugin_* column (seed 000 parameter names, DATA-MODEL §1.4)
_PLUGINS = (
    ("pdf", "plugin_pdf"),
    ("fla", "plugin_flash"),
    ("java", "plugin_java"),
    ("dir", "plugin_director"),
    ("qt", "plugin_quicktime"),
    ("realp", "plugin_realplayer"),
    ("wma", "plugin_windowsmedia"),
    ("gears", "plugin_gears"),
    ("ag", "plugin_silverlight"),
    ("cookie", "plugin_cookie"),
)


def local_time(value: tuple[int, int, int] | None) -> str | None:
    """`h`/`m`/`s` of the request as "HH:MM:SS"; None when absent or out of range."""
    if value is None:
        return None
    text = _LOCAL_TIMES.get(value)
    if text is None:
        h, m, s = value
        if not (0 <= h < 24 and 0 <= m < 60 and 0 <= s < 60):
            return None
        text = _LOCAL_TIMES[value] = f"{h:02d}:{m:02d}:{s:02d}"  # ≤ 86,400 valid keys
    return text


def items_json(items: list[EcommerceItem]) -> str:
    """`ecommerce_items` JSON text: [[sku, name, category, price, quantity], ...] (§0)."""
    return orjson.dumps([[i.sku, i.name, i.category, i.price, i.quantity] for i in items]).decode()


def event_row(hit: Hit, app: AppSettings, session_id: int) -> dict[str, Any]:
    """The event row of a hit, without its position fields (index, url fallback, previous_*)."""
    r = _EVENT_TEMPLATE.copy()
    t = hit.event_type
    r["website_id"] = hit.website_id
    r["event_id"] = hit.seq << 4  # k = 0: the hit's own row (replays give the same id)
    r["session_id"] = session_id
    r["timestamp"] = hit.timestamp
    r["event_type"] = t
    r["pv_id"] = hit.pv_id
    if hit.local_time is not None:
        r["local_time"] = local_time(hit.local_time)
    if hit.generation_time_ms is not None and hit.generation_time_ms >= 0:
        r["page_generation_time"] = hit.generation_time_ms
    if t != 1:
        _action_columns(r, hit, t, app)
    if hit.has_ecommerce_items:
        r["ecommerce_items"] = items_json(hit.ecommerce_items)
        if t in (9, 10, 16):
            r["item_count"] = min(len(hit.ecommerce_items), _U16)
    if hit.timings:
        r.update(timing_columns(hit.timings))
    if hit.consent:
        for key, value in hit.consent.items():
            if key in _CONSENT_KEYS:
                r[key] = value
    if hit.dimensions:
        _event_dimensions(r, hit, app)
    for index, (name, text) in hit.page_custom_variables.items():
        if 1 <= index <= EVENT_VARIABLE_SLOTS:
            r[f"event_custom_variable_key_{index}"] = name
            r[f"event_custom_variable_value_{index}"] = text
    return r


def _action_columns(r: dict[str, Any], hit: Hit, t: int, app: AppSettings) -> None:
    """Type-specific columns: only the columns of the hit's own event type are filled (§1.7)."""
    if t == 2:
        r["outlink_url"] = hit.outlink_url
    elif t == DOWNLOAD:
        r["download_url"] = hit.download_url
    elif t == 4:
        r["search_keyword"] = hit.search_keyword
        r["search_category"] = hit.search_category
        if hit.search_count is not None:  # USMALLINT: saturate (DATA-MODEL §1.7)
            r["search_results_count"] = min(max(hit.search_count, 0), _U16)
    elif t in _CUSTOM_EVENT_TYPES:
        # why: consent events keep e_c/e_a/e_n in the custom event columns (§4.3)
        r["custom_event_category"] = hit.event_category
        r["custom_event_action"] = hit.event_action
        r["custom_event_name"] = hit.event_name
        r["custom_event_value"] = hit.event_value
    elif t in _CONTENT_TYPES:
        r["content_name"] = hit.content_name
        r["content_piece"] = hit.content_piece
        r["content_target"] = hit.content_target
        r["content_interaction"] = hit.content_interaction
    elif t == 9:
        r["order_id"] = hit.order_id
        r["revenue"] = hit.revenue  # why: only orders fill `revenue` (§1.7 [P])
        r["revenue_subtotal"] = hit.revenue_subtotal
        r["revenue_tax"] = hit.revenue_tax
        r["revenue_shipping"] = hit.revenue_shipping
        r["revenue_discount"] = hit.revenue_discount
    elif t == 16:
        r["cart_amount"] = hit.revenue
    elif t == 8:  # manual conversion (idgoal): the request's revenue, else the goal's (§1.7)
        goal = find_goal(app, hit.goal_id)
        r["goal_id"] = hit.goal_id
        fallback = None if goal is None else goal.revenue
        r["goal_revenue"] = hit.revenue if hit.revenue is not None else fallback


def _event_dimensions(r: dict[str, Any], hit: Hit, app: AppSettings) -> None:
    """Event-scope `dimensionN` values into their slots (DATA-MODEL §1.6)."""
    for tracking_id, value in hit.dimensions.items():
        spec = app.custom_dimensions.get(tracking_id)
        if spec is not None and spec[0] == "event" and 1 <= spec[1] <= CUSTOM_SLOTS:
            r[f"event_custom_dimension_{spec[1]}"] = value


def derived_row(source: dict[str, Any], event_id: int, event_type: int) -> dict[str, Any]:
    """A pipeline-generated row (goal conversion, abandoned cart) placed on its source's page."""
    r = _EVENT_TEMPLATE.copy()
    for key in ("website_id", "session_id", "timestamp", "event_url", "event_title", "pv_id"):
        r[key] = source[key]
    r["local_time"] = source["local_time"]
    r["event_id"] = event_id
    r["event_type"] = event_type
    return r


def resolution(value: str) -> tuple[str | None, int | None, int | None]:
    """`res` normalized to "WxH" with width and height; Nones when absent or unparsable (§1.4)."""
    m = _RESOLUTION.fullmatch(value) if value else None
    if m is None:
        return None, None, None
    w, h = int(m.group(1)), int(m.group(2))
    if w > _U16 or h > _U16:
        return None, None, None
    return f"{w}x{h}", w, h


def put_device_and_network(cols: dict[str, Any], hit: Hit) -> None:
    """Device, geo and network columns of a hit: set by the first hit, overwritten by type 20."""
    res, width, height = resolution(hit.resolution)
    cols["operating_system"] = hit.operating_system
    cols["operating_system_version"] = hit.operating_system_version
    cols["browser_engine"] = hit.browser_engine
    cols["browser_name"] = hit.browser_name
    cols["browser_version"] = hit.browser_version
    cols["browser_language_iso639"] = hit.browser_language
    cols["browser_fingerprint"] = hit.fingerprint
    cols["device_type"] = hit.device_type
    cols["device_brand"] = hit.device_brand
    cols["device_model"] = hit.device_model
    cols["resolution"] = res
    cols["resolution_width"] = width
    cols["resolution_height"] = height
    cols["location_continent_iso_code"] = hit.continent
    cols["location_country_name"] = hit.country
    cols["location_subdivision_1_name"] = hit.subdivision_1
    cols["location_subdivision_2_name"] = hit.subdivision_2
    cols["location_city_name"] = hit.city
    cols["location_city_geoname_id"] = hit.city_geoname_id
    cols["location_metro_code"] = hit.metro_code
    cols["location_latitude"] = hit.latitude
    cols["location_longitude"] = hit.longitude
    cols["location_provider"] = hit.provider
    cols["location_organization"] = hit.organization
    cols["ipv4_address"] = hit.ipv4_address
    cols["ipv6_address"] = hit.ipv6_address
    cols["is_anonymous"] = 1 if hit.is_anonymous else 0
    plugins = hit.plugins
    for key, column in _PLUGINS:
        cols[column] = 1 if plugins.get(key) else 0


def session_attrs(hit: Hit, session_id: int, visitor: dict[str, Any]) -> dict[str, Any]:
    """Every session column a first hit decides (§5.3 attribute source); counters come later."""
    a = _SESSION_TEMPLATE.copy()
    a["website_id"] = hit.website_id
    a["session_id"] = session_id
    a["timestamp"] = a["last_event_time"] = hit.timestamp
    a["local_time"] = local_time(hit.local_time)
    a.update(visitor)
    a["user_id"] = hit.user_id
    a["referrer_type"] = hit.referrer_type
    a["source"] = hit.source
    a["medium"] = hit.medium
    a["source_medium"] = f"{hit.source} / {hit.medium}"  # [P] format, DATA-MODEL §1.3
    a["keyword"] = hit.keyword
    a["referrer_url"] = hit.referrer_url
    a["campaign_name"] = hit.campaign_name
    a["campaign_id"] = hit.campaign_id
    a["campaign_content"] = hit.campaign_content
    a["campaign_gclid"] = hit.campaign_gclid
    a["tracking_source"] = hit.tracking_source
    put_device_and_network(a, hit)
    return a


def update_session_custom(attrs: dict[str, Any], hit: Hit, app: AppSettings) -> None:
    """Session custom dimensions (last non-empty value) and visit custom variables (§1.6)."""
    for tracking_id, value in hit.dimensions.items():
        spec = app.custom_dimensions.get(tracking_id)
        if value and spec is not None and spec[0] == "session" and 1 <= spec[1] <= CUSTOM_SLOTS:
            attrs[f"session_custom_dimension_{spec[1]}"] = value
    for index, (key, value) in hit.visit_custom_variables.items():
        if 1 <= index <= CUSTOM_SLOTS:
            attrs[f"session_custom_variable_key_{index}"] = key
            attrs[f"session_custom_variable_value_{index}"] = value
