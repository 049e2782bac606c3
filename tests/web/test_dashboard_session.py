"""The dashboard's signed session cookie and CSRF token."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from footfall.web.session import SESSION_SECONDS, Signer, Throttle

SIGNER = Signer(b"k" * 32)


def test_a_session_cookie_names_its_user_until_it_expires() -> None:
    value = SIGNER.session_value("user-1", now=1000)
    assert SIGNER.session_user(value, now=1000) == "user-1"
    assert SIGNER.session_user(value, now=1000 + SESSION_SECONDS - 1) == "user-1"
    assert SIGNER.session_user(value, now=1000 + SESSION_SECONDS) is None
    assert SIGNER.session_user(value, now=999) is None  # issued in the future


def test_a_cookie_cannot_be_forged_or_moved_to_another_user() -> None:
    value = SIGNER.session_value("user-1", now=1000)
    _, issued, mac = value.split(".")
    assert SIGNER.session_user(f"user-2.{issued}.{mac}", now=1000) is None
    assert SIGNER.session_user(f"user-1.{int(issued) + 60}.{mac}", now=1100) is None
    assert Signer(b"other key").session_user(value, now=1000) is None


def test_csrf_token_matches_only_its_cookie() -> None:
    token = SIGNER.csrf_token("cookie-a")
    assert SIGNER.csrf_ok("cookie-a", token)
    assert not SIGNER.csrf_ok("cookie-b", token)
    assert not SIGNER.csrf_ok(None, token)
    assert not SIGNER.csrf_ok("cookie-a", None)
    assert not SIGNER.csrf_ok("cookie-a", "cookie-a")


@given(st.text(max_size=200))
def test_any_cookie_text_is_refused_without_error(value: str) -> None:
    assert SIGNER.session_user(value, now=1000) is None


def test_throttle_blocks_an_ip_after_its_failures_until_the_window_passes() -> None:
    throttle = Throttle(limit=3, window=60)
    for t in (0, 1, 2):
        assert not throttle.blocked("1.2.3.4", now=t)
        throttle.failed("1.2.3.4", now=t)
    assert throttle.blocked("1.2.3.4", now=3)
    assert not throttle.blocked("5.6.7.8", now=3)  # per IP
    assert throttle.blocked("1.2.3.4", now=59)
    assert not throttle.blocked("1.2.3.4", now=61)  # the oldest failure left the window
