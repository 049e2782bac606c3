"""`to_path` (seed Table 4, DATA-MODEL §3.4) on DuckDB against a plain-Python reading of its rule.

The rule: the URL path without scheme, authority, query or fragment; `/` when that is empty; ''
for an empty URL. The dialect writes it as one anchored regular expression (the fast form behind
/statistics/page, BENCHMARKS.md); this checks that form on arbitrary text, URLs or not.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.query.dialects.duckdb import DuckDBDialect

_AUTHORITY = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*")


def reference(url: str) -> str:
    """The documented rule, step by step."""
    if url == "":
        return ""
    rest = _AUTHORITY.sub("", url, count=1)
    path = re.split(r"[?#]", rest, maxsplit=1)[0]
    return path or "/"


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def to_path(con: duckdb.DuckDBPyConnection, url: str) -> str:
    sql = "SELECT " + DuckDBDialect.functions["to_path"].format("$1")
    row = con.execute(sql, [url]).fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("", ""),
        ("https://shop.example.com", "/"),
        ("https://shop.example.com/", "/"),
        ("https://shop.example.com/a/b?x=1#top", "/a/b"),
        ("HTTP://user@host:8080/p#f?g", "/p"),
        ("https://example.com?q=1", "/"),
        ("/relative/path?x", "/relative/path"),
        ("?only=query", "/"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        ("https://a.example/ünï/çødé", "/ünï/çødé"),
    ],
)
def test_examples(con: duckdb.DuckDBPyConnection, url: str, path: str) -> None:
    assert to_path(con, url) == path == reference(url)


URLS = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda scheme, host, path, tail: f"{scheme}://{host}{path}{tail}",
        st.sampled_from(["http", "https", "ftp", "a+b.c-d"]),
        st.text(alphabet="abc.:@-1", max_size=12),
        st.text(alphabet="/abc%é-_.", max_size=16),
        st.text(alphabet="?#=&/ab", max_size=10),
    ),
)


@settings(max_examples=200, deadline=None)
@given(url=URLS)
def test_any_text(con: duckdb.DuckDBPyConnection, url: str) -> None:
    if "\x00" in url:  # DuckDB strings end at NUL in bound parameters
        url = url.replace("\x00", "")
    assert to_path(con, url) == reference(url)
