"""JSON-valued tracking parameters: custom variables, ecommerce items, search categories, client hints.

Like `values.py`, every function is total: malformed JSON or a malformed element is skipped.
"""

from __future__ import annotations

from typing import Any

import orjson

from footfall.collect.values import to_float, to_int
from footfall.model.hit import EcommerceItem

__all__ = [
    "ECOMMERCE_VIEW_KEYS",
    "category_text",
    "parse_client_hints",
    "parse_custom_variables",
    "parse_items",
    "parse_search_cats",
    "scalar_text",
]

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
    if type(v) is str:
        return v
    if isinstance(v, list):
        parts: list[str] = []
        for x in v[:5]:
            t = x if type(x) is str else scalar_text(x)
            if t:
                parts.append(t)
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
    n = len(v)
    if not n:
        return None
    sku = v[0] if type(v[0]) is str else (scalar_text(v[0]) or "")
    name = (v[1] if type(v[1]) is str else (scalar_text(v[1]) or "")) if n > 1 else ""
    category = _category(v[2]) if n > 2 else ""
    price = _number(v[3]) if n > 3 else None
    quantity = _quantity(v[4]) if n > 4 else None
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
    # why: JSON numbers skip the text round trip; str() then float() gives back the same value.
    if type(v) is float:
        return v if -1e12 <= v <= 1e12 else None
    if type(v) is int:
        return float(v) if -1_000_000_000_000 <= v <= 1_000_000_000_000 else None
    text = scalar_text(v)
    return None if text is None or isinstance(v, bool) else to_float(text, -1e12, 1e12)


def _quantity(v: Any) -> int | None:
    if type(v) is int:
        return v if 0 <= v <= 1_000_000 else None
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
