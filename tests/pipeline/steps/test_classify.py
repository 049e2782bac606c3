"""classify and put_site_search: every precedence row of DATA-MODEL §4.1 and the consent table (§4.3)."""

from __future__ import annotations

from typing import Any

import pytest

from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings, Goal
from footfall.pipeline.steps.classify import classify
from footfall.pipeline.steps.put_site_search import put_site_search

from .conftest import make_hit

UUID = "0d7c7e4e-6f3a-4d8e-9d61-5a9a2b0c1e11"
APP = AppSettings(website_id="w", goals=(Goal(id=3, name="signup", uuid=UUID),))

ROWS: list[tuple[dict[str, Any], int | Reason]] = [
    ({"ping": 4, "download_url": "x"}, 20),
    ({"ping": 5}, 21),
    ({"ping": 1}, 19),
    ({"ping": 2}, 19),
    ({"ping": 3}, 19),
    ({"ping": 6}, 15),
    ({"ecommerce_kind": "order", "goal_ref": "7"}, 9),
    ({"ecommerce_kind": "cart-update"}, 16),
    ({"ecommerce_kind": "product-detail-view"}, 22),
    ({"ecommerce_kind": "add-to-cart"}, 23),
    ({"ecommerce_kind": "remove-from-cart"}, 24),
    ({"goal_ref": "0", "order_id": "A-1", "download_url": "x"}, 9),
    ({"goal_ref": "0"}, 16),
    ({"goal_ref": "3", "download_url": "x"}, 8),
    ({"goal_ref": UUID.upper()}, 8),
    ({"goal_ref": "99"}, Reason.UNKNOWN_GOAL),
    ({"goal_ref": "not-a-goal"}, Reason.UNKNOWN_GOAL),
    ({"download_url": "https://x/f.pdf", "outlink_url": "https://y/"}, 3),
    ({"outlink_url": "https://y/", "event_category": "c", "event_action": "a"}, 2),
    ({"event_category": "c", "event_action": "a", "content_name": "n"}, 5),
    ({"event_category": "c", "event_action": ""}, 1),
    ({"content_name": "banner", "content_interaction": "click", "search_keyword": "q"}, 7),
    ({"content_name": "banner", "search_keyword": "q"}, 6),
    ({"search_keyword": "shoes", "custom_action": True}, 4),
    ({"custom_action": True}, Reason.PLUGIN_REQUEST),
    ({"custom_action": True, "url": "https://example.com/?q=x"}, Reason.PLUGIN_REQUEST),
    ({}, 1),
    ({"url": "https://example.com/find?Q=boots"}, 4),
    ({"url": "https://example.com/find#q=boots"}, 1),
    ({"url": "https://example.com/find?q="}, 1),
]


@pytest.mark.parametrize(("fields", "expected"), ROWS)
def test_precedence(fields: dict[str, Any], expected: int | Reason) -> None:
    hit = make_hit(**fields)
    reason = classify(hit, APP) or put_site_search(hit, APP)
    if isinstance(expected, Reason):
        assert reason == expected
    else:
        assert reason is None
        assert hit.event_type == expected


def test_goal_id_resolved() -> None:
    for ref in ("3", UUID):
        hit = make_hit(goal_ref=ref)
        classify(hit, APP)
        assert hit.goal_id == 3


def test_goal_refs_of_non_ascii_digits_are_unknown_goals() -> None:
    for ref in ("²", "٣"):  # str.isdigit() is true for both; int() of "²" raises
        hit = make_hit(goal_ref=ref)
        classify(hit, APP)
        assert hit.goal_id is None


def test_site_search_keyword_and_category() -> None:
    app = AppSettings(website_id="w", site_search_category_params=("cat",))
    hit = make_hit(url="https://example.com/s?search=red+shoes&cat=Footwear")
    classify(hit, app)
    put_site_search(hit, app)
    assert (hit.event_type, hit.search_keyword, hit.search_category) == (4, "red shoes", "Footwear")


def test_site_search_off() -> None:
    app = AppSettings(website_id="w", site_search_tracking=False)
    hit = make_hit(url="https://example.com/s?q=x")
    classify(hit, app)
    put_site_search(hit, app)
    assert hit.event_type == 1 and hit.search_keyword == ""


CONSENT: list[tuple[tuple[str, str, str], int, dict[str, int]]] = [
    (("Consent form views", "Main form", ""), 12, {"consent_source": 1}),
    (("Consent form views", "Reminder", ""), 12, {"consent_source": 2}),
    (("Consent form views", "Privacy policy", "First view"), 12, {"consent_source": 3}),
    (("Consent form views", "Privacy policy", "Review"), 12, {"consent_source": 3}),
    (("Consent form interactions", "Agreed to all", ""), 13, {"consent_form_button": 1}),
    (("Consent form interactions", "Rejected all", ""), 13, {"consent_form_button": 2}),
    (("Consent form interactions", "Saved choices", ""), 13, {"consent_form_button": 3}),
    (("Consent form interactions", "Closed a form", ""), 13, {"consent_form_button": 4}),
    (("Consents", "Full consent", ""), 14, {"consent_scope": 1}),
    (("Consents", "Any consent", ""), 14, {"consent_scope": 2}),
    (("Consents", "No consent", ""), 14, {"consent_scope": 3}),
    (("Consents", "First consent", ""), 14, {"consent_action": 1}),
    (
        ("Consents by type", "Analytics", "First consent"),
        14,
        {"consent_type_analytics": 1, "consent_action": 1},
    ),
    (
        ("Consents by type", "Remarketing", "Changed consent"),
        14,
        {"consent_type_remarketing": 1, "consent_action": 2},
    ),
    (
        ("Consents by type", "A/B testing and personalization", "First consent"),
        14,
        {"consent_type_ab_testing_personalization": 1, "consent_action": 1},
    ),
    (("Consent form views", "Automatic", ""), 12, {"consent_source": 1}),
    (("Consent form views", "Reminder widget", ""), 12, {"consent_source": 2}),
    (("Consent form views", "Privacy policy link", "Initial view"), 12, {"consent_source": 3}),
    (("Consent decisions", "Full consent", ""), 14, {"consent_scope": 1}),
    (("Consents", "Something else", ""), 5, {}),
    (("Video", "Play", "intro"), 5, {}),
]


@pytest.mark.parametrize(("event", "expected_type", "columns"), CONSENT)
def test_consent_mapping(
    event: tuple[str, str, str], expected_type: int, columns: dict[str, int]
) -> None:
    c, a, n = event
    hit = make_hit(event_category=c, event_action=a, event_name=n)
    assert classify(hit, APP) is None
    assert (hit.event_type, hit.consent) == (expected_type, columns)
    assert hit.event_category == c  # the custom event columns are kept (§4.3)
