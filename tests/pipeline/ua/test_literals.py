"""Required literals: exact on hand-made patterns, and sound on device-detector's own patterns."""

from __future__ import annotations

import random
import re

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.pipeline.ua import screen
from footfall.pipeline.ua.literals import required_literals
from footfall.pipeline.ua.table import literals_of

BOUNDED = r"(?:^|[^A-Z0-9_-]|[^A-Z0-9-]_|sprd-|MZ-)(?:{})"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (BOUNDED.format("SM-G9[0-9]{2}"), {"sm-g9"}),
        (r"Firefox/(\d+)", {"firefox/"}),
        ("[Bb]uild/", {"build/"}),
        ("abc|de", {"abc", "de"}),
        ("a(?:101|110|2[01]0)", {"a101", "a110", "a200", "a210"}),
        ("x(ab)?c", {"xc", "xabc"}),
        (r"Qtouch_| (Q09|QS31)(?:[);/ ]|$)", {"qtouch_", " q09", " qs31"}),
        ("x(?=foo)bar", {"xbar"}),
        # an option in common UA text ("android 13") loses to a rarer one
        (r"Android 13[\d.]*; (?:C19|C22)", {"; c19", "; c22"}),
        (r"Android 13; (?:C19|C22)", {"android 13; c19", "android 13; c22"}),
    ],
)
def test_literals_of_plain_patterns(pattern: str, expected: set[str]) -> None:
    assert required_literals(pattern, regex.IGNORECASE) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "a?b*",  # may match the empty string
        r"\p{L}x",  # `regex`-only escape: unknown to the stdlib parser
        "(foo){e<=1}",  # fuzzy matching: `regex`-only, would read as a literal
        "[[:alpha:]]+x",  # POSIX class: the stdlib warns (nested set)
        "(?x) a b",  # verbose
        "(?:a|.*b?)",  # one alternative without any literal
        "é+",  # non-ASCII literals are never used
    ],
)
def test_unknown_when_unsure(pattern: str) -> None:
    assert required_literals(pattern, regex.IGNORECASE) is None


def _library_patterns() -> list[tuple[str, int]]:
    screen.install()
    found = sorted({(rx.pattern, rx.flags) for rx in screen.screened_regexes()})
    usable = []
    for pattern, flags in found:
        try:
            re.compile(pattern, flags)  # hypothesis draws matching text from stdlib patterns
        except re.error:
            continue
        usable.append((pattern, flags))
    return random.Random(7).sample(usable, 400)


PATTERNS = _library_patterns()


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_library_patterns_never_skip_a_match(data: st.DataObject) -> None:
    """Text that a device-detector regex matches always contains one of its literals."""
    pattern, flags = data.draw(st.sampled_from(PATTERNS))
    text = data.draw(st.from_regex(re.compile(pattern, flags)))
    compiled = regex.compile(pattern, flags)
    literals = literals_of(pattern, flags)
    if compiled.search(text) and literals and text.isascii():
        assert any(literal in text.lower() for literal in literals), (pattern, text)


def test_shipped_table_matches_the_analysis() -> None:
    """The table in footfall/data is what the analysis gives today (rewrite: bench/ua.py --write-literals)."""
    for pattern, flags in PATTERNS[:150]:
        found = required_literals(pattern, flags)
        assert set(literals_of(pattern, flags)) == (found or set())
