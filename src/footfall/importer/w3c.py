"""W3C extended log files and their dialects: IIS and Amazon CloudFront (seed 001 §2.4.2).

The `#Fields:` directive names the columns; values are separated by spaces (tabs in CloudFront)
and never contain one unless quoted. IIS writes `time-taken` in milliseconds, W3C and CloudFront
in seconds. CloudFront URL-encodes the user agent twice and logs the site's own host name in
`x-host-header` (`cs(Host)` is the distribution's domain).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from footfall.importer.dates import TimeCache
from footfall.importer.entry import LogEntry

__all__ = ["FIELDS_PREFIX", "W3cFormat", "w3c_format"]

FIELDS_PREFIX = "#Fields:"
_TOKEN = re.compile(r'"[^"]*"|\S+')

#: W3C field name → our field (the first field of a kind present wins)
_MAP = {
    "date": "date",
    "time": "time",
    "c-ip": "ip",
    "cs-method": "method",
    "cs-uri-stem": "path",
    "cs-uri-query": "query",
    "sc-status": "status",
    "c-status": "status",
    "sc-bytes": "length",
    "cs(Referer)": "ref",
    "cs(User-Agent)": "ua",
    "c-user-agent": "ua",
    "cs-host": "host",
    "x-host-header": "host",
    "cs-username": "userid",
    "time-taken": "taken",
    "x-event": "event",
    "x-sname": "event_name",
}
_OUT = ("date", "time", "ip", "method", "path", "query", "status", "length", "ref", "ua")
_OPTIONAL = ("host", "userid", "taken", "event", "event_name")


def _unquoted(value: str) -> str:
    if len(value) > 1 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
    return "" if value == "-" else value


class W3cFormat:
    """A W3C extended layout fixed by one `#Fields:` line."""

    def __init__(self, name: str, fields: list[str]) -> None:
        self.name = name
        self.fields = fields
        position: dict[str, int] = {}
        for index, field in enumerate(fields):
            ours = _MAP.get(field)
            if ours is not None and ours not in position:
                position[ours] = index
        self._count = len(fields)
        self._pos = position
        self._taken_ms = 1.0 if name == "iis" else 1000.0
        self._cloudfront = name == "amazon_cloudfront"
        self._time = TimeCache(iso=True)

    def parse(self, line: str) -> LogEntry | None:
        """The entry of `line`, or None for a directive or a line of another shape."""
        if not line or line[0] == "#":
            return None
        values = line.split() if '"' not in line else _TOKEN.findall(line)
        if len(values) != self._count:
            return None
        pos = self._pos
        got = [_unquoted(values[pos[f]]) if f in pos else "" for f in _OUT]
        date, time_of_day, ip, method, path, query, status, length, ref, ua = got
        if not path.startswith("/") or (status and not status.isdigit()):
            return None
        if self._cloudfront:
            ua = unquote(unquote(ua))  # why: CloudFront encodes the user agent twice
            status = status or "200"
        elif "+" in ua and " " not in ua:
            ua = ua.replace("+", " ")  # why: IIS writes spaces in cs(User-Agent) as '+'
        host, userid, taken, event, event_name = (
            _unquoted(values[pos[f]]) if f in pos else "" for f in _OPTIONAL
        )
        try:
            generation = float(taken) * self._taken_ms if taken else 0.0
        except ValueError:
            generation = 0.0
        entry = LogEntry(
            ip,
            host.lower().strip("."),
            userid,
            self._time(f"{date} {time_of_day}"),
            method,
            path,
            query,
            status,
            length,
            ref,
            ua,
            generation,
        )
        if event:
            entry.event_category, entry.event_action, entry.event_name = (
                "cloudfront_rtmp",
                event,
                event_name,
            )
        return entry


def w3c_format(head: list[str], name: str | None = None) -> W3cFormat | None:
    """The W3C format described by the directives in `head` (None without a `#Fields:` line).

    `name` forces the dialect; else CloudFront when an `x-edge-*` field is present, IIS when
    `sc-win32-status` is or a `#Software:` line names IIS, plain W3C extended otherwise.
    """
    software = ""
    for line in head:
        if line.startswith("#Software:"):
            software = line.lower()
        if line.startswith(FIELDS_PREFIX):
            fields = line[len(FIELDS_PREFIX) :].split()
            if name is None:
                if any(f.startswith("x-edge-") for f in fields):
                    name = "amazon_cloudfront"
                elif "sc-win32-status" in fields or "internet information services" in software:
                    name = "iis"
                else:
                    name = "w3c_extended"
            return W3cFormat(name, fields)
        if line and not line.startswith("#"):
            return None
    return None
