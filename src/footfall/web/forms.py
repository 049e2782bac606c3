"""The administration forms as values for the metadata services: an app's details and the tracker
settings (api-notes §3, §4).

A form posts strings; these functions turn them into the typed values the platform API would send
(booleans from checkboxes, whole numbers, lists one item a line) and leave every rule to
`meta.services`, so the dashboard and the APIs accept exactly the same settings. A value that is
not even of the right kind raises `ValidationError` naming the field, like the services do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from footfall.meta.attributes import TRACKER_ATTRIBUTES, Attribute
from footfall.meta.errors import ValidationError

__all__ = [
    "SECTIONS",
    "Field",
    "app_values",
    "as_text",
    "tracker_changes",
]

_WHOLE = re.compile(r"[+-]?[0-9]{1,12}")  # ASCII only: \d also takes "٣"


@dataclass(frozen=True, slots=True)
class Field:
    """One tracker setting as the page shows it."""

    name: str
    label: str
    help: str
    attribute: Attribute


def _f(name: str, label: str, help_: str = "") -> Field:
    return Field(name, label, help_, TRACKER_ATTRIBUTES[name])


#: the tracker settings page: every setting of api-notes §4, grouped as an operator thinks of them
SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    (
        "Sessions",
        (
            _f("session_timeout_seconds", "Session timeout (seconds)", "Inactivity ends a visit."),
            _f("session_max_duration_seconds", "Longest session (seconds)"),
            _f("session_max_event_count", "Most events in a session"),
            _f(
                "session_limit_exceeded_action",
                "When a session exceeds a limit",
                "split_and_exclude drops the rest; just_split starts a new session.",
            ),
            _f("create_new_visit_when_campaign_changes", "New session when the campaign changes"),
            _f(
                "create_new_visit_when_website_referrer_changes",
                "New session when the referring website changes",
            ),
            _f("use_session_hash", "Recognise visitors without cookies (session hash)"),
            _f("use_anonymous_session_hash", "Session hash for anonymous visitors"),
            _f("enable_fingerprinting_across_websites", "Fingerprint across websites"),
            _f("fingerprint_based_on_anonymized_ip", "Fingerprint on the anonymized IP"),
            _f("tracking_fingerprint_disabled", "Disable fingerprinting"),
            _f("trust_visitors_cookies", "Trust visitors' cookies (deprecated)"),
        ),
    ),
    (
        "Exclusions",
        (
            _f(
                "excluded_ips",
                "Excluded IP addresses",
                "One a line: an address, a CIDR range or a wildcard such as 10.0.*.*",
            ),
            _f("excluded_user_agents", "Excluded user agents", "One a line; matches substrings."),
            _f("exclude_crawlers", "Exclude bots and crawlers", "Unchecked keeps bots."),
            _f("exclude_unknown_urls", "Exclude hits from URLs not listed for the app"),
        ),
    ),
    (
        "Privacy",
        (
            _f(
                "anonymize_visitor_ip_level",
                "IP anonymization (bytes masked)",
                "0 keeps the whole address, 4 masks all of it.",
            ),
            _f("anonymize_visitor_geolocation_level", "Geolocation kept down to"),
            _f("set_ip_tracking", "Store visitors' IP addresses"),
        ),
    ),
    (
        "URLs",
        (
            _f(
                "url_query_parameter_to_exclude_from_url",
                "URL query parameters to strip",
                "One a line.",
            ),
            _f("keep_url_fragment", "Keep the URL fragment (#…)"),
        ),
    ),
    (
        "Site search",
        (
            _f("site_search_query_params", "Search keyword parameters", "One a line."),
            _f("site_search_category_params", "Search category parameters", "One a line."),
            _f("strip_site_search_query_parameters", "Strip search parameters from page URLs"),
        ),
    ),
    (
        "Campaigns",
        tuple(
            _f(f"campaign_{part}_params", f"Campaign {part} parameters", "One a line.")
            for part in ("name", "source", "medium", "keyword", "content", "id")
        ),
    ),
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _value(field: Field, form: Mapping[str, str]) -> Any:
    raw = form.get(field.name, "")
    kind = field.attribute.kind
    if kind == "bool":
        return field.name in form  # an unchecked box is not posted
    if kind == "int":
        if not _WHOLE.fullmatch(raw.strip()):
            raise ValidationError(field.name, "must be a whole number")
        return int(raw.strip())
    if kind == "list":
        return _lines(raw)
    return raw.strip()


def tracker_changes(form: Mapping[str, str], current: Mapping[str, Any]) -> dict[str, Any]:
    """The settings the form changes against `current` (untouched ones keep falling back)."""
    changes: dict[str, Any] = {}
    for _, fields in SECTIONS:
        for field in fields:
            value = _value(field, form)
            if value != current.get(field.name):
                changes[field.name] = value
    return changes


def as_text(value: Any) -> str:
    """A setting as its form control shows it (lists one item a line)."""
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def app_values(form: Mapping[str, str]) -> dict[str, Any]:
    """Name, URLs (one a line), timezone and currency of the app form."""
    return {
        "name": form.get("name", "").strip(),
        "urls": _lines(form.get("urls", "")),
        "timezone": form.get("timezone", "").strip(),
        "currency": form.get("currency", "").strip(),
    }
