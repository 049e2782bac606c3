"""Hit: one tracking request parsed into typed fields, then enriched by the pipeline steps.

Every protocol adapter (`collect/params.py` for Matomo/Piwik PRO, `collect/pirsch.py`) produces a
Hit; the pipeline steps fill the enrichment fields; the sessionizer turns it into rows. Field names
are domain names; the wire names live only in the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class EcommerceItem:
    """One product line of `ec_items` / `ec_products`."""

    sku: str = ""
    name: str = ""
    category: str = ""  # several categories are joined with "/"
    price: float = 0.0
    quantity: int = 1


@dataclass(slots=True)
class Hit:
    """A parsed tracking request (request part) plus what the pipeline derived (enrichment part)."""

    # --- origin ---
    website_id: str
    seq: int  #: spool sequence number
    received_at: float  #: unix seconds UTC
    timestamp: float  #: event time, unix seconds UTC (cdt or received_at)
    protocol: str = "matomo"
    ip: str = ""  #: full client IP (cip override applied); never stored as is
    user_agent: str = ""  #: ua override else header
    accept_language: str = ""  #: lang override else header
    headers: dict[str, str] = field(default_factory=dict)

    # --- identity (seed 000 "Optional User info") ---
    cookie_visitor_id: str = ""  #: _id, 16 lowercase hex or ""
    forced_visitor_id: str = ""  #: cid, 16 lowercase hex or ""
    user_id: str = ""  #: uid
    new_visit: bool = False
    visit_count: int | None = None  #: _idvc
    previous_visit_ts: int | None = None  #: _viewts (unix s)
    first_visit_ts: int | None = None  #: _idts (unix s)
    last_order_ts: int | None = None  #: _ects (unix s)
    is_anonymous: bool = False  #: uia=1
    dont_deanonymize: bool = False  #: dda=1
    remove_ip: bool = False  #: rmip=1

    # --- action ---
    url: str = ""  #: raw url as sent
    action_name: str = ""
    referrer_url: str = ""  #: urlref
    campaign_name_param: str = ""  #: _rcn
    campaign_keyword_param: str = ""  #: _rck
    outlink_url: str = ""  #: link
    download_url: str = ""  #: download
    search_keyword: str = ""  #: search
    search_category: str = ""  #: search_cat / search_cats[0]
    search_count: int | None = None
    goal_ref: str | None = None  #: idgoal as sent (int or UUID), None when absent
    revenue: float | None = None
    ecommerce_kind: str = (
        ""  #: e_t: order|cart-update|product-detail-view|add-to-cart|remove-from-cart
    )
    order_id: str = ""  #: ec_id
    ecommerce_items: list[EcommerceItem] = field(default_factory=list)
    has_ecommerce_items: bool = False  #: ec_items/ec_products was present (even empty)
    revenue_subtotal: float | None = None
    revenue_tax: float | None = None
    revenue_shipping: float | None = None
    revenue_discount: float | None = None
    event_category: str = ""  #: e_c
    event_action: str = ""  #: e_a
    event_name: str = ""  #: e_n
    event_value: float | None = None  #: e_v
    content_name: str = ""  #: c_n
    content_piece: str = ""  #: c_p
    content_target: str = ""  #: c_t
    content_interaction: str = ""  #: c_i
    ping: int | None = None  #: 1..6
    custom_action: bool = False  #: ca=1
    pv_id: str = ""
    generation_time_ms: float | None = None  #: gt_ms, else Matomo pf_srv
    timings: dict[str, int] = field(default_factory=dict)  #: t_* and pf_* as sent (ms)
    bandwidth_bytes: int | None = None  #: bw_bytes
    page_custom_variables: dict[int, tuple[str, str]] = field(default_factory=dict)  #: cvar
    visit_custom_variables: dict[int, tuple[str, str]] = field(default_factory=dict)  #: _cvar
    dimensions: dict[int, str] = field(default_factory=dict)  #: dimensionN
    ecommerce_view: tuple[str, str, str, float | None] | None = None  #: _pks/_pkn/_pkc/_pkp

    # --- device and environment ---
    resolution: str = ""  #: res as sent
    local_time: tuple[int, int, int] | None = None  #: h, m, s
    plugins: dict[str, bool] = field(
        default_factory=dict
    )  #: pdf, fla, java, dir, qt, realp, wma, gears, ag, cookie
    client_hints: dict[str, Any] = field(default_factory=dict)  #: uadata (Matomo) / sec-ch-*
    charset: str = ""  #: cs
    tracking_source: str = ""  #: ts_n + "/" + ts_v, or ts_n
    track_bots: bool = False  #: bots=1

    # --- location overrides (privileged on Matomo endpoints) ---
    country_override: str = ""
    region_override: str = ""
    city_override: str = ""
    latitude_override: float | None = None
    longitude_override: float | None = None

    # === enrichment, filled by pipeline steps ===
    event_type: int = 1  #: DATA-MODEL §4.1
    event_url: str = ""  #: normalized url
    event_title: str = ""
    # put_device
    operating_system: str | None = None
    operating_system_version: str = ""
    browser_name: str | None = None
    browser_version: str = ""
    browser_engine: str = ""
    device_type: int | None = None
    device_brand: str | None = None
    device_model: str = ""
    is_bot: bool = False
    browser_language: str | None = None
    # put_geo
    continent: str | None = None
    country: str | None = None
    subdivision_1: str | None = None
    subdivision_2: str | None = None
    city: str | None = None
    city_geoname_id: int = 0
    metro_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    provider: str = ""
    organization: str = ""
    # anonymize
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    fingerprint: int = 0  #: keyed 64-bit session hash (DATA-MODEL §5.2); unsigned
    # put_referrer / put_campaign
    referrer_type: int = 1
    source: str = "direct"
    medium: str = "direct"
    keyword: str = ""
    campaign_name: str = ""
    campaign_id: str = ""
    campaign_content: str = ""
    campaign_gclid: str | None = None
    has_campaign: bool = (
        False  #: the url carried campaign parameters (for the campaign-change rule)
    )
    # goals matched automatically (goal ids), filled by the goals step
    matched_goals: list[int] = field(default_factory=list)
    goal_id: int | None = None  #: resolved manual goal (type 8)
    #: consent columns of types 12-14 (DATA-MODEL §4.3), e.g. {"consent_source": 1}
    consent: dict[str, int] = field(default_factory=dict)
