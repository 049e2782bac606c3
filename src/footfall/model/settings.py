"""AppSettings: the effective tracker settings of one app (app values over global defaults)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_SITE_SEARCH_QUERY_PARAMS = ("q", "query", "s", "search", "searchword", "keyword")
DEFAULT_EXCLUDED_URL_PARAMS = (
    "gclid",
    "fbclid",
    "msclkid",
    "yclid",
    "dclid",
    "_ga",
    "_gl",
    "mc_eid",
    "pk_vid",
)


@dataclass(frozen=True, slots=True)
class Goal:
    """A conversion goal of an app (seed 001 "Goal tracking"; api-notes §2 Goal)."""

    id: int
    name: str
    trigger: str = "manually"  # url|title|event_category|event_action|event_name|file|external_website|manually
    pattern_type: str = "contains"  # contains|exact|regex
    pattern: str = ""
    case_sensitive: bool = False
    allow_multiple: bool = False
    revenue: float = 0.0
    uuid: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    """How an event-scope custom dimension gets a value without `dimensionN` (api-notes §2).

    `target` is page_url_regex or page_title_regex (the value is the pattern's first group) or
    page_query_parameter (the value of the URL parameter named `pattern`)."""

    tracking_id: int
    slot: int
    target: str
    pattern: str
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Everything the pipeline and the collector need to know about an app, read live."""

    website_id: str
    alias: int = 0  # Matomo-style integer idsite
    name: str = ""
    urls: tuple[str, ...] = ()
    timezone: str = "UTC"
    currency: str = "USD"
    session_timeout_seconds: int = 1800
    session_max_duration_seconds: int = 43200
    session_max_event_count: int = 5000
    session_limit_exceeded_action: str = "split_and_exclude"  # or just_split
    excluded_ips: tuple[str, ...] = ()  # addresses, CIDR ranges or wildcards like 10.0.*.*
    excluded_user_agents: tuple[str, ...] = ()  # case-insensitive substrings
    excluded_url_params: tuple[str, ...] = DEFAULT_EXCLUDED_URL_PARAMS
    exclude_unknown_urls: bool = False
    keep_url_fragment: bool = False
    site_search_tracking: bool = True
    site_search_query_params: tuple[str, ...] = DEFAULT_SITE_SEARCH_QUERY_PARAMS
    site_search_category_params: tuple[str, ...] = ()
    strip_site_search_query_parameters: bool = False
    anonymize_ip_bytes: int = 2  # 0..4 octets zeroed (IPv6: 0..4 -> /128,/64,/48,/32,/0 style)
    anonymize_geolocation_level: str = "none"  # none|City|Region|Country|Continent
    keep_bots: bool = False  # inverse of exclude_crawlers
    create_new_visit_when_campaign_changes: bool = True
    create_new_visit_when_website_referrer_changes: bool = False
    use_session_hash: bool = True
    use_anonymous_session_hash: bool = True
    fingerprint_based_on_anonymized_ip: bool = False
    enable_fingerprinting_across_websites: bool = False
    set_ip_tracking: bool = True
    campaign_name_params: tuple[str, ...] = (
        "pk_campaign",
        "piwik_campaign",
        "pk_cpn",
        "utm_campaign",
    )
    campaign_source_params: tuple[str, ...] = ("pk_source", "utm_source")
    campaign_medium_params: tuple[str, ...] = ("pk_medium", "utm_medium")
    campaign_content_params: tuple[str, ...] = ("pk_content", "utm_content")
    campaign_id_params: tuple[str, ...] = ("pk_cid", "utm_id")
    campaign_keyword_params: tuple[str, ...] = ("pk_kwd", "pk_keyword", "piwik_kwd", "utm_term")
    ecommerce_tracking: bool = True
    goals: tuple[Goal, ...] = ()
    # custom dimensions: tracking id N (dimensionN) -> (scope "session"|"event", slot 1..5)
    custom_dimensions: dict[int, tuple[str, int]] = field(default_factory=dict)
    # extraction rules of the active event-scope dimensions, in the order they are tried
    custom_dimension_extractions: tuple[Extraction, ...] = ()
