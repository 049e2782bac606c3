"""Consent Manager custom events → consent event types and columns (DATA-MODEL §4.3)."""

from __future__ import annotations

import re

from footfall.model.columns import CONSENT_DECISION, CONSENT_FORM_CLICK, CONSENT_FORM_IMPRESSION

_VIEWS = ("consent form views",)
_CLICKS = ("consent form interactions",)
_DECISIONS = ("consents", "consent decisions")  # "consent decisions": the 2021 label (CMI)
_BY_TYPE = ("consents by type",)

# e_a → consent_source; older CMI labels ("automatic", "reminder widget", …) accepted too
_SOURCES = {
    "main form": 1,
    "automatic": 1,
    "reminder": 2,
    "reminder widget": 2,
    "privacy policy": 3,
    "privacy policy link": 3,
}
_BUTTONS = {
    "agreed to all": 1,
    "agree to all": 1,
    "rejected all": 2,
    "reject all": 2,
    "saved choices": 3,
    "save choices": 3,
    "closed a form": 4,
    "close": 4,
}
_DECISION_COLUMNS = {
    "full consent": ("consent_scope", 1),
    "any consent": ("consent_scope", 2),
    "no consent": ("consent_scope", 3),
    "first consent": ("consent_action", 1),
    "changed consent": ("consent_action", 2),
}
_ACTIONS = {"first consent": 1, "changed consent": 2}
_TYPES = {
    "analytics": "analytics",
    "ab_testing_personalization": "ab_testing_personalization",
    "ab_testing_and_personalization": "ab_testing_personalization",
    "a_b_testing_and_personalization": "ab_testing_personalization",
    "a_b_testing_personalization": "ab_testing_personalization",
    "conversion_tracking": "conversion_tracking",
    "marketing_automation": "marketing_automation",
    "remarketing": "remarketing",
    "user_feedback": "user_feedback",
    "custom_1": "custom_1",
    "custom_consent": "custom_1",
    "custom": "custom_1",
}


def consent_event(category: str, action: str, name: str) -> tuple[int, dict[str, int]] | None:
    """(event type, consent columns) of a Consent Manager event, None for any other event."""
    c, a, n = category.strip().lower(), action.strip().lower(), name.strip().lower()
    if c in _VIEWS and a in _SOURCES:
        return CONSENT_FORM_IMPRESSION, {"consent_source": _SOURCES[a]}
    if c in _CLICKS and a in _BUTTONS:
        return CONSENT_FORM_CLICK, {"consent_form_button": _BUTTONS[a]}
    if c in _DECISIONS and a in _DECISION_COLUMNS:
        column, value = _DECISION_COLUMNS[a]
        return CONSENT_DECISION, {column: value}
    if c in _BY_TYPE:
        kind = _TYPES.get(re.sub(r"[^a-z0-9]+", "_", a).strip("_"))
        if kind is not None:
            return CONSENT_DECISION, {
                f"consent_type_{kind}": 1,
                "consent_action": _ACTIONS.get(n, 1),
            }
    return None
