"""Pirsch data collection (api-notes pirsch.md §3): a JSON hit, event or session → a RawRecord.

The record carries the tracking protocol's parameter names, so Pirsch data takes the same spool,
pipeline and store as every tracking request, and visitors are identified the same cookieless
way: no `_id` is sent, so the pipeline's fingerprint (a keyed hash of a daily rotating key, the
IP, the user agent's browser and OS, and the app) identifies the visitor, with the 30-minute
session rule and the lookup under the previous day's key after midnight.

Mapping (wire → record): `url` → `url`, `title` → `action_name`, `referrer` → `urlref`,
`screen_width`×`screen_height` → `res`, `time` (batches) → `cdt`, `sec_ch_*` and `dnt` →
kept headers. An event is a custom event `e_c="pirsch"`, `e_a` = `e_n` = `event_name`, `e_v` =
`event_duration` seconds; its `event_meta` fills the page custom variable slots 1..5 (key,
value) and the hit's `tags` (of a page view or an event) slots 6..10, so neither crowds out or
mixes with the other (`model.columns.EVENT_VARIABLE_SLOTS`); pairs beyond five are dropped. A session keep-alive is a ping (`ping=1`): it extends the
visitor's session and never opens one. Unknown keys are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

import orjson

from footfall.collect.values import parse_cdt, to_ip
from footfall.model.columns import CUSTOM_SLOTS, EVENT_VARIABLE_SLOTS
from footfall.model.record import RawRecord

__all__ = [
    "EVENT_CATEGORY",
    "META_SLOTS",
    "TAG_SLOTS",
    "InvalidItem",
    "Kind",
    "host_of",
    "to_record",
]

Kind = Literal["hit", "event", "session"]
EVENT_CATEGORY = "pirsch"
#: page custom variable slots of a Pirsch event's metadata, and of a hit's tags
META_SLOTS = range(1, CUSTOM_SLOTS + 1)
TAG_SLOTS = range(CUSTOM_SLOTS + 1, EVENT_VARIABLE_SLOTS + 1)
_MAX_TEXT = 2048
_HINTS = (
    "sec_ch_ua",
    "sec_ch_ua_mobile",
    "sec_ch_ua_platform",
    "sec_ch_ua_platform_version",
    "sec_ch_width",
    "sec_ch_viewport_width",
)


class InvalidItem(Exception):
    """A field of the request is missing or malformed; `field` names it for the 400 answer."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(item: Mapping[str, Any], key: str, required: bool = False) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise InvalidItem(key, "is required")
        return ""
    if not isinstance(value, str):
        raise InvalidItem(key, "must be a string")
    return value[:_MAX_TEXT] if key != "url" else value


def _int(item: Mapping[str, Any], key: str) -> int:
    value = item.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidItem(key, "must be a number")
    try:
        number = float(value)
    except ValueError:
        raise InvalidItem(key, "must be a number") from None
    if not math.isfinite(number) or number < 0 or number > 2**31:
        raise InvalidItem(key, "must be between 0 and 2^31")
    return int(number)


def _pairs(item: Mapping[str, Any], key: str) -> list[tuple[str, str]]:
    """A flat object of string keys and scalar values (`event_meta`, `tags`) as text pairs."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, dict):
        raise InvalidItem(key, "must be an object of keys to scalar values")
    pairs: list[tuple[str, str]] = []
    for k, v in value.items():
        if isinstance(v, dict | list):
            raise InvalidItem(f"{key}.{k}", "must be a string, number or boolean")
        if v is None or not str(k).strip():
            continue
        text = ("true" if v else "false") if isinstance(v, bool) else str(v)
        pairs.append((str(k)[:200], text[:200]))
    return pairs


def _slots(pairs: list[tuple[str, str]], slots: range) -> dict[str, list[str]]:
    """`cvar` entries of key/value pairs in the given slots (the first pairs, as many as fit)."""
    return {str(slot): [k, v] for slot, (k, v) in zip(slots, pairs, strict=False)}


def host_of(item: Mapping[str, Any]) -> str:
    """The lower-case host of the item's `url` ('' when there is none)."""
    url = item.get("url")
    if not isinstance(url, str):
        return ""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def _url(item: Mapping[str, Any], required: bool) -> str:
    url = _text(item, "url", required).strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidItem("url", "is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidItem("url", "must be an absolute http(s) URL")
    return url


def to_record(
    item: Any, kind: Kind, website_id: str, received_at: float, batch: bool = False
) -> RawRecord:
    """The spool record of one Pirsch request body (one item of a batch); InvalidItem names the
    field at fault."""
    if not isinstance(item, dict):
        raise InvalidItem("body", "must be a JSON object")
    ip = to_ip(_text(item, "ip", required=True))
    if not ip:
        raise InvalidItem("ip", "is not an IPv4 or IPv6 address")
    user_agent = _text(item, "user_agent", required=True)
    params: dict[str, str] = {"rec": "1"}
    url = _url(item, required=kind != "session")
    if url:
        params["url"] = url
    if batch or item.get("time"):
        raw_time = item.get("time")
        when = parse_cdt(raw_time) if isinstance(raw_time, str) else None
        if when is None:
            raise InvalidItem("time", "must be an RFC 3339 date and time")
        params["cdt"] = repr(when)
    if kind == "session":
        params["ping"] = "1"
    else:
        _page_fields(item, params)
    slots: dict[str, list[str]] = {}
    if kind == "event":
        name = _text(item, "event_name", required=True).strip()
        if not name:
            raise InvalidItem("event_name", "is required")
        params.update(e_c=EVENT_CATEGORY, e_a=name, e_n=name)
        duration = _int(item, "event_duration")
        if duration:
            params["e_v"] = str(duration)
        slots.update(_slots(_pairs(item, "event_meta"), META_SLOTS))
    if kind != "session":
        slots.update(_slots(_pairs(item, "tags"), TAG_SLOTS))
    if slots:
        params["cvar"] = orjson.dumps(slots).decode()
    headers: dict[str, str] = {}
    for key in _HINTS:
        value = _text(item, key)
        if value:
            headers[key.replace("_", "-")] = value
    dnt = _text(item, "dnt")
    if dnt:
        headers["dnt"] = dnt
    return RawRecord(
        website_id=website_id,
        params=params,
        received_at=received_at,
        ip=ip,
        user_agent=user_agent,
        accept_language=_text(item, "accept_language"),
        protocol="pirsch",
        trusted=True,  # an authenticated client may back-date (batches carry their own time)
        headers=headers,
    )


def _page_fields(item: Mapping[str, Any], params: dict[str, str]) -> None:
    title = _text(item, "title")
    if title:
        params["action_name"] = title
    referrer = _text(item, "referrer")
    if referrer:
        params["urlref"] = referrer
    width, height = _int(item, "screen_width"), _int(item, "screen_height")
    if width and height:
        params["res"] = f"{width}x{height}"
