"""Frozen reference: the tracking parser as it was before the fast paths (slow, obviously right).

`test_reference.py` checks that `parse_hit`, `RawRecord.decode`, bulk item params and the value
helpers of `footfall.collect` give exactly what these give. Do not optimize this module.
"""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

from typing import Any

import orjson

from footfall.model.hit import EcommerceItem, Hit
from footfall.model.record import RawRecord

import codecs
import math
import re
from datetime import UTC, datetime
from ipaddress import ip_address
from urllib.parse import unquote


_HEX = frozenset("0123456789abcdef")
#: Longest numeric literal we try to convert; longer ones are garbage (and int() of a huge
#: digit string is quadratic / capped by Python's int_max_str_digits).
_MAX_NUMBER_CHARS = 64


def parse_query(qs: str, encoding: str = "utf-8") -> dict[str, str]:
    """Decode a query string or form body: last value wins, `+` is a space, bad `%` kept as is."""
    out: dict[str, str] = {}
    if not qs:
        return out
    if encoding != "utf-8":
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            encoding = "utf-8"
    for part in qs.split("&"):
        if not part:
            continue
        key, _, val = part.partition("=")
        if "+" in key:
            key = key.replace("+", " ")
        if "%" in key:
            key = unquote(key, encoding, "replace")
        if not key:
            continue
        if "+" in val:
            val = val.replace("+", " ")
        if "%" in val:
            val = unquote(val, encoding, "replace")
        out[key] = val
    return out


def to_int(raw: str | None, lo: int | None = None, hi: int | None = None) -> int | None:
    """An integer (a float literal is truncated, as PHP's (int) cast does); None when out of range."""
    if raw is None:
        return None
    s = raw.strip()
    if not s or len(s) > _MAX_NUMBER_CHARS:
        return None
    try:
        v = int(s)
    except ValueError:
        f = to_float(s)
        if f is None:
            return None
        v = int(f)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        return None
    return v


def to_float(raw: str | None, lo: float | None = None, hi: float | None = None) -> float | None:
    """A finite float; None when missing, not numeric, NaN/inf or out of range."""
    if raw is None:
        return None
    s = raw.strip()
    if not s or len(s) > _MAX_NUMBER_CHARS:
        return None
    try:
        v = float(s)
    except ValueError:
        # why: European clients send "12,50" for prices (seed 000 ec_items price is "numeric").
        if s.count(",") != 1 or "." in s:
            return None
        try:
            v = float(s.replace(",", "."))
        except ValueError:
            return None
    if not math.isfinite(v):
        return None
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        return None
    return v


def is_flag(raw: str | None) -> bool:
    """True for the value 1 (seed 000: plugins, new_visit, bots are "set to 1")."""
    return raw is not None and raw.strip() in ("1", "true")


def to_hex16(raw: str | None) -> str:
    """A 16-character hexadecimal visitor id in lowercase (seed 000 `_id`, `cid`), else ''."""
    if raw is None:
        return ""
    s = raw.strip().lower()
    if len(s) != 16 or not _HEX.issuperset(s):
        return ""
    return s


def to_ip(raw: str | None) -> str:
    """A normalized IPv4/IPv6 address (seed 000 `cip` accepts both notations), else ''."""
    if not raw:
        return ""
    s = raw.strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    try:
        return str(ip_address(s))
    except ValueError:
        return ""


def parse_cdt(raw: str | None) -> float | None:
    """The request time override as unix seconds (UTC).

    Seed 000 documents "2011-04-05 00:11:42" in UTC; api-notes §11 also allows a unix timestamp.
    Fractional seconds are accepted in both forms; ISO "T" separators and a trailing "Z" too.
    """
    if raw is None:
        return None
    s = raw.strip()
    if not s or len(s) > 40:
        return None
    if s[0].isdigit() and s.replace(".", "", 1).isdigit():
        ts = to_float(s)
        # why: JS Date.now() is in milliseconds; some SDKs send that instead of seconds.
        if ts is not None and ts > 1e11:
            ts /= 1000.0
        return ts if ts is not None and 0 < ts < 4102444800 else None
    # RFC 3339 (added with the Pirsch Go SDK's RFC3339Nano times): fromisoformat of the digits
    # with the fraction cut to microseconds
    m = re.fullmatch(
        r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?"
        r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?",
        s,
    )
    if m:
        date, clock, fraction, zone = m.groups()
        zone = "+00:00" if zone in (None, "Z", "z") else zone
        if ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        micro = "." + (fraction or "")[:6].ljust(6, "0")
        try:
            return datetime.fromisoformat(f"{date}T{clock}{micro}{zone}").timestamp()
        except ValueError:
            return None
    s = s.replace("T", " ").removesuffix("Z").removesuffix("+00:00")
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return None


#: Custom variable names of Matomo's JS `setEcommerceView` (sku, name, category, price):
#: older trackers send them as page-scope cvars, Matomo 4+ as plain parameters.
ECOMMERCE_VIEW_KEYS = ("_pks", "_pkn", "_pkc", "_pkp")
#: api-notes §11 (TAPI): custom variable names and values are at most 200 characters.
_CVAR_MAX = 200
_MAX_ITEMS = 1000
_MAX_JSON_CHARS = 1 << 20


def _loads(raw: str | None) -> Any:
    if not raw or len(raw) > _MAX_JSON_CHARS:
        return None
    try:
        return orjson.loads(raw)
    except ValueError:  # orjson.JSONDecodeError, including depth and surrogate errors
        return None


def scalar_text(v: Any) -> str | None:
    """A JSON scalar as the string a query parameter would carry (numbers unchanged); else None."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int | float):
        return str(v)
    return None


def _category(v: Any) -> str:
    # why: seed 000 ec_items category is a string; Matomo JS allows up to 5 as an array.
    if isinstance(v, list):
        parts = [t for t in (scalar_text(x) for x in v[:5]) if t]
        return "/".join(parts)
    return scalar_text(v) or ""


def parse_custom_variables(raw: str | None) -> dict[int, tuple[str, str]]:
    """`_cvar` / `cvar`: JSON `{"1": ["name", "value"], ...}` (seed 000), ≤ 200 chars each."""
    data = _loads(raw)
    out: dict[int, tuple[str, str]] = {}
    if not isinstance(data, dict):
        return out
    for key, pair in data.items():
        index = to_int(key, 1, 200)
        if index is None or not isinstance(pair, list) or len(pair) < 2:
            continue
        name, value = scalar_text(pair[0]), scalar_text(pair[1])
        if name is None or value is None or not name:
            continue
        out[index] = (name[:_CVAR_MAX], value[:_CVAR_MAX])
    return out


def _item_from_list(v: list[Any]) -> EcommerceItem | None:
    if not v:
        return None
    sku = scalar_text(v[0]) or ""
    name = (scalar_text(v[1]) or "") if len(v) > 1 else ""
    category = _category(v[2]) if len(v) > 2 else ""
    price = _number(v[3]) if len(v) > 3 else None
    quantity = _quantity(v[4]) if len(v) > 4 else None
    return EcommerceItem(sku, name, category, price or 0.0, 1 if quantity is None else quantity)


def _item_from_dict(v: dict[str, Any]) -> EcommerceItem | None:
    # why: Piwik PRO's ec_products (api-notes §11) are objects {sku, name, category, price, quantity}.
    sku = scalar_text(v.get("sku")) or ""
    name = scalar_text(v.get("name")) or ""
    if not sku and not name:
        return None
    price = _number(v.get("price"))
    quantity = _quantity(v.get("quantity"))
    return EcommerceItem(
        sku, name, _category(v.get("category")), price or 0.0, 1 if quantity is None else quantity
    )


def _number(v: Any) -> float | None:
    text = scalar_text(v)
    return None if text is None or isinstance(v, bool) else to_float(text, -1e12, 1e12)


def _quantity(v: Any) -> int | None:
    text = scalar_text(v)
    return None if text is None or isinstance(v, bool) else to_int(text, 0, 1_000_000)


def parse_items(raw: str | None) -> list[EcommerceItem] | None:
    """`ec_items` / `ec_products`: a JSON array of `[sku, name, category, price, quantity]` arrays
    (seed 000) or of objects (api-notes §11). None when the value is not a JSON array."""
    data = _loads(raw)
    if isinstance(data, dict):
        # why: PHP's json_encode turns a 0-based array with a gap into an object; take the values.
        data = list(data.values())
    if not isinstance(data, list):
        return None
    items: list[EcommerceItem] = []
    for v in data[:_MAX_ITEMS]:
        item = None
        if isinstance(v, list):
            item = _item_from_list(v)
        elif isinstance(v, dict):
            item = _item_from_dict(v)
        if item is not None:
            items.append(item)
    return items


def parse_search_cats(raw: str | None) -> str:
    """`search_cats`: a JSON array of categories (api-notes §11); the first non-empty one."""
    data = _loads(raw)
    if isinstance(data, list):
        for v in data:
            text = scalar_text(v)
            if text:
                return text
        return ""
    if raw and data is None and raw.strip() and raw.strip()[0] not in "[{":
        return raw.strip()  # a bare string where an array was expected: still a category
    return ""


def parse_client_hints(raw: str | None) -> dict[str, Any]:
    """`uadata`: Matomo's JSON of `navigator.userAgentData.getHighEntropyValues` (an object)."""
    data = _loads(raw)
    return data if isinstance(data, dict) else {}


def category_text(raw: str | None) -> str:
    """`_pkc`: a category string, or a JSON array of up to 5 categories joined with "/"."""
    if not raw:
        return ""
    s = raw.strip()
    if s.startswith("["):
        data = _loads(s)
        if isinstance(data, list):
            return _category(data)
    return s


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


def decode(payload: bytes, seq: int = 0) -> RawRecord:
    """Inverse of `encode`; raises ValueError on a corrupt payload."""
    try:
        v: Any = orjson.loads(payload)
        return RawRecord(
            website_id=str(v[0]),
            params={str(k): str(x) for k, x in v[1].items()},
            received_at=float(v[2]),
            ip=str(v[3]),
            user_agent=str(v[4]),
            accept_language=str(v[5]),
            protocol=str(v[6]),
            trusted=bool(v[7]),
            headers={str(k): str(x) for k, x in v[8].items()},
            seq=seq,
        )
    except (orjson.JSONDecodeError, IndexError, KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"corrupt spool record: {e}") from e


def item_params(item: Any) -> dict[str, str] | None:
    """One bulk item as params: a query string (leading `?` or a `path?` optional) or an object."""
    if isinstance(item, str):
        qs = item.strip()
        if qs.startswith("?"):
            qs = qs[1:]
        else:
            head, sep, tail = qs.partition("?")
            # why: seed 000 items are "the query string you'd send", sometimes with the path.
            if sep and "=" not in head and "&" not in head:
                qs = tail
        return parse_query(qs)
    if isinstance(item, dict):
        params: dict[str, str] = {}
        for key, value in item.items():
            if value is None:
                continue
            text = scalar_text(value)
            if text is None:
                # why: a nested array/object (e.g. ec_items sent unencoded) becomes its JSON text.
                text = orjson.dumps(value).decode()
            params[str(key)] = text
        return params
    return None
