"""When a hit starts a new session, and which open session it joins (DATA-MODEL §5.1, §5.2)."""

from __future__ import annotations

import dataclasses

import pytest

from footfall.model.columns import HEARTBEAT, PAGE_PERFORMANCE
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.pipeline.sessions import Sessionizer
from footfall.pipeline.sessions.visitors import uid_visitor_id

from .factory import APP, COOKIE, feed, make_hit, page, sessions_by_id


def session_ids(rows: list[dict[str, object]]) -> list[object]:
    return [r["session_id"] for r in rows]


@pytest.mark.parametrize(("gap_minutes", "sessions"), [(29, 1), (30, 1), (31, 2)])
def test_inactivity_timeout(gap_minutes: int, sessions: int) -> None:
    rows, _ = feed(Sessionizer(), [page(1, 0, "/a"), page(2, gap_minutes * 60, "/b")])
    assert len(set(session_ids(rows))) == sessions


def test_timeout_is_per_app() -> None:
    short = dataclasses.replace(APP, session_timeout_seconds=600)
    rows, _ = feed(Sessionizer(), [page(1, 0, "/a"), page(2, 11 * 60, "/b")], short)
    assert len(set(session_ids(rows))) == 2


def test_timeout_counts_from_the_last_event_not_the_first() -> None:
    hits = [page(i + 1, i * 20 * 60, f"/{i}") for i in range(5)]  # 80 minutes, 20-minute gaps
    rows, _ = feed(Sessionizer(), hits)
    assert len(set(session_ids(rows))) == 1


def test_new_visit_forces_a_new_session() -> None:
    rows, _ = feed(Sessionizer(), [page(1, 0, "/a"), page(2, 5, "/b", new_visit=True)])
    assert session_ids(rows) == [1 << 4, 2 << 4]


def test_session_id_is_the_first_event_id() -> None:
    rows, _ = feed(Sessionizer(), [page(7, 0, "/a"), page(9, 5, "/b")])
    assert [r["event_id"] for r in rows] == [7 << 4, 9 << 4]
    assert session_ids(rows) == [7 << 4, 7 << 4]


def campaign(seq: int, at: float, name: str) -> Hit:
    return page(
        seq, at, f"/?utm_campaign={name}", has_campaign=True, referrer_type=6, campaign_name=name
    )


def test_campaign_change_splits() -> None:
    hits = [campaign(1, 0, "spring"), campaign(2, 5, "Spring"), campaign(3, 10, "summer")]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 16, 48]  # same name in another case: same campaign


def test_campaign_after_direct_entry_splits_unless_disabled() -> None:
    hits = [page(1, 0, "/"), campaign(2, 5, "spring")]
    rows, _ = feed(Sessionizer(), hits)
    assert len(set(session_ids(rows))) == 2
    off = dataclasses.replace(APP, create_new_visit_when_campaign_changes=False)
    rows, _ = feed(Sessionizer(), hits, off)
    assert len(set(session_ids(rows))) == 1


def website_ref(seq: int, at: float, host: str) -> Hit:
    return page(seq, at, "/", referrer_type=3, source=host, medium="referral")


@pytest.mark.parametrize(("enabled", "sessions"), [(False, 1), (True, 2)])
def test_website_referrer_change_setting(enabled: bool, sessions: int) -> None:
    app = dataclasses.replace(APP, create_new_visit_when_website_referrer_changes=enabled)
    hits = [website_ref(1, 0, "a.example"), website_ref(2, 5, "a.example")]
    hits.append(website_ref(3, 10, "b.example"))
    hits.append(page(4, 15, "/internal"))  # internal / direct referrer never splits
    rows, _ = feed(Sessionizer(), hits, app)
    assert len(set(session_ids(rows))) == sessions


def test_uid_appearing_mid_session_rekeys_it() -> None:
    sz = Sessionizer()
    rows, _ = feed(sz, [page(1, 0, "/a")])
    first = sessions_by_id(sz)[16]
    assert first["visitor_id"] == int(COOKIE, 16)
    assert first["session_version"] == 1
    rows, _ = feed(sz, [page(2, 5, "/b", user_id="alice"), page(3, 6, "/c")])
    assert session_ids(rows) == [16, 16]
    row = sessions_by_id(sz)[16]
    assert row["visitor_id"] == uid_visitor_id("alice")
    assert row["user_id"] == "alice"  # kept by the later hit without uid
    assert row["cookie_id"] == int(COOKIE, 16)
    assert row["session_version"] == 2


def test_conflicting_uid_starts_a_new_session_and_the_old_one_stays_reachable() -> None:
    hits = [
        page(1, 0, "/a", user_id="alice"),
        page(2, 5, "/b", user_id="bob"),
        page(3, 10, "/c", user_id="alice"),
        page(4, 15, "/d"),  # no uid: the cookie now points at bob's session
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 32, 16, 32]


def test_uid_wins_over_cookie_id() -> None:
    hits = [
        page(1, 0, "/a", user_id="alice", cookie_visitor_id="00000000000000a1", fingerprint=1),
        page(2, 5, "/b", user_id="alice", cookie_visitor_id="00000000000000b2", fingerprint=2),
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 16]


def test_cid_overrides_cookie_id_for_matching() -> None:
    hits = [
        page(1, 0, "/a", forced_visitor_id="00000000000000c1", cookie_visitor_id="", fingerprint=1),
        page(2, 5, "/b", forced_visitor_id="00000000000000c1", fingerprint=2),
        page(3, 9, "/c", forced_visitor_id="00000000000000c2", fingerprint=3),
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 16, 48]


def test_session_hash_matches_cookieless_hits_when_enabled() -> None:
    cookieless = [page(1, 0, "/a", cookie_visitor_id=""), page(2, 5, "/b", cookie_visitor_id="")]
    rows, _ = feed(Sessionizer(), cookieless)
    assert session_ids(rows) == [16, 16]
    off = dataclasses.replace(APP, use_session_hash=False)
    rows, _ = feed(Sessionizer(), cookieless, off)
    assert session_ids(rows) == [16, 32]


def test_anonymous_hits_follow_the_anonymous_hash_setting() -> None:
    hits = [
        page(1, 0, "/a", cookie_visitor_id="", is_anonymous=True),
        page(2, 5, "/b", cookie_visitor_id="", is_anonymous=True),
    ]
    off = dataclasses.replace(APP, use_anonymous_session_hash=False)
    rows, _ = feed(Sessionizer(), hits, off)
    assert session_ids(rows) == [16, 32]
    rows, _ = feed(Sessionizer(), hits, dataclasses.replace(APP, use_session_hash=False))
    assert session_ids(rows) == [16, 16]


def test_session_hash_never_joins_two_different_cookie_ids() -> None:
    hits = [
        page(1, 0, "/a", cookie_visitor_id="00000000000000a1"),
        page(2, 5, "/b", cookie_visitor_id="00000000000000b2"),  # same fingerprint, other cookie
        page(3, 6, "/c", cookie_visitor_id=""),  # cookieless: joins by hash
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 32, 32]


def test_cookie_appearing_in_a_cookieless_session_is_indexed() -> None:
    hits = [
        page(1, 0, "/a", cookie_visitor_id=""),
        page(2, 5, "/b", cookie_visitor_id="00000000000000d4"),
        page(3, 6, "/c", cookie_visitor_id="00000000000000d4", fingerprint=999),
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 16, 16]


def test_websites_never_share_sessions() -> None:
    other = "00000000-0000-0000-0000-0000000000bb"
    sz = Sessionizer()
    feed(sz, [page(1, 0, "/a")])
    out, _ = sz.add(page(2, 5, "/b", website_id=other), dataclasses.replace(APP, website_id=other))
    assert out[0]["session_id"] == 32
    assert sz.open_sessions() == 2


@pytest.mark.parametrize("ping_type", [HEARTBEAT, PAGE_PERFORMANCE, 15, 20])
def test_orphan_ping_is_dropped(ping_type: int) -> None:
    sz = Sessionizer()
    rows, reasons = feed(sz, [page(1, 0, "/a", event_type=ping_type)])
    assert rows == [] and reasons == [Reason.ORPHAN_PING]
    assert sz.open_sessions() == 0 and sz.drain_dirty() == []


def test_ping_after_the_timeout_is_an_orphan() -> None:
    hits = [page(1, 0, "/a"), page(2, 31 * 60, "/a", event_type=HEARTBEAT)]
    _, reasons = feed(Sessionizer(), hits)
    assert reasons == [None, Reason.ORPHAN_PING]


def test_ping_with_new_visit_joins_the_open_session() -> None:
    hits = [page(1, 0, "/a"), page(2, 60, "/a", event_type=HEARTBEAT, new_visit=True)]
    rows, reasons = feed(Sessionizer(), hits)
    assert reasons == [None, None] and session_ids(rows) == [16, 16]


def test_event_count_limit_split_and_exclude() -> None:
    app = dataclasses.replace(APP, session_max_event_count=3)
    hits = [page(i, i * 10, f"/{i}") for i in range(1, 6)]
    hits.append(page(6, 50 + 31 * 60, "/later"))  # after the timeout: a new session
    rows, reasons = feed(Sessionizer(), hits, app)
    assert reasons == [None, None, None, Reason.SESSION_LIMIT, Reason.SESSION_LIMIT, None]
    assert session_ids(rows) == [16, 16, 16, 96]


def test_event_count_limit_just_split() -> None:
    app = dataclasses.replace(
        APP, session_max_event_count=3, session_limit_exceeded_action="just_split"
    )
    hits = [page(i, i * 10, f"/{i}") for i in range(1, 6)]
    rows, reasons = feed(Sessionizer(), hits, app)
    assert reasons == [None] * 5
    assert session_ids(rows) == [16, 16, 16, 64, 64]


def test_duration_limit_both_actions() -> None:
    hits = [page(i, (i - 1) * 20 * 60, f"/{i}") for i in range(1, 6)]  # 0..80 minutes
    app = dataclasses.replace(APP, session_max_duration_seconds=3600)
    rows, reasons = feed(Sessionizer(), hits, app)
    assert reasons == [None, None, None, None, Reason.SESSION_LIMIT]
    split = dataclasses.replace(app, session_limit_exceeded_action="just_split")
    rows, reasons = feed(Sessionizer(), hits, split)
    assert session_ids(rows) == [16, 16, 16, 16, 80]


def test_no_midnight_split() -> None:
    midnight = 1709337600.0  # 2024-03-02 00:00:00 UTC
    hits = [make_hit(1, 0, timestamp=midnight - 60), make_hit(2, 0, timestamp=midnight + 60)]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 16]


def test_late_hit_within_the_timeout_joins_and_widens_the_session() -> None:
    sz = Sessionizer()
    rows, _ = feed(sz, [page(1, 600, "/a"), page(2, 900, "/b"), page(3, 300, "/early")])
    assert session_ids(rows) == [16, 16, 16]
    row = sessions_by_id(sz)[16]
    assert row["timestamp"] == rows[2]["timestamp"]
    assert row["session_total_time"] == 600


def test_late_hit_far_before_the_session_starts_its_own_without_stealing_it() -> None:
    hits = [page(1, 7200, "/now"), page(2, 0, "/two-hours-ago"), page(3, 7260, "/next")]
    rows, _ = feed(Sessionizer(), hits)
    assert session_ids(rows) == [16, 32, 16]
