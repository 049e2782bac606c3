"""Hits, apps and a run helper for the sessionizer tests (pure: no store, no steps)."""

from __future__ import annotations

from typing import Any

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.sessions import Sessionizer

WEBSITE = "00000000-0000-0000-0000-0000000000aa"
#: 2024-03-01 12:00:00 UTC
T0 = 1709294400.0
COOKIE = "00000000000000a1"
APP = AppSettings(website_id=WEBSITE)


def make_hit(seq: int, at: float = 0.0, **fields: Any) -> Hit:
    """An enriched page-view Hit of visitor COOKIE at T0 + `at` seconds, overridden by `fields`."""
    base: dict[str, Any] = {
        "website_id": WEBSITE,
        "seq": seq,
        "received_at": T0 + at,
        "timestamp": T0 + at,
        "cookie_visitor_id": COOKIE,
        "event_type": 1,
        "url": "https://example.com/",
        "event_url": "https://example.com/",
        "event_title": "Home",
        "fingerprint": 77,
    }
    base.update(fields)
    return Hit(**base)


def page(seq: int, at: float, path: str, title: str = "", **fields: Any) -> Hit:
    """A page view of https://example.com{path}."""
    url = f"https://example.com{path}"
    return make_hit(seq, at, url=url, event_url=url, event_title=title or path, **fields)


def event(seq: int, at: float, event_type: int, **fields: Any) -> Hit:
    """A non-page-view hit without url or title (they come from the page view)."""
    return make_hit(seq, at, event_type=event_type, url="", event_url="", event_title="", **fields)


def feed(
    sz: Sessionizer, hits: list[Hit], app: AppSettings = APP
) -> tuple[list[dict[str, Any]], list[Reason | None]]:
    """Add every hit; return all event rows and the reason of each hit."""
    rows: list[dict[str, Any]] = []
    reasons: list[Reason | None] = []
    for hit in hits:
        out, reason = sz.add(hit, app)
        rows.extend(out)
        reasons.append(reason)
    return rows, reasons


def sessions_by_id(sz: Sessionizer) -> dict[int, dict[str, Any]]:
    """drain_dirty() keyed by session_id."""
    return {row["session_id"]: row for row in sz.drain_dirty()}


def one_session(sz: Sessionizer) -> dict[str, Any]:
    """The single session row of a drain (asserts there is exactly one)."""
    rows = sz.drain_dirty()
    assert len(rows) == 1, rows
    return rows[0]
