"""Pirsch statistics that break visitors down by one or more dimensions (api-notes §5).

Each is a declaration: the wire keys, the catalog column behind each, and how a stored value
reads on the wire (`WIN` → `Windows`, `PL` → `pl`). The shapes are `MetaStats` plus the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from footfall.api.pirsch.filter import campaign
from footfall.query.model import ColumnRef, Condition


def _text(value: Any) -> Any:
    """A dimension cell as Pirsch prints it: enums by label, unknown as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "" if value[1] is None else str(value[1])
    return value


def _code(value: Any) -> Any:
    if isinstance(value, list):
        value = value[0]
    return "" if value is None else str(value).lower()


_CHANNELS = {1: "Direct", 2: "Organic Search", 3: "Referral", 6: "Campaign", 7: "Social"}


def _channel(value: Any) -> Any:
    ident = value[0] if isinstance(value, list) else value
    return _CHANNELS.get(ident, "") if ident is not None else ""


@dataclass(frozen=True, slots=True)
class Key:
    """One wire key of a breakdown and the column it reads."""

    name: str
    column: ColumnRef
    wire: Callable[[Any], Any] = _text


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A MetaStats endpoint: its keys (the first is the primary field) and fixed conditions."""

    keys: tuple[Key, ...]
    campaign_only: bool = False

    def extra(self) -> tuple[Condition, ...]:
        """Conditions every row of this breakdown must meet."""
        return (campaign(),) if self.campaign_only else ()


_COUNTRY = Key("country_code", ColumnRef("location_country_name"), _code)
_REGION = Key("region", ColumnRef("location_subdivision_1_name"), _text)
_OS = Key("os", ColumnRef("operating_system"))
_BROWSER = Key("browser", ColumnRef("browser_name"))

BREAKDOWNS: dict[str, Breakdown] = {
    "language": Breakdown((Key("language", ColumnRef("browser_language_iso639"), _code),)),
    "os": Breakdown((_OS,)),
    "os/version": Breakdown((_OS, Key("os_version", ColumnRef("operating_system_version")))),
    "browser": Breakdown((_BROWSER,)),
    "browser/version": Breakdown((_BROWSER, Key("browser_version", ColumnRef("browser_version")))),
    "country": Breakdown((_COUNTRY,)),
    "region": Breakdown((_REGION, _COUNTRY)),
    "city": Breakdown((Key("city", ColumnRef("location_city_name")), _COUNTRY, _REGION)),
    "channel": Breakdown((Key("channel", ColumnRef("referrer_type"), _channel),)),
    "utm/source": Breakdown((Key("utm_source", ColumnRef("source")),), campaign_only=True),
    "utm/medium": Breakdown((Key("utm_medium", ColumnRef("medium")),), campaign_only=True),
    "utm/campaign": Breakdown(
        (Key("utm_campaign", ColumnRef("campaign_name")),), campaign_only=True
    ),
    "utm/content": Breakdown(
        (Key("utm_content", ColumnRef("campaign_content")),), campaign_only=True
    ),
    "utm/term": Breakdown((Key("utm_term", ColumnRef("keyword")),), campaign_only=True),
}
