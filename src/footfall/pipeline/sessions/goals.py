"""Automatic goal conversions: which goals of an app an event row triggers (DATA-MODEL §4.2)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from footfall.model.columns import CUSTOM_EVENT, DOWNLOAD, OUTLINK, PAGE_VIEW
from footfall.model.settings import AppSettings, Goal

#: trigger → (event type whose rows can match, event column tested) (DATA-MODEL §4.2)
TRIGGERS: dict[str, tuple[int, str]] = {
    "url": (PAGE_VIEW, "event_url"),
    "title": (PAGE_VIEW, "event_title"),
    "event_category": (CUSTOM_EVENT, "custom_event_category"),
    "event_action": (CUSTOM_EVENT, "custom_event_action"),
    "event_name": (CUSTOM_EVENT, "custom_event_name"),
    "file": (DOWNLOAD, "download_url"),
    "external_website": (OUTLINK, "outlink_url"),
}
#: event types that can trigger any automatic goal (fast exit for everything else)
TRIGGER_TYPES = frozenset(t for t, _ in TRIGGERS.values())

_NEVER = re.compile(r"(?!)")
_compiled: dict[tuple[str, bool], re.Pattern[str]] = {}


def _regex(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    """Compiled goal regex, cached; an invalid pattern never matches (bad settings never crash)."""
    key = (pattern, case_sensitive)
    rx = _compiled.get(key)
    if rx is None:
        try:
            rx = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
        except re.error:
            rx = _NEVER
        if len(_compiled) > 4096:
            _compiled.clear()
        _compiled[key] = rx
    return rx


def goal_matches(goal: Goal, row: dict[str, Any]) -> bool:
    """True when the event row fulfils the goal's trigger and pattern (`manually` never does)."""
    spec = TRIGGERS.get(goal.trigger)
    if spec is None or row["event_type"] != spec[0] or not goal.pattern:
        return False
    value: str = row[spec[1]]
    if goal.pattern_type == "regex":
        return _regex(goal.pattern, goal.case_sensitive).search(value) is not None
    pattern = goal.pattern
    if not goal.case_sensitive:
        value, pattern = value.casefold(), pattern.casefold()
    if goal.pattern_type == "exact":
        return value == pattern
    return pattern in value


def find_goal(app: AppSettings, goal_id: int | None) -> Goal | None:
    """The app's goal with this integer id."""
    if goal_id is None:
        return None
    for goal in app.goals:
        if goal.id == goal_id:
            return goal
    return None


def triggered_goals(
    app: AppSettings, row: dict[str, Any], preset: Iterable[int], converted: AbstractSet[int]
) -> list[Goal]:
    """Goals converted by this row, in app order: pattern matches plus ids a goals step preset.

    A goal without `allow_multiple` that the session already converted is skipped (§4.2).
    """
    preset_ids = set(preset)
    if row["event_type"] not in TRIGGER_TYPES and not preset_ids:
        return []
    out: list[Goal] = []
    for goal in app.goals:
        if goal.id in converted and not goal.allow_multiple:
            continue
        if goal.id in preset_ids or goal_matches(goal, row):
            out.append(goal)
    return out
