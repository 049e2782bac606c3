"""The Pirsch statistics filter (api-notes §4): query string → period, conditions and paging.

Every `GET /api/v1/statistics/*` carries the same filter. Wire names live here only; each field
becomes a condition on a catalog column of the query model, so no endpoint writes SQL.

Value semantics (Pirsch core `filter.go`, 2024 docs): a leading `!` negates, `~` means contains,
`^` means does not contain, `null` (any case) matches the empty value. A repeated parameter is an
OR of its positive values; negated values must all hold (`path=!/a&path=!/b` excludes both).
Empty strings and 0 are unset (the Go SDK sends every key, empty ones included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from footfall.api.pirsch.errors import PirschError
from footfall.collect.pirsch import META_SLOTS, TAG_SLOTS
from footfall.query import dates, enums
from footfall.query.model import ColumnRef, Condition, FilterGroup, Period

MAX_LIMIT = 100
MAX_START = 3600
SCALES = ("day", "week", "month", "year")
#: scale → the date transformation of the query model that buckets by it
SCALE_TRANSFORMS = {
    "day": "to_date",
    "week": "to_start_of_week",
    "month": "to_start_of_month",
    "year": "to_start_of_year",
}
#: Pirsch core screen classes by minimum width, widest first
SCREEN_CLASSES: tuple[tuple[str, int], ...] = (
    ("XXL", 2560),
    ("XL", 1920),
    ("L", 1280),
    ("M", 1024),
    ("S", 640),
    ("XS", 1),
)
#: device-detector device types counted as desktop; every other known type is mobile
DESKTOP_TYPES = (0,)
PLATFORMS = ("desktop", "mobile", "unknown")

PATH = ColumnRef("event_url", "to_path")
HOSTNAME = ColumnRef("event_url", "to_domain")
EVENT_NAME = ColumnRef("custom_event_name")
CAMPAIGN = 6
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGITS = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
# RE2 (DuckDB and ClickHouse) has neither look-around nor back-references
_NOT_RE2 = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")
_CHANNELS = {
    "direct": 1,
    "organic search": 2,
    "search": 2,
    "referral": 3,
    "website": 3,
    "campaign": 6,
    "paid": 6,
    "social": 7,
}


def meta_key(k: int) -> ColumnRef:
    """The column holding the key of custom variable slot `k` (META_SLOTS, TAG_SLOTS)."""
    return ColumnRef(f"event_custom_variable_key_{k}")


def meta_value(k: int) -> ColumnRef:
    """The column holding the value of metadata slot `k`."""
    return ColumnRef(f"event_custom_variable_value_{k}")


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed statistics filter: which domain, when, which rows, which page of the answer."""

    domain_id: str
    period: Period
    scale: str = "day"
    conditions: tuple[Condition | FilterGroup, ...] = ()
    event: tuple[str, ...] = ()
    event_meta_key: str = ""
    limit: int = MAX_LIMIT
    offset: int = 0
    sort: str = ""
    direction: Literal["asc", "desc"] = "desc"
    search: str = ""
    include_avg_time_on_page: bool = False
    include_title: bool = False
    funnel_id: str = ""
    live: bool = False  #: `start` was given: a window of the last seconds, not dates
    extra: tuple[Condition | FilterGroup, ...] = field(default=())

    def where(self, *more: Condition | FilterGroup) -> FilterGroup | None:
        """Every condition of the filter plus `more`, ANDed; None when there is none."""
        items = (*self.conditions, *self.extra, *more)
        return FilterGroup("and", items) if items else None


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    """The last non-empty value of a parameter ('' when unset)."""
    values = [v for v in params.get(name, ()) if v.strip() not in ("", "0")]
    return values[-1].strip() if values else ""


def _many(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v.strip() not in ("", "0")]


def _int(params: Mapping[str, Sequence[str]], name: str, high: int) -> int:
    raw = _one(params, name)
    if not raw:
        return 0
    if not _DIGITS.fullmatch(raw) or int(raw) > high:
        raise PirschError.invalid(name, f"{name} must be an integer in 0..{high}")
    return int(raw)


def _day(value: str, name: str) -> date:
    """`YYYY-MM-DD`, or an ISO datetime (the JS SDK sends `2024-01-01T00:00:00.000Z`)."""
    match = _ISO.fullmatch(value)
    text = match.group(1) if match else value
    if not _DATE.fullmatch(text):
        raise PirschError.invalid(name, f"{name} must be a date YYYY-MM-DD or an ISO datetime")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PirschError.invalid(name, f"{name} is not a valid date") from None


def _timezone(params: Mapping[str, Sequence[str]], default: str) -> str:
    name = _one(params, "tz")
    if not name:
        return default
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PirschError.invalid("tz", f'unknown time zone "{name}"') from None
    return name


def period_of(
    params: Mapping[str, Sequence[str]], timezone: str, now: datetime | None = None
) -> tuple[Period, bool]:
    """The period of the filter and whether it is a live window (`start`)."""
    start = _int(params, "start", MAX_START)
    if start:
        moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
        return Period(
            moment - timedelta(seconds=start), moment + timedelta(seconds=1), timezone
        ), True
    raw_from, raw_to = _one(params, "from"), _one(params, "to")
    if not raw_from:
        raise PirschError.invalid("from", "from is required")
    if not raw_to:
        raise PirschError.invalid("to", "to is required")
    first, last = _day(raw_from, "from"), _day(raw_to, "to")
    if last < first:
        raise PirschError.invalid("to", "to must not be before from")
    if (last - first).days > 3660:
        raise PirschError.invalid("to", "the period is longer than ten years")
    return dates.absolute(first.isoformat(), last.isoformat(), timezone), False


# value semantics -----------------------------------------------------------------------------
def _leaf(ref: ColumnRef, raw: str, convert: Callable[[str], object]) -> tuple[bool, Condition]:
    """One value as (negated, condition)."""
    negated = raw.startswith("!")
    text = raw[1:] if negated else raw
    if text.lower() == "null":
        return negated, Condition(ref, "empty", None)
    if text.startswith("~"):
        return negated, Condition(ref, "icontains", text[1:])
    if text.startswith("^"):
        return True ^ negated, Condition(ref, "icontains", text[1:])
    return negated, Condition(ref, "eq", convert(text))


def _negate(cond: Condition) -> Condition:
    opposite = {"eq": "neq", "empty": "not_empty", "icontains": "not_icontains"}
    return Condition(cond.column, opposite[cond.operator], cond.value)


def _values(
    ref: ColumnRef, values: Sequence[str], convert: Callable[[str], object] = str
) -> FilterGroup | None:
    """Repeated values: positives ORed, negations ANDed."""
    positive: list[Condition | FilterGroup] = []
    negative: list[Condition | FilterGroup] = []
    for raw in values:
        negated, cond = _leaf(ref, raw, convert)
        (negative if negated else positive).append(_negate(cond) if negated else cond)
    parts: list[Condition | FilterGroup] = list(negative)
    if positive:
        parts.append(FilterGroup("or", tuple(positive)))
    return FilterGroup("and", tuple(parts)) if parts else None


def _code(column_id: str) -> Callable[[str], object]:
    """A label (`Windows`) → the stored short code (`WIN`); a code is accepted as is."""
    table = {label.lower(): code for code, label in enums.labels(column_id).items()}

    def convert(text: str) -> object:
        return table.get(text.lower(), text)

    return convert


def _pattern(values: Sequence[str]) -> FilterGroup | None:
    parts: list[Condition | FilterGroup] = []
    for raw in values:
        negated = raw.startswith("!")
        regex = raw[1:] if negated else raw
        try:
            re.compile(regex.replace("(?i)", ""))
        except re.error as e:
            raise PirschError.invalid(
                "pattern", f"pattern is not a valid regular expression: {e}"
            ) from None
        if _NOT_RE2.search(regex):
            raise PirschError.invalid(
                "pattern", "pattern uses look-around or back-references, which RE2 lacks"
            )
        parts.append(Condition(PATH, "not_matches" if negated else "matches", regex))
    if not parts:
        return None
    return FilterGroup("or", tuple(parts))


def _range(ref: ColumnRef, low: int, high: int | None) -> FilterGroup:
    conds: list[Condition | FilterGroup] = [Condition(ref, "gte", low)]
    if high is not None:
        conds.append(Condition(ref, "lt", high))
    return FilterGroup("and", tuple(conds))


def screen_condition(name: str) -> FilterGroup:
    """Sessions whose screen width falls in a Pirsch screen class."""
    width = ColumnRef("resolution_width")
    for i, (cls, low) in enumerate(SCREEN_CLASSES):
        if cls == name.upper():
            high = SCREEN_CLASSES[i - 1][1] if i else None
            return _range(width, low, high)
    raise PirschError.invalid("screen_class", f'unknown screen class "{name}"')


def platform_condition(name: str) -> Condition | FilterGroup:
    """Sessions of one Pirsch platform: desktop, mobile or unknown."""
    device = ColumnRef("device_type")
    if name == "desktop":
        return Condition(device, "eq", DESKTOP_TYPES[0])
    if name == "mobile":
        return FilterGroup(
            "and", (Condition(device, "not_empty", None), Condition(device, "neq", 0))
        )
    if name == "unknown":
        return Condition(device, "empty", None)
    raise PirschError.invalid("platform", "platform must be desktop, mobile or unknown")


def _either(values: Sequence[str], build: Callable[[str], Condition | FilterGroup]) -> FilterGroup:
    """Repeated values of a parameter that maps to a small tree: positives ORed, `!` ANDed."""
    parts = [_not(build(v[1:])) for v in values if v.startswith("!")]
    positive = [build(v) for v in values if not v.startswith("!")]
    if positive:
        parts.append(FilterGroup("or", tuple(positive)))
    return FilterGroup("and", tuple(parts))


def _not(item: Condition | FilterGroup) -> Condition | FilterGroup:
    """De Morgan over the small trees built here (eq/neq, empty, ranges)."""
    if isinstance(item, Condition):
        opposite = {
            "eq": "neq",
            "neq": "eq",
            "empty": "not_empty",
            "not_empty": "empty",
            "gte": "lt",
            "lt": "gte",
        }
        return Condition(item.column, opposite[item.operator], item.value)
    flipped: Literal["and", "or"] = "or" if item.operator == "and" else "and"
    return FilterGroup(flipped, tuple(_not(c) for c in item.conditions))


def _meta(params: Mapping[str, Sequence[str]]) -> list[Condition | FilterGroup]:
    """`meta_<key>=<value>` (event metadata), `tag_<key>=<value>` and `tag=<key>` (hit tags):
    some slot of its kind holds that key (with that value); all pairs must hold."""
    out: list[Condition | FilterGroup] = []
    kinds = {"meta_": META_SLOTS, "tag_": TAG_SLOTS}
    for name in sorted(params):
        prefix = next((p for p in kinds if name.startswith(p)), None)
        if prefix is None or name == prefix:
            continue
        for value in _many(params, name):
            key = name[len(prefix) :]
            out.append(
                FilterGroup(
                    "or",
                    tuple(
                        FilterGroup(
                            "and",
                            (
                                Condition(meta_key(k), "eq", key),
                                Condition(meta_value(k), "eq", value),
                            ),
                        )
                        for k in kinds[prefix]
                    ),
                )
            )
    for key in _many(params, "tag"):
        out.append(FilterGroup("or", tuple(Condition(meta_key(k), "eq", key) for k in TAG_SLOTS)))
    return out


#: filter parameter → (column, value conversion); campaign columns also need a campaign session
_SIMPLE: dict[str, tuple[ColumnRef, Callable[[str], object]]] = {
    "path": (PATH, str),
    "entry_path": (ColumnRef("session_entry_url", "to_path"), str),
    "exit_path": (ColumnRef("session_exit_url", "to_path"), str),
    "hostname": (HOSTNAME, str.lower),
    "language": (ColumnRef("browser_language_iso639"), str.lower),
    "country": (ColumnRef("location_country_name"), str.upper),
    "region": (ColumnRef("location_subdivision_1_name"), str),
    "referrer": (ColumnRef("referrer_url"), str),
    "referrer_name": (ColumnRef("source"), str),
    "os": (ColumnRef("operating_system"), _code("operating_system")),
    "os_version": (ColumnRef("operating_system_version"), str),
    "browser": (ColumnRef("browser_name"), _code("browser_name")),
    "browser_version": (ColumnRef("browser_version"), str),
    "title": (ColumnRef("event_title"), str),
    "event": (EVENT_NAME, str),
    "visitor_id": (ColumnRef("visitor_id"), lambda v: _id(v, "visitor_id")),
    "session_id": (ColumnRef("session_id"), lambda v: _id(v, "session_id")),
}
_UTM: dict[str, ColumnRef] = {
    "utm_source": ColumnRef("source"),
    "utm_medium": ColumnRef("medium"),
    "utm_campaign": ColumnRef("campaign_name"),
    "utm_content": ColumnRef("campaign_content"),
    "utm_term": ColumnRef("keyword"),
}


def _id(text: str, name: str) -> object:
    """A visitor or session id: an unsigned 64-bit integer in decimal."""
    if not re.fullmatch(r"[0-9]{1,20}", text) or int(text) >= 1 << 64:
        raise PirschError.invalid(name, f"{name} must be an unsigned 64-bit integer")
    return int(text)


def _channel(text: str) -> object:
    value = _CHANNELS.get(text.lower())
    if value is None:
        raise PirschError.invalid("channel", f'unknown channel "{text}"')
    return value


def campaign() -> Condition:
    """Sessions that came from a campaign (UTM parameters)."""
    return Condition(ColumnRef("referrer_type"), "eq", CAMPAIGN)


def conditions_of(params: Mapping[str, Sequence[str]]) -> list[Condition | FilterGroup]:
    """Every condition the query string asks for."""
    out: list[Condition | FilterGroup] = []
    for name, (ref, convert) in _SIMPLE.items():
        group = _values(ref, _many(params, name), convert)
        if group is not None:
            out.append(group)
    for name, ref in _UTM.items():
        group = _values(ref, _many(params, name))
        if group is not None:
            out.extend((campaign(), group))
    channel = _values(ColumnRef("referrer_type"), _many(params, "channel"), _channel)
    if channel is not None:
        out.append(channel)
    city = _many(params, "city")
    if city:
        out.append(_either(city, _city))
    platform = [v.lower() for v in _many(params, "platform")]
    if platform:
        out.append(_either(platform, platform_condition))
    screen = _many(params, "screen_class")
    if screen:
        out.append(_either(screen, screen_condition))
    pattern = _pattern(_many(params, "pattern"))
    if pattern is not None:
        out.append(pattern)
    out.extend(_meta(params))
    return out


def _city(name: str) -> Condition:
    """A city by name (the query model compares a string value with the stored city name)."""
    return Condition(ColumnRef("location_city_name"), "eq", name)


def _flag(params: Mapping[str, Sequence[str]], name: str) -> bool:
    value = _one(params, name).lower()
    if value not in ("", "true", "false", "1"):
        raise PirschError.invalid(name, f"{name} must be true or false")
    return value in ("true", "1")


def parse(params: Mapping[str, Sequence[str]], timezone_of: Callable[[str], str | None]) -> Filter:
    """Validate a query string (as a multi-map) into a Filter; raises PirschError naming the field.

    `timezone_of` answers the domain's timezone, or None when the caller may not see it."""
    domain_id = _one(params, "id")
    if not domain_id:
        raise PirschError.invalid("id", "id is required")
    if not _UUID.fullmatch(domain_id):
        raise PirschError(404, "domain not found")
    domain_id = domain_id.lower()
    default_tz = timezone_of(domain_id)
    if default_tz is None:
        raise PirschError(404, "domain not found")
    timezone = _timezone(params, default_tz)
    period, live = period_of(params, timezone)
    scale = _one(params, "scale").lower() or "day"
    if scale not in SCALES:
        raise PirschError.invalid("scale", "scale must be day, week, month or year")
    direction = _one(params, "direction").lower() or "desc"
    if direction not in ("asc", "desc"):
        raise PirschError.invalid("direction", "direction must be asc or desc")
    limit = _int(params, "limit", 1 << 31) or MAX_LIMIT
    include, title = (_flag(params, n) for n in ("include_avg_time_on_page", "include_title"))
    return Filter(
        domain_id=domain_id,
        period=period,
        scale=scale,
        conditions=tuple(conditions_of(params)),
        event=tuple(_many(params, "event")),
        event_meta_key=_one(params, "event_meta_key"),
        limit=min(limit, MAX_LIMIT),
        offset=_int(params, "offset", 1 << 40),
        sort=_one(params, "sort"),
        direction="asc" if direction == "asc" else "desc",
        search=_one(params, "search"),
        include_avg_time_on_page=include,
        include_title=title,
        funnel_id=_one(params, "funnel_id"),
        live=live,
    )
