"""The attributes of apps (api-notes §3) and of tracker settings (§4): types, defaults, validation.

Tracker settings resolve app value → global value → default. Defaults come from
`model.settings.AppSettings`, so the pipeline and the metadata store agree on them. Where the apps
API and the tracker settings API name the same setting (`excludedIps` / `excluded_ips`), the
tracker setting is the one stored; `APP_TO_TRACKER` maps the app name onto it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from footfall.meta.errors import ValidationError
from footfall.model.settings import AppSettings

__all__ = [
    "APP_ATTRIBUTES",
    "APP_TO_TRACKER",
    "TRACKER_ATTRIBUTES",
    "Attribute",
    "tracker_defaults",
    "validate_app_attributes",
    "validate_tracker_attributes",
]

_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(AppSettings) if f.name != "goals"}


@dataclass(frozen=True, slots=True)
class Attribute:
    """One setting: its kind (bool, int, str, list), default, and extra rules."""

    name: str
    kind: str  # "bool" | "int" | "str" | "list"
    default: Any
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()
    check_item: Callable[[str], bool] | None = None
    field: str = ""  # AppSettings field it feeds ("" = stored only)

    def validate(self, value: Any, pointer: str) -> Any:
        """The value in canonical form, or ValidationError naming `pointer`."""
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValidationError(pointer, "must be a boolean")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(pointer, "must be an integer")
            if not self.low <= value <= self.high:
                raise ValidationError(pointer, f"must be between {self.low} and {self.high}")
            return value
        if self.kind == "str":
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise ValidationError(pointer, "must be one of " + ", ".join(self.choices))
            return value
        return self._validate_list(value, pointer)

    def _validate_list(self, value: Any, pointer: str) -> list[str]:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError(pointer, "must be a list of strings")
        items = [v.strip() for v in value if v.strip()]
        for item in items:
            if self.check_item is not None and not self.check_item(item):
                raise ValidationError(pointer, f"invalid value {item!r}")
        return items


def _ip_rule(item: str) -> bool:
    """An address, a CIDR range or an IPv4 wildcard such as 10.0.*.* (Matomo excluded IPs)."""
    try:
        ipaddress.ip_network(item, strict=False)
        return True
    except ValueError:
        return re.fullmatch(r"(\d{1,3}|\*)(\.(\d{1,3}|\*)){3}", item) is not None


def _b(name: str, field: str = "", default: bool | None = None) -> Attribute:
    d = _DEFAULTS[field or name] if default is None else default
    return Attribute(name, "bool", d, field=field or name)


def _l(name: str, field: str = "", check: Callable[[str], bool] | None = None) -> Attribute:
    return Attribute(
        name, "list", list(_DEFAULTS[field or name]), check_item=check, field=field or name
    )


_GEO_LEVELS = ("none", "City", "Region", "Country", "Continent")

TRACKER_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute(
            "anonymize_visitor_geolocation_level",
            "str",
            _DEFAULTS["anonymize_geolocation_level"],
            choices=_GEO_LEVELS,
            field="anonymize_geolocation_level",
        ),
        Attribute(
            "anonymize_visitor_ip_level",
            "int",
            _DEFAULTS["anonymize_ip_bytes"],
            low=0,
            high=4,
            field="anonymize_ip_bytes",
        ),
        *(_l(f"campaign_{k}_params") for k in ("content", "id", "keyword", "medium", "name")),
        _l("campaign_source_params"),
        _b("create_new_visit_when_campaign_changes"),
        _b("create_new_visit_when_website_referrer_changes"),
        _b("enable_fingerprinting_across_websites"),
        _b("set_ip_tracking"),
        # exclude_crawlers is the inverse of AppSettings.keep_bots (handled in `to_app_settings`).
        Attribute("exclude_crawlers", "bool", not _DEFAULTS["keep_bots"]),
        _b("exclude_unknown_urls"),
        _l("excluded_ips", check=_ip_rule),
        _l("excluded_user_agents"),
        _b("fingerprint_based_on_anonymized_ip"),
        _b("keep_url_fragment"),
        Attribute(
            "session_limit_exceeded_action",
            "str",
            _DEFAULTS["session_limit_exceeded_action"],
            choices=("split_and_exclude", "just_split"),
            field="session_limit_exceeded_action",
        ),
        Attribute(
            "session_max_duration_seconds",
            "int",
            _DEFAULTS["session_max_duration_seconds"],
            low=1,
            high=43200,
            field="session_max_duration_seconds",
        ),
        Attribute(
            "session_max_event_count",
            "int",
            _DEFAULTS["session_max_event_count"],
            low=1,
            high=65535,
            field="session_max_event_count",
        ),
        # Footfall's own: inactivity that ends a visit (glossary: 30 minutes by default).
        Attribute(
            "session_timeout_seconds",
            "int",
            _DEFAULTS["session_timeout_seconds"],
            low=60,
            high=43200,
            field="session_timeout_seconds",
        ),
        _l("site_search_category_params"),
        _l("site_search_query_params"),
        _b("strip_site_search_query_parameters"),
        Attribute("tracking_fingerprint_disabled", "bool", False),
        Attribute("trust_visitors_cookies", "bool", False),  # deprecated in §4, kept for clients
        _b("use_session_hash"),
        _b("use_anonymous_session_hash"),
        _l("url_query_parameter_to_exclude_from_url", field="excluded_url_params"),
    )
}

# App attributes of §3 that are not tracker settings (camelCase, as the apps API names them).
APP_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("eCommerceTracking", "bool", True, field="ecommerce_tracking"),
        Attribute("siteSearchTracking", "bool", True, field="site_search_tracking"),
        Attribute("delay", "int", 500, low=0, high=60_000),
        Attribute("gdpr", "bool", True),
        Attribute("gdprUserModeEnabled", "bool", False),
        Attribute("privacyCookieDomainsEnabled", "bool", False),
        Attribute("privacyCookieExpirationPeriod", "int", 31536000, low=0, high=2**31 - 1),
        Attribute("privacyCookieDomains", "list", []),
        Attribute("gdprLocationRecognition", "bool", False),
        Attribute("gdprDataAnonymization", "bool", True),
        Attribute(
            "gdprDataAnonymizationMode",
            "str",
            "session_cookie_id",
            choices=("no_device_storage", "session_cookie_id"),
        ),
        Attribute("sharepointIntegration", "bool", False),
        Attribute("privacyUseCookies", "bool", True),
        Attribute("privacyUseFingerprinting", "bool", True),
        Attribute("cnil", "bool", False),
        Attribute("sessionIdStrictPrivacyMode", "bool", False),
        Attribute("realTimeDashboards", "bool", False),
    )
}

APP_TO_TRACKER: dict[str, str] = {
    "excludeUnknownUrls": "exclude_unknown_urls",
    "keepUrlFragment": "keep_url_fragment",
    "siteSearchQueryParams": "site_search_query_params",
    "siteSearchCategoryParams": "site_search_category_params",
    "excludedIps": "excluded_ips",
    "excludedUrlParams": "url_query_parameter_to_exclude_from_url",
    "excludedUserAgents": "excluded_user_agents",
}


def tracker_defaults() -> dict[str, Any]:
    """The default value of every tracker setting (fresh lists)."""
    return {
        n: (list(a.default) if a.kind == "list" else a.default)
        for n, a in TRACKER_ATTRIBUTES.items()
    }


def _validate(
    registry: Mapping[str, Attribute], values: Mapping[str, Any], prefix: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        attribute = registry.get(name)
        if attribute is None:
            raise ValidationError(prefix + name, "unknown attribute")
        out[name] = attribute.validate(value, prefix + name)
    return out


def validate_tracker_attributes(values: Mapping[str, Any]) -> dict[str, Any]:
    """Tracker settings in canonical form; ValidationError on an unknown name or a bad value."""
    return _validate(TRACKER_ATTRIBUTES, values, "")


def validate_app_attributes(values: Mapping[str, Any]) -> dict[str, Any]:
    """App-only attributes of §3 in canonical form; ValidationError on unknown or bad values."""
    return _validate(APP_ATTRIBUTES, values, "")
