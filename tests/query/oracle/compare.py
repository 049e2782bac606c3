"""Compare an analytics API answer with the oracle's, listing every difference in one message."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

Expected = dict[tuple[Any, ...], list[Any]]


def parse_cell(value: Any) -> Any:
    """A dimension cell as the oracle compares it: enum ids, datetimes and dates as Python values."""
    if isinstance(value, list) and len(value) == 2:
        return value[0]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, str) and len(value) == 19 and value[10] in " T" and value[4] == "-":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _same(want: Any, got: Any) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, bool | int | float) and isinstance(got, bool | int | float):
        return math.isclose(float(want), float(got), rel_tol=1e-9, abs_tol=1e-9)
    return bool(want == got)


def differences(
    expected: Expected, answer: dict[str, Any], n_dims: int, labels: Sequence[str]
) -> list[str]:
    """'column @ row: expected X, got Y' lines (empty when the answer is exact)."""
    rows = answer.get("data")
    if not isinstance(rows, list):
        return [f"no data list in the answer: {str(answer)[:300]}"]
    out: list[str] = []
    got: Expected = {}
    for row in rows:
        key = tuple(parse_cell(c) for c in row[:n_dims])
        if key in got:
            out.append(f"row {key} returned twice")
        got[key] = list(row[n_dims:])
    count = answer.get("meta", {}).get("count")
    if count != len(expected):
        out.append(f"meta.count: expected {len(expected)}, got {count}")
    for key in sorted(set(expected) - set(got), key=repr):
        out.append(f"missing row {key}: expected {dict(zip(labels, expected[key], strict=True))}")
    for key in sorted(set(got) - set(expected), key=repr):
        out.append(f"unexpected row {key}: got {got[key]}")
    for key in sorted(set(got) & set(expected), key=repr):
        for label, w, g in zip(labels, expected[key], got[key], strict=False):
            if not _same(w, g):
                out.append(f"{label} @ {key}: expected {w!r}, got {g!r}")
        if len(got[key]) != len(labels):
            out.append(f"row {key}: {len(got[key])} metric cells, expected {len(labels)}")
    return out


def report(problems: list[str], limit: int = 25) -> str:
    """A readable failure message (the first `limit` lines and how many more)."""
    more = len(problems) - limit
    return "\n".join(problems[:limit] + ([f"... and {more} more"] if more > 0 else []))
