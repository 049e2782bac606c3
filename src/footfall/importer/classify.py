"""Which log lines become hits: exclusions and the static / download / bot / error / redirect
classes of seed 001 §2.4.2 "Exclude log lines" and "Add parameters to log import".

The rules, their order and the lists (`data/log_classes.json`) are the Piwik PRO log importer's
(api-notes §12),
so one log gives the same hits and the same summary counts through either importer. Order
matters because the first rule that skips a line is the one counted: download extension,
--hostname, HTTP error, HTTP redirect, --exclude-path/--include-path, static file, user agent.
Note that it counts a download before a later rule may still skip the line.
"""

from __future__ import annotations

import enum
import fnmatch
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from footfall.importer.entry import LogEntry

__all__ = [
    "BOT",
    "DOWNLOAD",
    "DOWNLOAD_EXTENSIONS",
    "ERROR",
    "STATIC_EXTENSIONS",
    "Classifier",
    "ImportOptions",
    "Skip",
]

_DATA = json.loads(resources.files("footfall.data").joinpath("log_classes.json").read_text("utf-8"))
STATIC_EXTENSIONS = frozenset(_DATA["static_extensions"])
STATIC_FILES = frozenset(_DATA["static_files"])
DOWNLOAD_EXTENSIONS = frozenset(_DATA["download_extensions"])
#: lower-case user-agent fragments of robots, crawlers and monitors (the importer's list)
BOT_FRAGMENTS = tuple(_DATA["bot_fragments"])

#: flags of a line that is imported
DOWNLOAD = 1  # sent as a download (a download extension, or a static file with --enable-static)
BOT = 2  # a robot kept by --enable-bots (sent with bots=1)
ERROR = 4  # a 4xx/5xx kept by --enable-http-errors (sent with an "<status>/URL = ..." title)


class Skip(enum.Enum):
    """Why a log line was not imported (the importer summary's categories)."""

    HTTP_ERROR = "HTTP errors"
    HTTP_REDIRECT = "HTTP redirects"
    INVALID = "invalid log lines"
    EXCLUDED_PATH = "excluded by --exclude-path/--include-path"
    NO_SITE = "requests did not match any known site"
    HOSTNAME = "requests did not match any --hostname"
    BOT = "requests done by bots, search engines..."
    STATIC = "requests to static resources (css, js, images, ico, ttf...)"
    DOWNLOAD = "requests to file downloads did not match any extension"


@dataclass(frozen=True)
class ImportOptions:
    """The import options the Piwik PRO log importer also has, with its defaults."""

    idsite: str | None = None  #: app UUID or alias; None: the app whose URLs match the host
    hostnames: tuple[str, ...] = ()  #: --hostname glob patterns; others are skipped
    exclude_paths: tuple[str, ...] = ()  #: --exclude-path glob patterns
    include_paths: tuple[str, ...] = ()  #: --include-path glob patterns (then only those)
    useragent_exclude: tuple[str, ...] = ()  #: --useragent-exclude fragments (case-insensitive)
    enable_static: bool = False
    enable_bots: bool = False
    enable_http_errors: bool = False
    enable_http_redirects: bool = False
    download_extensions: frozenset[str] = field(default=DOWNLOAD_EXTENSIONS)
    strip_query_string: bool = False
    log_hostname: str = ""  #: host to assume for every line (--log-hostname)


def _globs(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for a set of fnmatch patterns (case-sensitive, as fnmatch is on POSIX)."""
    parts = [fnmatch.translate(p) for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


class Classifier:
    """Decides, line by line, whether an entry is imported and with which flags."""

    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self._hostnames = _globs(options.hostnames)
        self._excluded = _globs(options.exclude_paths)
        self._included = _globs(options.include_paths)
        fragments = (*BOT_FRAGMENTS, *(s.lower() for s in options.useragent_exclude if s))
        self._bot = re.compile("|".join(map(re.escape, fragments))).search
        self._bots: dict[str, bool] = {}
        self.downloads = 0  # lines with a download extension (counted even if skipped later)

    def is_bot(self, user_agent: str) -> bool:
        """Whether the user agent contains a robot fragment (cached: agents repeat)."""
        known = self._bots.get(user_agent)
        if known is None:
            if len(self._bots) > 50_000:
                self._bots.clear()
            known = self._bots[user_agent] = self._bot(user_agent.lower()) is not None
        return known

    def classify(self, entry: LogEntry) -> Skip | int:
        """The Skip reason of a line, or its flags (DOWNLOAD | BOT | ERROR, 0 for a page view)."""
        o = self.options
        path = entry.path
        extension = path[path.rfind(".") + 1 :].lower()
        flags = 0
        if extension in o.download_extensions:
            self.downloads += 1
            flags = DOWNLOAD
        elif extension in DOWNLOAD_EXTENSIONS:
            return Skip.DOWNLOAD
        if self._hostnames is not None and entry.host and not self._hostnames.match(entry.host):
            return Skip.HOSTNAME
        status = entry.status
        first = status[:1]
        if first == "4" or first == "5":
            if not o.enable_http_errors:
                return Skip.HTTP_ERROR
            flags |= ERROR
        elif first == "3" and status != "304" and not o.enable_http_redirects:
            return Skip.HTTP_REDIRECT
        if (self._excluded is not None and self._excluded.match(path)) or (
            self._included is not None and not self._included.match(path)
        ):
            return Skip.EXCLUDED_PATH
        if extension in STATIC_EXTENSIONS or path[path.rfind("/") + 1 :] in STATIC_FILES:
            if not o.enable_static:
                return Skip.STATIC
            flags |= DOWNLOAD  # why: the importer sends static files as downloads
        if self.is_bot(entry.user_agent):
            if not o.enable_bots:
                return Skip.BOT
            flags |= BOT
        return flags
