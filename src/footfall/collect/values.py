"""Scalar wire values of the tracking protocol: query strings, numbers, flags, ids, timestamps.

Every function here is total: a bad value gives None (or the empty string), never an exception,
so one malformed optional parameter never costs the rest of the request (seed 000 lists them all
as optional except idsite, rec and url).
"""

from __future__ import annotations

import codecs
import functools
import math
import re
from datetime import UTC, datetime
from ipaddress import ip_address
from urllib.parse import unquote

__all__ = [
    "is_flag",
    "parse_cdt",
    "parse_query",
    "to_float",
    "to_hex16",
    "to_int",
    "to_ip",
]

_HEX = frozenset("0123456789abcdef")
#: A dotted quad in the canonical form `ipaddress` prints (no leading zeros): the common case of
#: `to_ip`, answered without building an address object.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_CANONICAL_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
#: "2011-04-05 00:11:42" (seed 000's cdt example) and RFC 3339 date-times: "T" or a space, up to
#: nanoseconds (Go's RFC3339Nano, which the Pirsch Go SDK sends), "Z" or a numeric offset.
#: Parsed without strptime; other shapes fall back to the strptime formats of `parse_cdt`.
_CDT_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)
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
    if raw.isascii() and raw.isdigit() and len(raw) <= _MAX_NUMBER_CHARS:
        v = int(raw)  # plain digits, the common case: nothing to strip, nothing to fall back on
        return None if (lo is not None and v < lo) or (hi is not None and v > hi) else v
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
    s = raw.lower()
    if len(s) == 16 and _HEX.issuperset(s):
        return s  # no surrounding space, so strip() would not change it
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
    if _CANONICAL_IPV4.fullmatch(s):
        return s
    try:
        return str(ip_address(s))
    except ValueError:
        return ""


@functools.lru_cache(maxsize=1024)
def _day_start(year: int, month: int, day: int) -> float | None:
    """Unix seconds of 00:00 UTC of a date (None when there is no such date); requests of one
    import or batch share a few days."""
    try:
        return datetime(year, month, day, tzinfo=UTC).timestamp()
    except ValueError:
        return None


def _rfc3339(m: re.Match[str]) -> float | None:
    """Unix seconds of a `_CDT_DATETIME` match (no zone means UTC); None when out of range."""
    y, mo, d, hh, mm, ss, fraction, zone = m.groups()
    day = _day_start(int(y), int(mo), int(d))
    hours, minutes, seconds = int(hh), int(mm), int(ss)
    if day is None or hours > 23 or minutes > 59 or seconds > 59:
        return None
    whole = day + hours * 3600 + minutes * 60 + seconds
    if zone and zone not in "Zz":
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        if hours > 23 or minutes > 59:
            return None
        offset = (hours * 3600 + minutes * 60) * (1 if zone[0] == "+" else -1)
        whole -= offset
    if not fraction:
        return float(whole)
    # microseconds, as datetime keeps them (digits beyond are dropped): the same float strptime's
    # %f gave for up to six digits
    micros = int(fraction[:6].ljust(6, "0"))
    return (int(whole) * 1_000_000 + micros) / 1_000_000


def parse_cdt(raw: str | None) -> float | None:
    """The request time override as unix seconds (UTC).

    Seed 000 documents "2011-04-05 00:11:42" in UTC; api-notes §11 also allows a unix timestamp.
    Fractional seconds are accepted in both forms; RFC 3339 date-times too ("T", fractions down
    to nanoseconds, "Z" or a numeric offset such as "+01:00").
    """
    if raw is None:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 40:
        plain = float(raw)  # a plain unix timestamp, the common case (same rules as below)
        if plain > 1e11:
            plain /= 1000.0
        return plain if 0 < plain < 4102444800 else None
    s = raw.strip()
    if not s or len(s) > 40:
        return None
    if s[0].isdigit() and s.replace(".", "", 1).isdigit():
        ts = to_float(s)
        # why: JS Date.now() is in milliseconds; some SDKs send that instead of seconds.
        if ts is not None and ts > 1e11:
            ts /= 1000.0
        return ts if ts is not None and 0 < ts < 4102444800 else None
    m = _CDT_DATETIME.fullmatch(s)
    if m:
        return _rfc3339(m)
    s = s.replace("T", " ").removesuffix("Z").removesuffix("+00:00")
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return None
