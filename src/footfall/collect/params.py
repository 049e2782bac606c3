"""The parameter table of seed 000 (plus the ppms.php extras of api-notes §11): wire → `Hit`.

`parse_hit` is total: a malformed optional parameter is ignored on its own and never raises. The
few rules that reject a whole request (`rec`, `idsite`, `url`, authentication of privileged
parameters) are checked by the collector with `validate` before the request is acknowledged.

why: parsing is on the pipeline's hot path, so it walks the parameters that were sent (a dozen or
two) instead of probing every known name: each wire name maps to a small setter. Parameters that
are read together (h/m/s, gt_ms/pf_srv, ec_items/ec_products, ...) map to a group that runs once,
after the walk, with the whole parameter dict.
"""

from __future__ import annotations

from collections.abc import Callable

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

Setter = Callable[[Hit, str], None]
Group = Callable[[Hit, dict[str, str]], None]


def _text(p: dict[str, str], key: str) -> str:
    v = p.get(key)
    return v.strip() if v else ""


def parse_hit(record: RawRecord) -> Hit:
    """Turn a spooled request into a typed `Hit`; bad optional values are dropped one by one."""
    p = record.params
    cip = p.get("cip")
    ua = p.get("ua")
    lang = p.get("lang")
    hit = Hit(
        record.website_id,
        record.seq,
        record.received_at,
        _timestamp(p.get("cdt"), record.received_at),
        record.protocol,
        (to_ip(cip) if cip else "") or record.ip,
        (ua.strip() if ua else "") or record.user_agent,
        (lang.strip() if lang else "") or record.accept_language,
        dict(record.headers),
    )
    setters = _SETTERS
    groups: list[Group] = []
    for key, value in p.items():
        setter = setters.get(key, _unknown)
        if setter is None:
            continue
        if setter is not _unknown:
            setter(hit, value)
            continue
        group = _GROUPS.get(key)
        if group is not None:
            if group not in groups:
                groups.append(group)
            if key != "pf_srv":  # why: pf_srv is both a timing and the generation time
                continue
        _put_prefixed(hit, key, value)
    for group in groups:
        group(hit, p)
    uadata = p.get("uadata")
    hints = parse_client_hints(uadata) if uadata else {}
    if not hints:
        hints = {k: v for k, v in record.headers.items() if k.startswith("sec-ch-ua")}
    hit.client_hints = hints
    return hit


def _timestamp(raw: str | None, received_at: float) -> float:
    cdt = parse_cdt(raw)
    if cdt is None or cdt > received_at + FUTURE_TOLERANCE_SECONDS:
        return received_at
    return cdt


def _is_prefixed(key: str) -> bool:
    return (
        key.startswith("dimension")
        or (key.startswith("t_") and 3 <= len(key) <= 6)
        or key in MATOMO_TIMINGS
    )


def _put_prefixed(hit: Hit, key: str, raw: str) -> None:
    """`dimensionN` (api-notes §11), `t_*` (Piwik PRO) and `pf_*` (Matomo) timings in ms."""
    if key.startswith("dimension"):
        index = to_int(key[9:], 1, 100_000) if key[9:].isdigit() else None
        if index is not None and raw.strip():
            hit.dimensions[index] = raw.strip()
    elif (key.startswith("t_") and 3 <= len(key) <= 6) or key in MATOMO_TIMINGS:
        ms = to_int(raw, 0, _MAX_TIMING_MS)
        if ms is not None:
            hit.timings[key] = ms


# --- seed 000 "Optional User info": visitor ids, visit counters, privacy flags ---


def _cookie_visitor_id(hit: Hit, v: str) -> None:
    hit.cookie_visitor_id = to_hex16(v)


def _forced_visitor_id(hit: Hit, v: str) -> None:
    hit.forced_visitor_id = to_hex16(v)


def _user_id(hit: Hit, v: str) -> None:
    hit.user_id = v.strip()


def _new_visit(hit: Hit, v: str) -> None:
    hit.new_visit = is_flag(v)


def _visit_count(hit: Hit, v: str) -> None:
    hit.visit_count = to_int(v, 0, 1_000_000_000)


def _previous_visit_ts(hit: Hit, v: str) -> None:
    hit.previous_visit_ts = to_int(v, 0, _MAX_TS)


def _first_visit_ts(hit: Hit, v: str) -> None:
    hit.first_visit_ts = to_int(v, 0, _MAX_TS)


def _last_order_ts(hit: Hit, v: str) -> None:
    hit.last_order_ts = to_int(v, 0, _MAX_TS)


def _is_anonymous(hit: Hit, v: str) -> None:
    hit.is_anonymous = is_flag(v)


def _dont_deanonymize(hit: Hit, v: str) -> None:
    hit.dont_deanonymize = is_flag(v)


def _remove_ip(hit: Hit, v: str) -> None:
    hit.remove_ip = is_flag(v)


def _visit_custom_variables(hit: Hit, v: str) -> None:
    hit.visit_custom_variables = parse_custom_variables(v)


# --- seed 000 "Optional Action info": page view, outlink, download, site search, goal ---


def _url(hit: Hit, v: str) -> None:
    hit.url = v.strip()


def _action_name(hit: Hit, v: str) -> None:
    hit.action_name = v.strip()


def _referrer_url(hit: Hit, v: str) -> None:
    hit.referrer_url = v.strip()


def _campaign_name_param(hit: Hit, v: str) -> None:
    hit.campaign_name_param = v.strip()


def _campaign_keyword_param(hit: Hit, v: str) -> None:
    hit.campaign_keyword_param = v.strip()


def _outlink_url(hit: Hit, v: str) -> None:
    hit.outlink_url = v.strip()


def _download_url(hit: Hit, v: str) -> None:
    hit.download_url = v.strip()


def _search_keyword(hit: Hit, v: str) -> None:
    hit.search_keyword = v.strip()


def _search_category(hit: Hit, p: dict[str, str]) -> None:
    hit.search_category = _text(p, "search_cat") or parse_search_cats(p.get("search_cats"))


def _search_count(hit: Hit, v: str) -> None:
    hit.search_count = to_int(v, 0, 2**32 - 1)


def _goal_ref(hit: Hit, v: str) -> None:
    goal = v.strip()
    if not goal:
        return
    if _is_uuid(goal):
        hit.goal_ref = goal.lower()
        return
    number = to_int(goal, 0)
    if number is not None:
        hit.goal_ref = str(number)


def _is_uuid(s: str) -> bool:
    if len(s) != 36 or s[8] != "-" or s[13] != "-" or s[18] != "-" or s[23] != "-":
        return False
    return all(c in "0123456789abcdefABCDEF" for c in s.replace("-", ""))


def _revenue(hit: Hit, v: str) -> None:
    hit.revenue = to_float(v)


def _generation_time(hit: Hit, p: dict[str, str]) -> None:
    gt = to_float(p.get("gt_ms"), 0, _MAX_TIMING_MS)
    # why: Matomo 4+ dropped gt_ms for pf_srv (DATA-MODEL §1.7 page_generation_time).
    hit.generation_time_ms = gt if gt is not None else to_float(p.get("pf_srv"), 0, _MAX_TIMING_MS)


def _bandwidth_bytes(hit: Hit, v: str) -> None:
    hit.bandwidth_bytes = to_int(v, 0, 2**63 - 1)


def _pv_id(hit: Hit, v: str) -> None:
    hit.pv_id = v.strip()


def _ping(hit: Hit, v: str) -> None:
    hit.ping = to_int(v, 1, 6)


def _custom_action(hit: Hit, v: str) -> None:
    hit.custom_action = is_flag(v)


def _charset(hit: Hit, v: str) -> None:
    hit.charset = v.strip()


# --- seed 000 "Optional Event Tracking info" and "Optional Content Tracking info" ---


def _event_category(hit: Hit, v: str) -> None:
    hit.event_category = v.strip()


def _event_action(hit: Hit, v: str) -> None:
    hit.event_action = v.strip()


def _event_name(hit: Hit, v: str) -> None:
    hit.event_name = v.strip()


def _event_value(hit: Hit, v: str) -> None:
    hit.event_value = to_float(v)


def _content_name(hit: Hit, v: str) -> None:
    hit.content_name = v.strip()


def _content_piece(hit: Hit, v: str) -> None:
    hit.content_piece = v.strip()


def _content_target(hit: Hit, v: str) -> None:
    hit.content_target = v.strip()


def _content_interaction(hit: Hit, v: str) -> None:
    hit.content_interaction = v.strip()


# --- seed 000 "Ecommerce info", api-notes §11 `e_t`/`ec_products`, Matomo's ecommerce view ---


def _ecommerce_kind(hit: Hit, v: str) -> None:
    kind = v.strip().lower()
    hit.ecommerce_kind = kind if kind in ECOMMERCE_KINDS else ""


def _order_id(hit: Hit, v: str) -> None:
    hit.order_id = v.strip()


def _ecommerce_items(hit: Hit, p: dict[str, str]) -> None:
    for key in ("ec_products", "ec_items"):
        if key in p:
            items = parse_items(p[key])
            hit.has_ecommerce_items = True
            if items:
                hit.ecommerce_items = items
                break


def _revenue_subtotal(hit: Hit, v: str) -> None:
    hit.revenue_subtotal = to_float(v)


def _revenue_tax(hit: Hit, v: str) -> None:
    hit.revenue_tax = to_float(v)


def _revenue_shipping(hit: Hit, v: str) -> None:
    hit.revenue_shipping = to_float(v)


def _revenue_discount(hit: Hit, v: str) -> None:
    hit.revenue_discount = to_float(v)


def _page_variables(hit: Hit, p: dict[str, str]) -> None:
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


# --- device facts the client reports: resolution, local time, plugins, source ---


def _resolution(hit: Hit, v: str) -> None:
    hit.resolution = v.strip()[:64]


def _local_time(hit: Hit, p: dict[str, str]) -> None:
    hour = to_int(p.get("h"), 0, 23)
    if hour is not None:
        hit.local_time = (hour, to_int(p.get("m"), 0, 59) or 0, to_int(p.get("s"), 0, 59) or 0)


def _plugins(hit: Hit, p: dict[str, str]) -> None:
    hit.plugins = {k: is_flag(p[k]) for k in PLUGIN_PARAMS if k in p}


def _tracking_source(hit: Hit, p: dict[str, str]) -> None:
    name, version = _text(p, "ts_n"), _text(p, "ts_v")
    hit.tracking_source = f"{name}/{version}" if name and version else name


def _track_bots(hit: Hit, v: str) -> None:
    hit.track_bots = is_flag(v)


# --- seed 000 location overrides; `lon` is api-notes §11's spelling of seed 000 `long` ---


def _country_override(hit: Hit, v: str) -> None:
    country = v.strip().lower()
    hit.country_override = (
        country if len(country) == 2 and country.isascii() and country.isalpha() else ""
    )


def _region_override(hit: Hit, v: str) -> None:
    region = v.strip()
    hit.region_override = (
        region if len(region) <= 3 and region.isascii() and region.isalnum() else ""
    )


def _city_override(hit: Hit, v: str) -> None:
    hit.city_override = v.strip()[:255]


def _latitude_override(hit: Hit, v: str) -> None:
    hit.latitude_override = to_float(v, -90, 90)


def _longitude_override(hit: Hit, p: dict[str, str]) -> None:
    lon = p.get("long") if p.get("long") else p.get("lon")
    hit.longitude_override = to_float(lon, -180, 180)


def _unknown(hit: Hit, v: str) -> None:
    """Marks a name missing from `_SETTERS`: a group member, a prefixed family or unknown."""


#: Wire name → setter; None for names read before the walk (cdt, cip, ua, lang, uadata), by a
#: group (m, s), by the collector (idsite, rec, token_auth, send_image) or by nobody (rand, apiv).
_SETTERS: dict[str, Setter | None] = {
    "_id": _cookie_visitor_id,
    "cid": _forced_visitor_id,
    "uid": _user_id,
    "new_visit": _new_visit,
    "_idvc": _visit_count,
    "_viewts": _previous_visit_ts,
    "_idts": _first_visit_ts,
    "_ects": _last_order_ts,
    "uia": _is_anonymous,
    "dda": _dont_deanonymize,
    "rmip": _remove_ip,
    "_cvar": _visit_custom_variables,
    "url": _url,
    "action_name": _action_name,
    "urlref": _referrer_url,
    "_rcn": _campaign_name_param,
    "_rck": _campaign_keyword_param,
    "link": _outlink_url,
    "download": _download_url,
    "search": _search_keyword,
    "search_count": _search_count,
    "idgoal": _goal_ref,
    "revenue": _revenue,
    "bw_bytes": _bandwidth_bytes,
    "pv_id": _pv_id,
    "ping": _ping,
    "ca": _custom_action,
    "cs": _charset,
    "e_c": _event_category,
    "e_a": _event_action,
    "e_n": _event_name,
    "e_v": _event_value,
    "c_n": _content_name,
    "c_p": _content_piece,
    "c_t": _content_target,
    "c_i": _content_interaction,
    "e_t": _ecommerce_kind,
    "ec_id": _order_id,
    "ec_st": _revenue_subtotal,
    "ec_tx": _revenue_tax,
    "ec_sh": _revenue_shipping,
    "ec_dt": _revenue_discount,
    "res": _resolution,
    "bots": _track_bots,
    "country": _country_override,
    "region": _region_override,
    "city": _city_override,
    "lat": _latitude_override,
    **dict.fromkeys(
        (
            *("idsite", "rec", "cdt", "cip", "ua", "lang", "uadata", "m", "s"),
            *("token_auth", "send_image", "rand", "apiv", "_ref"),
        ),
        None,
    ),
}
_GROUPS: dict[str, Group] = {
    "search_cat": _search_category,
    "search_cats": _search_category,
    "gt_ms": _generation_time,
    "pf_srv": _generation_time,
    "ec_products": _ecommerce_items,
    "ec_items": _ecommerce_items,
    "cvar": _page_variables,
    **dict.fromkeys(ECOMMERCE_VIEW_KEYS, _page_variables),
    "h": _local_time,
    **dict.fromkeys(PLUGIN_PARAMS, _plugins),
    "ts_n": _tracking_source,
    "ts_v": _tracking_source,
    "long": _longitude_override,
    "lon": _longitude_override,
}


def _check_tables() -> None:
    # why: a known name must not also be a prefixed family member, or the walk would skip it.
    overlap = [k for k in (*_SETTERS, *_GROUPS) if _is_prefixed(k) and k != "pf_srv"]
    both = set(_SETTERS) & set(_GROUPS)
    if overlap or both:
        raise RuntimeError(f"parameter tables overlap: {overlap} {sorted(both)}")


_check_tables()
