"""Access-log formats (seed 001 §2.4.2 "Supported log formats") and their detection.

Line formats: NCSA common (Apache `common`), NCSA combined (the Apache `combined` and Nginx
default), their virtual-host variants (Apache `vhost_combined`, `%v %h ...`), Icecast 2, Amazon
S3 server access logs and Nginx JSON. Header-driven formats (W3C extended, IIS, Amazon
CloudFront) live in `w3c.py`. The format names are the ones of the Piwik PRO log importer's
`--log-format-name`, so an operator's command line carries over.

why one regex per format, read with `Match.group(*indices)`: a single C call hands back the
eleven fields in a fixed order, where `groupdict()` would build a dict per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

import orjson

from footfall.importer.dates import TimeCache
from footfall.importer.entry import LogEntry
from footfall.importer.w3c import FIELDS_PREFIX, W3cFormat, w3c_format

__all__ = ["FORMAT_NAMES", "LogFormat", "NginxJsonFormat", "RegexFormat", "by_name", "detect"]


class LogFormat(Protocol):
    """Turns one log line into a LogEntry (None when the line is not in this format)."""

    name: str

    def parse(self, line: str) -> LogEntry | None:
        """The entry of `line`, or None when it does not match."""
        ...


#: The order fields are read in; a format lacking one reads an always-empty group instead.
_FIELDS = ("host", "ip", "userid", "stamp", "method", "path", "status", "length", "ref", "ua")
#: a quoted value with backslash escapes, as Apache writes them (the unrolled form: a regex of
#: `(?:[^"\\]|\\.)*` measured 11.8 µs a combined line, this one 2.5 µs)
_Q = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
_VHOST = r"(?P<host>[\w.-]*)(?::\d+)?\s+"
_COMMON = (
    r"(?P<ip>[\w*.:-]+)\s+\S+\s+(?P<userid>\S+)\s+\[(?P<stamp>[^\]]*)\]\s+"
    r'"(?P<method>[^\s"]+)\s+(?P<path>[^\s"]*)(?:\s+[^"\\]*)?"\s+(?P<status>\d{3})\s+(?P<length>\S+)'
)
_REFERRER_UA = rf"\s+{_Q.replace('(', '(?P<ref>', 1)}\s+{_Q.replace('(', '(?P<ua>', 1)}"
_COMBINED = _COMMON + _REFERRER_UA
_S3 = (
    r"\S+\s+(?P<host>\S+)\s+\[(?P<stamp>[^\]]*)\]\s+(?P<ip>[\w*.:-]+)\s+(?P<userid>\S+)\s+\S+\s+"
    r'\S+\s+\S+\s+"(?P<method>[^\s"]+)\s+(?P<path>[^\s"]*)(?:\s+[^"\\]*)?"\s+(?P<status>\d{3})\s+'
    r"\S+\s+(?P<length>\S+)\s+\S+\s+\S+\s+\S+" + _REFERRER_UA
)

#: name → pattern, most specific first (detection takes the first that matches)
_PATTERNS = {
    "s3": _S3,
    "common_complete": _VHOST + _COMBINED,
    "icecast2": _COMBINED + r"\s+-?\d+",
    "ncsa_extended": _COMBINED,
    "common_vhost": _VHOST + _COMMON,
    "common": _COMMON,
}


def _dash(value: str) -> str:
    return "" if value == "-" else value


class RegexFormat:
    """A line format read by one anchored regex with named groups (a prefix match, like Apache
    and Nginx logs that append fields after the standard ones)."""

    def __init__(self, name: str, pattern: str) -> None:
        self.name = name
        regex = re.compile(r"(?P<_none>)" + pattern)
        self._match = regex.match
        self._indices = tuple(regex.groupindex.get(f, 1) for f in _FIELDS)
        self._time = TimeCache()

    def parse(self, line: str) -> LogEntry | None:
        """The entry of `line`, or None when it does not match."""
        m = self._match(line)
        if m is None:
            return None
        host, ip, userid, stamp, method, path, status, length, ref, ua = m.group(*self._indices)
        path, _, query = path.partition("?")
        if "\\" in ua:
            ua = ua.replace('\\"', '"')
        return LogEntry(
            ip,
            host.lower().strip(".") if host else "",
            _dash(userid),
            self._time(stamp),
            method,
            path,
            query,
            status,
            length,
            "" if ref == "-" else ref,
            ua,
        )


class NginxJsonFormat:
    """One JSON object a line, the `log_format ... escape=json` layout of the Matomo/Piwik PRO
    docs: ip, host, path, status, referrer, user_agent, length, generation_time_milli (seconds,
    `$request_time`), date (`$time_iso8601`), optional userid and method."""

    name = "nginx_json"

    def __init__(self) -> None:
        self._time = TimeCache(iso=True)

    def parse(self, line: str) -> LogEntry | None:
        """The entry of `line`, or None when it is not such an object."""
        try:
            # why: nginx writes \xHH escapes for bytes that are not UTF-8; JSON knows only \u00HH
            doc = orjson.loads(line.replace("\\x", "\\u00") if "\\x" in line else line)
            path, _, query = str(doc["path"]).partition("?")
            stamp = str(doc["date"])
            seconds = float(doc.get("generation_time_milli") or 0)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return LogEntry(
            str(doc.get("ip", "")),
            str(doc.get("host", "")).lower().strip("."),
            _dash(str(doc.get("userid", "-"))),
            self._time(stamp),
            str(doc.get("method", "")),
            path,
            query,
            str(doc.get("status", "")),
            str(doc.get("length", "")),
            _dash(str(doc.get("referrer", ""))),
            str(doc.get("user_agent", "")),
            seconds * 1000.0,
        )


#: every name `--log-format-name` accepts
FORMAT_NAMES = (*_PATTERNS, "nginx_json", "w3c_extended", "iis", "amazon_cloudfront")


def by_name(name: str, head: Iterable[str] = ()) -> LogFormat:
    """The format called `name`; W3C formats read their `#Fields:` line from `head`."""
    if name in _PATTERNS:
        return RegexFormat(name, _PATTERNS[name])
    if name == "nginx_json":
        return NginxJsonFormat()
    if name in ("w3c_extended", "iis", "amazon_cloudfront"):
        found = w3c_format(list(head), name)
        if found is None:
            raise ValueError(f"no '{FIELDS_PREFIX}' line at the start of the log: needed by {name}")
        return found
    raise ValueError(f"unknown log format {name!r}; one of: {', '.join(FORMAT_NAMES)}")


def detect(head: list[str]) -> LogFormat | None:
    """The format of a log from its first lines (a W3C header, else the first line that some
    format reads, trying the most specific first); None when none fits."""
    w3c: W3cFormat | None = w3c_format(head)
    if w3c is not None:
        return w3c
    candidates: list[LogFormat] = [NginxJsonFormat()]
    candidates += [RegexFormat(name, pattern) for name, pattern in _PATTERNS.items()]
    for line in head:
        if not line.strip() or line.startswith("#"):
            continue
        for candidate in candidates:
            if candidate.parse(line) is not None:
                return candidate
    return None
