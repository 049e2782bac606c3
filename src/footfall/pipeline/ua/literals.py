"""Required literals of a regex: strings of which at least one must occur in any text it matches.

device-detector tries thousands of regexes in order and takes the first match; nearly all of
them contain literal tokens ("SM-G9", "Firefox/", "Nexus") without which they cannot match.
Knowing those tokens lets the caller skip a regex with a substring test instead of a regex
search (and skip compiling it at all). The analysis must be sound: it may answer "unknown"
(None), never a literal the regex can match without.

Each node of the parsed pattern is summarised RE2-prefilter style: `exact`, the finite set of
(lowercased) strings it can match when that set is small, and `required`, a set of strings one
of which occurs in every match. Concatenation multiplies exact sets; alternation unites them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, NamedTuple

__all__ = ["required_literals"]

Strings = frozenset[str]
#: the most strings an exact set may hold before it is given up (keeps products small)
_LIMIT = 64
#: a `{` that opens a plain counted repeat; any other `{` may be `regex`-only syntax (fuzzy
#: matching `{e<=1}`, `\p{..}`) that the stdlib parser would read as literal text
_PLAIN_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_EMPTY: Strings = frozenset([""])
#: text every mainstream browser's user agent is made of; a literal found in it screens out
#: almost nothing, so a rarer one is preferred even when shorter
_COMMON_TEXT = " | ".join(
    [
        "mozilla/5.0 (windows nt 10.0; win64; x64) applewebkit/537.36 (khtml, like gecko) chrome/",
        "safari/537.36 edg/ opr/ mobile safari/537.36 samsungbrowser/ version/4.0 ; wv) build/",
        "mozilla/5.0 (macintosh; intel mac os x 10_15_7) version/17.0 safari/605.1.15 mobile/15e148",
        "mozilla/5.0 (iphone; cpu iphone os 17_0 like mac os x) (ipad; cpu os 16_0 like mac os x)",
        "mozilla/5.0 (x11; linux x86_64; rv:121.0) (x11; ubuntu; linux x86_64) gecko/20100101 firefox/",
        "mozilla/5.0 (linux; u; android 4.4.2; en-us; k) (linux; android 10; k)",
    ]
    + [f"android {major}; android {major}.0;" for major in range(1, 17)]
)


class Summary(NamedTuple):
    """What a node can match: its exact strings (None = too many) and required strings (None = unknown)."""

    exact: Strings | None
    required: Strings | None


_UNKNOWN = Summary(None, None)


def required_literals(pattern: str, flags: int = 0) -> Strings | None:
    """Lowercase ASCII strings, one of which occurs (case-insensitively) in every match; None if unknown.

    The pattern is read with the stdlib parser, whose syntax the `regex` module's version 0
    shares; anything it rejects or warns about (nested sets, `regex`-only escapes) is unknown.
    """
    if flags & re.VERBOSE or not _plain_braces(pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = sre_parse.parse(pattern, flags)
    except (re.error, Warning, RecursionError, OverflowError, ValueError):
        return None
    if parsed.state.flags & re.VERBOSE:
        return None  # why: whitespace handling differs subtly between the two parsers
    found = _sequence(list(parsed)).required
    return _minimal(found) if found else None


def _minimal(strings: Strings) -> Strings:
    """Drops every string that contains another: where it occurs, the shorter one does too."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _plain_braces(pattern: str) -> bool:
    bare = _ESCAPE.sub("", pattern)
    return bare.count("{") == len(_PLAIN_REPEAT.findall(bare))


def _sequence(items: Iterable[tuple[Any, Any]]) -> Summary:
    """A concatenation: exact sets multiply while small; every finished product is an option."""
    options: list[Strings] = []
    current: Strings | None = _EMPTY
    whole = True
    for op, av in items:
        node = _node(op, av)
        if node.required:
            options.append(node.required)
        if node.exact is not None and current is not None:
            product = _product(current, node.exact)
            if product is not None:
                current = product
                continue
        whole = False
        _keep(options, current)
        current = node.exact
    _keep(options, current)
    best = max(options, key=_strength) if options else None
    return Summary(current if whole else None, best)


def _keep(options: list[Strings], strings: Strings | None) -> None:
    if strings and "" not in strings:
        options.append(strings)


def _product(left: Strings, right: Strings) -> Strings | None:
    if len(left) * len(right) > _LIMIT:
        return None
    return frozenset(a + b for a in left for b in right)


def _node(op: Any, av: Any) -> Summary:
    if op is sre.LITERAL:
        char = _ascii_lower(av)
        return Summary(frozenset([char]), frozenset([char])) if char else _UNKNOWN
    if op is sre.IN:
        chars = _set_chars(av)
        return Summary(chars, None) if chars else _UNKNOWN
    if op in _ZERO_WIDTH:
        return Summary(_EMPTY, None)  # matches no text, so it joins its neighbours
    if op is sre.SUBPATTERN:
        return _sequence(av[-1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op in _REPEATS:
        return _repeat(*av)
    if op is sre.BRANCH:
        return _branch([_sequence(a) for a in av[1]])
    return _UNKNOWN


def _ascii_lower(code: int) -> str | None:
    # why: `{`/`}` stay out of literals (see _PLAIN_REPEAT); non-ASCII letters case-fold oddly
    if code < 128 and chr(code) not in "{}":
        return chr(code).lower()
    return None


def _set_chars(items: list[tuple[Any, Any]]) -> Strings | None:
    """The lowercased characters a `[...]` matches, if all are plain ASCII and few."""
    chars: set[str] = set()
    for op, av in items:
        codes = [av] if op is sre.LITERAL else range(av[0], av[1] + 1) if op is sre.RANGE else None
        if codes is None or len(codes) > _LIMIT:
            return None
        for code in codes:
            char = _ascii_lower(code)
            if char is None:
                return None
            chars.add(char)
    return frozenset(chars) if len(chars) <= _LIMIT else None


def _repeat(low: int, high: int, body: Any) -> Summary:
    inner = _sequence(body)
    required = inner.required if low >= 1 else None
    if inner.exact is None or high > 3:
        return Summary(None, required)
    exact: Strings = frozenset()
    power: Strings | None = _EMPTY
    for count in range(high + 1):
        if count >= low:
            exact |= power or frozenset()
        if count < high:
            power = _product(power, inner.exact) if power is not None else None
            if power is None:
                return Summary(None, required)
    return Summary(exact if len(exact) <= _LIMIT else None, required)


def _branch(alternatives: list[Summary]) -> Summary:
    exact: Strings | None = None
    if all(a.exact is not None for a in alternatives):
        union = frozenset().union(*(a.exact or () for a in alternatives))
        exact = union if len(union) <= _LIMIT else None
    required: Strings | None = None
    picks = [_best(a) for a in alternatives]
    if alternatives and all(picks):
        required = frozenset().union(*(p or () for p in picks))
    return Summary(exact, required)


def _best(summary: Summary) -> Strings | None:
    """The stronger of a node's exact set (when it has no empty string) and its required set."""
    candidates = [s for s in (summary.exact, summary.required) if s and "" not in s]
    return max(candidates, key=_strength) if candidates else None


def _strength(options: Strings) -> tuple[bool, int, int]:
    """Options without common UA text first, then a longer shortest literal, then fewer alternatives."""
    return (
        not any(s in _COMMON_TEXT for s in options),
        min(len(s) for s in options),
        -len(options),
    )
