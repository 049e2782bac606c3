"""Raw data: POST /api/analytics/v1/sessions/ and /events/ against the plan (api-notes §1.2):
row counts, the identifier columns they prepend, and the requested columns of every row."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from query.oracle.compare import parse_cell
from query.oracle.truth import StoredSession
from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS, DAYS, FIRST_DAY

pytestmark = pytest.mark.e2e

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
KEYS = [a.key for a in APPS]
SESSION_COLUMNS = (
    "referrer_type",
    "source",
    "device_type",
    "browser_name",
    "operating_system",
    "location_country_name",
    "session_total_page_views",
    "session_total_events",
    "session_total_time",
    "is_bounce",
)
EVENT_COLUMNS = ("event_type", "event_url", "event_title")


def _export(oracle: Oracle, app: str, kind: str, columns: tuple[str, ...]) -> dict[str, Any]:
    body = {
        "website_id": oracle.app_ids[app],
        "date_from": FIRST_DAY.isoformat(),
        "date_to": LAST_DAY.isoformat(),
        "columns": [{"column_id": c} for c in columns],
        "limit": 100000,
    }
    r = oracle.post(f"/api/analytics/v1/{kind}/", body)
    assert r.status_code == 200, r.text[:500]
    data: dict[str, Any] = r.json()
    return data


def _in_range(oracle: Oracle, app: str) -> list[StoredSession]:
    return [
        s for s in oracle.sessions(app) if FIRST_DAY <= s.values["timestamp"].date() <= LAST_DAY
    ]


def _session_truth(s: StoredSession) -> tuple[Any, ...]:
    v = s.values
    return (
        v["referrer_type"],
        v["source"],
        v["device_type"],
        v["browser_name"],
        v["operating_system"],
        v["location_country_name"],
        v["page_views"],
        v["session_total_events"],
        v["session_total_time"],
        v["is_bounce"],
    )


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "T"))


@pytest.mark.parametrize("app", KEYS)
def test_sessions_export_matches_the_plan(oracle: Oracle, app: str) -> None:
    got = _export(oracle, app, "sessions", SESSION_COLUMNS)
    sessions = _in_range(oracle, app)
    assert got["meta"]["columns"] == ["session_id", "visitor_id", "timestamp", *SESSION_COLUMNS]
    assert got["meta"]["count"] == len(sessions) == len(got["data"])
    want = Counter((s.plan.visitor_id, s.values["timestamp"], *_session_truth(s)) for s in sessions)
    known = {s.plan.visitor_id for s in sessions if s.plan.visitor_id}
    rows = Counter(
        (
            row[1] if row[1] in known else None,
            _when(row[2]),
            *(parse_cell(c) for c in row[3:]),
        )
        for row in got["data"]
    )
    missing, extra = want - rows, rows - want
    assert not missing and not extra, f"missing {list(missing)[:5]}\nextra {list(extra)[:5]}"
    assert len({row[0] for row in got["data"]}) == len(sessions), "session_id is unique"
    assert all(len(row[1]) == 16 and int(row[1], 16) >= 0 for row in got["data"])


@pytest.mark.parametrize("app", KEYS)
def test_events_export_matches_the_plan(oracle: Oracle, app: str) -> None:
    got = _export(oracle, app, "events", EVENT_COLUMNS)
    sessions = _in_range(oracle, app)
    rows = [r for s in sessions for r in s.rows]
    assert got["meta"]["columns"] == [
        "session_id",
        "event_id",
        "visitor_id",
        "timestamp",
        *EVENT_COLUMNS,
    ]
    assert got["meta"]["count"] == len(rows) == len(got["data"])
    known = {s.plan.visitor_id for s in sessions if s.plan.visitor_id}
    want = Counter(
        (
            r["_session"].plan.visitor_id,
            r["event_time"],
            r["event_type"],
            r["event_url"],
            r["event_title"],
        )
        for r in rows
    )
    have = Counter(
        (
            row[2] if row[2] in known else None,
            _when(row[3]),
            parse_cell(row[4]),
            row[5],
            row[6],
        )
        for row in got["data"]
    )
    missing, extra = want - have, have - want
    assert not missing and not extra, f"missing {list(missing)[:5]}\nextra {list(extra)[:5]}"
    assert len({row[1] for row in got["data"]}) == len(rows), "event_id is unique"


@pytest.mark.parametrize("app", KEYS)
def test_exports_agree_on_session_ids(oracle: Oracle, app: str) -> None:
    # columns* is required (api-notes §1.2): one small column each
    sessions = _export(oracle, app, "sessions", ("device_type",))
    events = _export(oracle, app, "events", ("event_type",))
    by_session: dict[Any, set[tuple[Any, date]]] = defaultdict(set)
    for sid, _eid, vid, ts, _type in events["data"]:
        by_session[sid].add((vid, _when(ts).date()))
    assert set(by_session) == {row[0] for row in sessions["data"]}
    # one visitor and one day per session: every planned session lies in one local day
    assert all(len(v) == 1 for v in by_session.values())
    starts = {row[0]: (row[1], _when(row[2])) for row in sessions["data"]}
    first_event: dict[Any, datetime] = {}
    for sid, _eid, _vid, ts, _type in events["data"]:
        when = _when(ts)
        first_event[sid] = min(first_event.get(sid, when), when)
    assert all(starts[sid][1] == first_event[sid] for sid in starts), (
        "session starts at its first event"
    )
