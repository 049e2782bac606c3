"""Log timestamps as unix seconds: Apache/Nginx `%d/%b/%Y:%H:%M:%S %z`, ISO 8601, W3C date + time.

why: strptime costs ~8 µs a call, and a busy log repeats the same second on many lines, so each
parser keeps the last few thousand distinct stamps in a dict and converts a new one by slicing.
"""

from __future__ import annotations

import calendar
import re

__all__ = ["TimeCache", "clf_time", "iso_time"]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_CLF = re.compile(r"(\d{1,2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:\s+(\S+))?")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")
_LIMIT = 4096  # distinct stamps kept per cache before it starts over


def _offset_seconds(tz: str) -> int | None:
    """`+0200`, `-07:00`, `Z` or "" as seconds east of UTC; None when unreadable."""
    tz = tz.strip()
    if not tz or tz == "Z":
        return 0
    m = _OFFSET.fullmatch(tz)
    if m is None:
        return None
    seconds = int(m.group(2)) * 3600 + int(m.group(3)) * 60
    return -seconds if m.group(1) == "-" else seconds


def _epoch(y: int, mo: int, d: int, h: int, mi: int, s: int) -> float | None:
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]) or h > 23 or mi > 59:
        return None
    return float(calendar.timegm((y, mo, d, h, mi, min(s, 59))))


def clf_time(stamp: str) -> float | None:
    """`10/Oct/2000:13:55:36 -0700` as unix seconds (no zone: UTC), None when malformed."""
    m = _CLF.fullmatch(stamp.strip())
    month = _MONTHS.get(m.group(2).title()) if m else None
    offset = _offset_seconds(m.group(7) or "") if m else None
    if m is None or month is None or offset is None:
        return None
    t = _epoch(int(m.group(3)), month, int(m.group(1)), *map(int, m.group(4, 5, 6)))
    return None if t is None else t - offset


def iso_time(stamp: str) -> float | None:
    """`2013-10-10T16:52:00+02:00` (or a W3C `2013-10-10 16:52:00`, UTC) as unix seconds."""
    m = _ISO.fullmatch(stamp.strip())
    if m is None:
        return None
    offset = _offset_seconds(m.group(7) or "")
    if offset is None:
        return None
    t = _epoch(*map(int, m.group(1, 2, 3, 4, 5, 6)))
    return None if t is None else t - offset


class TimeCache:
    """Memoized stamp → unix seconds for one parser (one thread)."""

    __slots__ = ("_known", "_parse")

    def __init__(self, iso: bool = False) -> None:
        self._known: dict[str, float | None] = {}
        self._parse = iso_time if iso else clf_time

    def __call__(self, stamp: str) -> float | None:
        known = self._known
        if stamp in known:
            return known[stamp]
        if len(known) >= _LIMIT:
            known.clear()
        value = known[stamp] = self._parse(stamp)
        return value
