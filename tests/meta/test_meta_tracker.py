"""Tracker settings resolve app → global → default and become the pipeline's AppSettings."""

from __future__ import annotations

import pytest

from footfall.meta import services
from footfall.meta.errors import NotFound, ValidationError
from footfall.meta.store import MetaStore
from footfall.model.settings import DEFAULT_SITE_SEARCH_QUERY_PARAMS, AppSettings


def test_defaults_match_the_model(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"], timezone="Europe/Paris")
    settings = services.effective_settings(meta, app.id)
    assert settings == AppSettings(
        website_id=app.id,
        alias=1,
        name="Shop",
        urls=("shop.example",),
        timezone="Europe/Paris",
    )
    assert settings.session_timeout_seconds == 1800
    assert settings.site_search_query_params == DEFAULT_SITE_SEARCH_QUERY_PARAMS
    assert settings.anonymize_ip_bytes == 2
    assert settings.keep_bots is False


def test_fallback_app_then_global_then_default(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    services.set_tracker_settings(
        meta, "global", {"session_timeout_seconds": 600, "excluded_ips": ["10.0.*.*"]}
    )
    services.set_tracker_settings(
        meta, app.id, {"session_timeout_seconds": 900, "exclude_crawlers": False}
    )
    settings = services.effective_settings(meta, app.id)
    assert settings is not None
    assert settings.session_timeout_seconds == 900  # app
    assert settings.excluded_ips == ("10.0.*.*",)  # global
    assert settings.anonymize_ip_bytes == 2  # default
    assert settings.keep_bots is True  # exclude_crawlers = False
    services.reset_tracker_setting(meta, app.id, "session_timeout_seconds")
    assert services.get_tracker_settings(meta, app.id)["session_timeout_seconds"] == 600
    services.reset_tracker_setting(meta, "global", "session_timeout_seconds")
    assert services.get_tracker_settings(meta, "global")["session_timeout_seconds"] == 1800


def test_field_mapping(meta: MetaStore) -> None:
    app = services.create_app(
        meta, name="Shop", urls=["shop.example"], attributes={"eCommerceTracking": False}
    )
    services.set_tracker_settings(
        meta,
        app.id,
        {
            "url_query_parameter_to_exclude_from_url": ["sid"],
            "anonymize_visitor_ip_level": 4,
            "anonymize_visitor_geolocation_level": "City",
            "site_search_query_params": ["k"],
            "excluded_user_agents": ["curl"],
        },
    )
    s = services.effective_settings(meta, app.id)
    assert s is not None
    assert s.excluded_url_params == ("sid",)
    assert (s.anonymize_ip_bytes, s.anonymize_geolocation_level) == (4, "City")
    assert s.site_search_query_params == ("k",)
    assert s.excluded_user_agents == ("curl",)
    assert s.ecommerce_tracking is False


@pytest.mark.parametrize(
    "values",
    [
        {"anonymize_visitor_ip_level": 5},
        {"session_max_duration_seconds": 0},
        {"exclude_crawlers": "yes"},
        {"session_limit_exceeded_action": "explode"},
        {"excluded_ips": "10.0.0.1"},
        {"unknown_setting": 1},
    ],
)
def test_invalid_settings(meta: MetaStore, values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        services.set_tracker_settings(meta, "global", values)


def test_unknown_scope(meta: MetaStore) -> None:
    with pytest.raises(ValidationError):
        services.get_tracker_settings(meta, "nope")
    with pytest.raises(NotFound):
        services.set_tracker_settings(
            meta, "00000000-0000-0000-0000-000000000000", {"exclude_crawlers": True}
        )
    assert services.effective_settings(meta, "00000000-0000-0000-0000-000000000000") is None


def test_goals_in_effective_settings(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    first = services.create_goal(meta, app.id, name="Signup", trigger="url", pattern="/thanks")
    second = services.create_goal(meta, 1, name="Manual", revenue=5)
    assert (first.id, second.id) == (1, 2)
    settings = services.effective_settings(meta, app.id)
    assert settings is not None and settings.goals == (first, second)
    assert services.list_goals(meta, app.id) == [first, second]
    with pytest.raises(ValidationError):
        services.create_goal(
            meta, app.id, name="Bad", trigger="url", pattern_type="regex", pattern="("
        )
