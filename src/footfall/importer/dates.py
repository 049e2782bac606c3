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
    """Memoized stamp → unix seconds for one parser (one thread).

    A CLF stamp in its usual shape (`dd/Mon/yyyy:HH:MM:SS +hhmm`) is split into the day and zone,
    each memoized, plus the time of day read by slicing: a log with a line every few seconds has
    a new stamp on most lines, but only one new day a day.
    """

    __slots__ = ("_days", "_iso", "_known")

    def __init__(self, iso: bool = False) -> None:
        self._known: dict[str, float | None] = {}
        self._days: dict[str, float | None] = {}
        self._iso = iso

    def __call__(self, stamp: str) -> float | None:
        known = self._known
        if stamp in known:
            return known[stamp]
        if len(known) >= _LIMIT:
            known.clear()
        if self._iso:
            value = iso_time(stamp)
        elif len(stamp) == 26 and stamp[11] == ":" and stamp[14] == ":" and stamp[20] == " ":
            value = self._clf(stamp)
        else:
            value = clf_time(stamp)
        known[stamp] = value
        return value

    def _clf(self, stamp: str) -> float | None:
        """The usual CLF shape: day and zone memoized, the time of day sliced."""
        day_zone = stamp[:11] + stamp[20:]
        days = self._days
        if day_zone not in days:
            if len(days) >= _LIMIT:
                days.clear()
            days[day_zone] = clf_time(stamp[:11] + ":00:00:00" + stamp[20:])
        base = days[day_zone]
        clock = stamp[12:14], stamp[15:17], stamp[18:20]
        if base is None or not all(part.isdigit() for part in clock):
            return clf_time(stamp)
        h, m, s = int(clock[0]), int(clock[1]), int(clock[2])
        if h > 23 or m > 59 or s > 60:
            return None
        return base + h * 3600 + m * 60 + min(s, 59)
