"""The parameter table of seed 000 (plus the ppms.php extras of api-notes §11): wire → `Hit`.

`parse_hit` is total: a malformed optional parameter is ignored on its own and never raises. The
few rules that reject a whole request (`rec`, `idsite`, `url`, authentication of privileged
parameters) are checked by the collector with `validate` before the request is acknowledged.
"""

from __future__ import annotations

from footfall.collect.structured import (
    ECOMMERCE_VIEW_KEYS,
    category_text,
    parse_client_hints,
    parse_custom_variables,
    parse_items,
    parse_search_cats,
)
from footfall.collect.validation import (
    BACKDATING_LIMIT_SECONDS,
    LOCATION_OVERRIDES,
    InvalidRequest,
    validate,
)
from footfall.collect.values import (
    is_flag,
    parse_cdt,
    parse_query,
    to_float,
    to_hex16,
    to_int,
    to_ip,
)
from footfall.model.hit import Hit
from footfall.model.record import RawRecord

__all__ = [
    "BACKDATING_LIMIT_SECONDS",
    "LOCATION_OVERRIDES",
    "PLUGIN_PARAMS",
    "InvalidRequest",
    "parse_hit",
    "parse_query",
    "validate",
]

#: Seed 000 "plugins used by the visitor", plus `cookie` (api-notes §11).
PLUGIN_PARAMS = ("pdf", "fla", "java", "dir", "qt", "realp", "wma", "gears", "ag", "cookie")
#: api-notes §11 `e_t` values (DATA-MODEL §4.1 rule 5).
ECOMMERCE_KINDS = frozenset(
    ("order", "cart-update", "product-detail-view", "add-to-cart", "remove-from-cart")
)
#: Matomo 4+ page performance parameters (ms), summed into DATA-MODEL §1.7 timing columns.
MATOMO_TIMINGS = frozenset(("pf_net", "pf_srv", "pf_tfr", "pf_dm1", "pf_dm2", "pf_onl"))
#: A cdt further ahead than this is a client clock error and is ignored (Matomo does the same).
FUTURE_TOLERANCE_SECONDS = 600.0
_MAX_TIMING_MS = 2**31 - 1
_MAX_TS = 2**32


def _text(p: dict[str, str], key: str) -> str:
    v = p.get(key)
    return v.strip() if v else ""


def parse_hit(record: RawRecord) -> Hit:
    """Turn a spooled request into a typed `Hit`; bad optional values are dropped one by one."""
    p = record.params
    hit = Hit(
        website_id=record.website_id,
        seq=record.seq,
        received_at=record.received_at,
        timestamp=_timestamp(p, record.received_at),
        protocol=record.protocol,
        ip=to_ip(p.get("cip")) or record.ip,
        user_agent=_text(p, "ua") or record.user_agent,
        accept_language=_text(p, "lang") or record.accept_language,
        headers=dict(record.headers),
    )
    _put_identity(hit, p)
    _put_action(hit, p)
    _put_event_and_content(hit, p)
    _put_ecommerce(hit, p)
    _put_prefixed(hit, p)
    _put_environment(hit, p, record.headers)
    _put_location(hit, p)
    return hit


def _timestamp(p: dict[str, str], received_at: float) -> float:
    cdt = parse_cdt(p.get("cdt"))
    if cdt is None or cdt > received_at + FUTURE_TOLERANCE_SECONDS:
        return received_at
    return cdt


def _put_identity(hit: Hit, p: dict[str, str]) -> None:
    """Seed 000 "Optional User info": visitor ids, visit counters, privacy flags."""
    hit.cookie_visitor_id = to_hex16(p.get("_id"))
    hit.forced_visitor_id = to_hex16(p.get("cid"))
    hit.user_id = _text(p, "uid")
    hit.new_visit = is_flag(p.get("new_visit"))
    hit.visit_count = to_int(p.get("_idvc"), 0, 1_000_000_000)
    hit.previous_visit_ts = to_int(p.get("_viewts"), 0, _MAX_TS)
    hit.first_visit_ts = to_int(p.get("_idts"), 0, _MAX_TS)
    hit.last_order_ts = to_int(p.get("_ects"), 0, _MAX_TS)
    hit.is_anonymous = is_flag(p.get("uia"))
    hit.dont_deanonymize = is_flag(p.get("dda"))
    hit.remove_ip = is_flag(p.get("rmip"))
    hit.visit_custom_variables = parse_custom_variables(p.get("_cvar"))


def _put_action(hit: Hit, p: dict[str, str]) -> None:
    """Seed 000 "Optional Action info": page view, outlink, download, site search, goal."""
    hit.url = _text(p, "url")
    hit.action_name = _text(p, "action_name")
    hit.referrer_url = _text(p, "urlref")
    hit.campaign_name_param = _text(p, "_rcn")
    hit.campaign_keyword_param = _text(p, "_rck")
    hit.outlink_url = _text(p, "link")
    hit.download_url = _text(p, "download")
    hit.search_keyword = _text(p, "search")
    hit.search_category = _text(p, "search_cat") or parse_search_cats(p.get("search_cats"))
    hit.search_count = to_int(p.get("search_count"), 0, 2**32 - 1)
    goal = _text(p, "idgoal")
    if goal and (to_int(goal, 0) is not None or _is_uuid(goal)):
        hit.goal_ref = goal.lower() if _is_uuid(goal) else str(to_int(goal))
    hit.revenue = to_float(p.get("revenue"))
    gt = to_float(p.get("gt_ms"), 0, _MAX_TIMING_MS)
    # why: Matomo 4+ dropped gt_ms for pf_srv (DATA-MODEL §1.7 page_generation_time).
    hit.generation_time_ms = gt if gt is not None else to_float(p.get("pf_srv"), 0, _MAX_TIMING_MS)
    hit.bandwidth_bytes = to_int(p.get("bw_bytes"), 0, 2**63 - 1)
    hit.pv_id = _text(p, "pv_id")
    hit.ping = to_int(p.get("ping"), 1, 6)
    hit.custom_action = is_flag(p.get("ca"))
    hit.charset = _text(p, "cs")


def _is_uuid(s: str) -> bool:
    if len(s) != 36 or s[8] != "-" or s[13] != "-" or s[18] != "-" or s[23] != "-":
        return False
    return all(c in "0123456789abcdefABCDEF" for c in s.replace("-", ""))


def _put_event_and_content(hit: Hit, p: dict[str, str]) -> None:
    """Seed 000 "Optional Event Tracking info" and "Optional Content Tracking info"."""
    hit.event_category = _text(p, "e_c")
    hit.event_action = _text(p, "e_a")
    hit.event_name = _text(p, "e_n")
    hit.event_value = to_float(p.get("e_v"))
    hit.content_name = _text(p, "c_n")
    hit.content_piece = _text(p, "c_p")
    hit.content_target = _text(p, "c_t")
    hit.content_interaction = _text(p, "c_i")


def _put_ecommerce(hit: Hit, p: dict[str, str]) -> None:
    """Seed 000 "Ecommerce info", api-notes §11 `e_t`/`ec_products`, Matomo's ecommerce view."""
    kind = _text(p, "e_t").lower()
    hit.ecommerce_kind = kind if kind in ECOMMERCE_KINDS else ""
    hit.order_id = _text(p, "ec_id")
    for key in ("ec_products", "ec_items"):
        if key in p:
            items = parse_items(p[key])
            hit.has_ecommerce_items = True
            if items:
                hit.ecommerce_items = items
                break
    hit.revenue_subtotal = to_float(p.get("ec_st"))
    hit.revenue_tax = to_float(p.get("ec_tx"))
    hit.revenue_shipping = to_float(p.get("ec_sh"))
    hit.revenue_discount = to_float(p.get("ec_dt"))
    page_vars = parse_custom_variables(p.get("cvar"))
    # why: older Matomo JS sends setEcommerceView as page cvars named _pks/_pkn/_pkc/_pkp; Matomo
    # 4+ as parameters. They are consumed, not stored as custom variables (DATA-MODEL §1.6).
    view = {k: v for k, v in page_vars.values() if k in ECOMMERCE_VIEW_KEYS}
    for key in ECOMMERCE_VIEW_KEYS:
        if p.get(key):
            view[key] = p[key]
    if view:
        page_vars = {i: kv for i, kv in page_vars.items() if kv[0] not in ECOMMERCE_VIEW_KEYS}
        hit.ecommerce_view = (
            view.get("_pks", "").strip(),
            view.get("_pkn", "").strip(),
            category_text(view.get("_pkc")),
            to_float(view.get("_pkp")),
        )
    hit.page_custom_variables = page_vars


def _put_prefixed(hit: Hit, p: dict[str, str]) -> None:
    """`dimensionN` (api-notes §11), `t_*` (Piwik PRO) and `pf_*` (Matomo) timings in ms."""
    for key, raw in p.items():
        if key.startswith("dimension"):
            index = to_int(key[9:], 1, 100_000) if key[9:].isdigit() else None
            if index is not None and raw.strip():
                hit.dimensions[index] = raw.strip()
        elif (key.startswith("t_") and 3 <= len(key) <= 6) or key in MATOMO_TIMINGS:
            ms = to_int(raw, 0, _MAX_TIMING_MS)
            if ms is not None:
                hit.timings[key] = ms


def _put_environment(hit: Hit, p: dict[str, str], headers: dict[str, str]) -> None:
    """Device facts the client reports: resolution, local time, plugins, client hints, source."""
    hit.resolution = _text(p, "res")[:64]
    hour = to_int(p.get("h"), 0, 23)
    if hour is not None:
        hit.local_time = (hour, to_int(p.get("m"), 0, 59) or 0, to_int(p.get("s"), 0, 59) or 0)
    hit.plugins = {k: is_flag(p[k]) for k in PLUGIN_PARAMS if k in p}
    hints = parse_client_hints(p.get("uadata"))
    if not hints:
        hints = {k: v for k, v in headers.items() if k.startswith("sec-ch-ua")}
    hit.client_hints = hints
    name, version = _text(p, "ts_n"), _text(p, "ts_v")
    hit.tracking_source = f"{name}/{version}" if name and version else name
    hit.track_bots = is_flag(p.get("bots"))


def _put_location(hit: Hit, p: dict[str, str]) -> None:
    """Seed 000 location overrides; `lon` is api-notes §11's spelling of seed 000 `long`."""
    country = _text(p, "country").lower()
    hit.country_override = (
        country if len(country) == 2 and country.isascii() and country.isalpha() else ""
    )
    region = _text(p, "region")
    hit.region_override = (
        region if len(region) <= 3 and region.isascii() and region.isalnum() else ""
    )
    hit.city_override = _text(p, "city")[:255]
    hit.latitude_override = to_float(p.get("lat"), -90, 90)
    lon = p.get("long") if p.get("long") else p.get("lon")
    hit.longitude_override = to_float(lon, -180, 180)
