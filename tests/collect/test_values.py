"""Scalar wire values: query strings, numbers, ids, IPs, cdt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.collect.values import (
    is_flag,
    parse_cdt,
    parse_query,
    to_float,
    to_hex16,
    to_int,
    to_ip,
)


@pytest.mark.parametrize(
    ("qs", "expected"),
    [
        ("", {}),
        ("a=1&b=2", {"a": "1", "b": "2"}),
        ("a=1&a=2", {"a": "2"}),  # last value wins
        ("action_name=Help+%2F+Feedback", {"action_name": "Help / Feedback"}),
        ("x=%zz&y=%E2%82%AC", {"x": "%zz", "y": "€"}),  # bad escapes kept as is
        ("x=%ff", {"x": "\ufffd"}),  # invalid UTF-8 replaced, never a surrogate
        ("flag&=v&&k=", {"flag": "", "k": ""}),
        ("a=b=c", {"a": "b=c"}),
        ("k%20ey=1", {"k ey": "1"}),
    ],
)
def test_parse_query(qs: str, expected: dict[str, str]) -> None:
    assert parse_query(qs) == expected


def test_parse_query_with_charset() -> None:
    assert parse_query("t=caf%E9", "iso-8859-1") == {"t": "café"}
    assert parse_query("t=caf%C3%A9", "no-such-charset") == {"t": "café"}


@pytest.mark.parametrize(
    ("raw", "lo", "hi", "expected"),
    [
        ("12", None, None, 12),
        (" 7 ", None, None, 7),
        ("3.9", None, None, 3),
        ("-1", 0, None, None),
        ("99", 0, 50, None),
        ("abc", None, None, None),
        ("", None, None, None),
        (None, None, None, None),
        ("1" * 5000, None, None, None),
        ("nan", None, None, None),
    ],
)
def test_to_int(raw: str | None, lo: int | None, hi: int | None, expected: int | None) -> None:
    assert to_int(raw, lo, hi) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.5", 1.5), ("12,50", 12.5), ("1,234.5", None), ("inf", None), ("nan", None), ("x", None)],
)
def test_to_float(raw: str, expected: float | None) -> None:
    assert to_float(raw) == expected


def test_flags_ids_ips() -> None:
    assert is_flag("1") and not is_flag("0") and not is_flag(None) and not is_flag("")
    assert to_hex16("AF344A398DF83874") == "af344a398df83874"
    assert to_hex16("af344a398df8387") == "" and to_hex16("zf344a398df83874") == ""
    assert to_ip("192.0.2.1") == "192.0.2.1"
    assert to_ip("[2001:DB8::1]") == "2001:db8::1"
    assert to_ip("999.1.1.1") == "" and to_ip(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2011-04-05 00:11:42", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp()),
        ("2011-04-05 00:11:42.250", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp() + 0.25),
        ("2011-04-05T00:11:42Z", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp()),
        ("1302000000", 1302000000.0),
        ("1302000000.5", 1302000000.5),
        ("1302000000500", 1302000000.5),  # milliseconds
        # RFC 3339 as Go's time.Time marshals it (the Pirsch Go SDK): nanoseconds, any offset
        (
            "2011-04-05T01:11:42.123456789+01:00",
            datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp() + 0.123456,
        ),
        ("2011-04-04T19:41:42-04:30", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp()),
        ("2011-04-05t00:11:42z", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp()),
        ("2011-04-05T00:11:42+0000", datetime(2011, 4, 5, 0, 11, 42, tzinfo=UTC).timestamp()),
        ("2011-04-05T00:11:42+24:00", None),
        ("2011-04-05T00:11:42.Z", None),
        ("yesterday", None),
        ("2011-13-05 00:00:00", None),
        ("", None),
        ("0", None),
    ],
)
def test_parse_cdt(raw: str, expected: float | None) -> None:
    assert parse_cdt(raw) == expected


@given(
    when=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59),
    spec=st.sampled_from(["seconds", "milliseconds", "microseconds"]),
)
def test_parse_cdt_reads_every_rfc3339_time(when: datetime, minutes: int, spec: str) -> None:
    """Any instant written in any offset with any precision reads back as that instant."""
    local = when.astimezone(timezone(timedelta(minutes=minutes)))
    text = local.isoformat(timespec=spec)
    assert (
        parse_cdt(text)
        == local.replace(
            microsecond=local.microsecond
            if spec == "microseconds"
            else local.microsecond // 1000 * 1000
            if spec == "milliseconds"
            else 0
        ).timestamp()
    )
    assert parse_cdt(text.replace("+00:00", "Z")) == parse_cdt(text)
    assert parse_cdt(text.replace("T", " ")) == parse_cdt(text)
