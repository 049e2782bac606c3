"""An access log with known truth, for both log importers.

`generate()` writes NCSA combined lines (optionally with a virtual host in front) for human
visitors (page views, static files, PDF downloads, 404s, 301 redirects, 304s), robots (Googlebot,
curl) and a few garbage lines, and keeps for every line its visitor, visit and class. `truth()`
then says what must be stored for a given set of importer flags, and `summary()` what the
importer's summary must count. Visits of one visitor are 3 hours apart and lines inside a visit
at most 5 minutes apart, so the 30-minute rule draws the same visits; everything happens on one
UTC day (the visitor hash key rotates daily); each visitor has its own IP and /16 network.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from scenarios.traffic import DESKTOP_UAS, MOBILE_UAS, PAGES

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
CURL = "curl/8.5.0"
STATIC = ("/static/app.css", "/static/app.js", "/static/logo.png", "/favicon.ico")
DOWNLOADS = ("/files/brochure.pdf", "/files/prices.pdf")
START = datetime(2024, 3, 12, 6, 0, tzinfo=UTC)
GARBAGE = ("this is not a log line", '::1 - - [garbage] "GET" x y')

#: line classes
PAGE, STATIC_FILE, DOWNLOAD, NOT_FOUND, REDIRECT, NOT_MODIFIED, INVALID = (
    "page",
    "static",
    "download",
    "404",
    "301",
    "304",
    "invalid",
)


@dataclass(frozen=True)
class Line:
    """One generated line and what it is."""

    text: str
    visitor: int  # -1 for garbage
    visit: int
    kind: str
    bot: bool


@dataclass
class AccessLog:
    """The lines, in time order, and the facts behind them."""

    lines: list[Line] = field(default_factory=list)

    def text(self) -> str:
        """The log file's content."""
        return "".join(line.text + "\n" for line in self.lines)


def _stamp(t: datetime) -> str:
    # why: the log is written in +0100 local time, so the importers must convert to UTC
    local = t.astimezone(timezone(timedelta(hours=1)))
    return local.strftime("%d/%b/%Y:%H:%M:%S +0100")


def generate(
    visitors: int = 40, bots: int = 4, seed: int = 7, host: str | None = None
) -> AccessLog:
    """A log of `visitors` humans and `bots` robots; `host` adds a virtual-host column."""
    rng = random.Random(seed)
    events: list[tuple[datetime, int, Line]] = []
    uas = DESKTOP_UAS + MOBILE_UAS
    for v in range(visitors + bots):
        bot = v >= visitors
        ip = f"{11 + v}.{rng.randrange(256)}.{rng.randrange(256)}.{1 + v % 250}"
        ua = (GOOGLEBOT if v % 2 else CURL) if bot else uas[v % len(uas)]
        for visit in range(1 + v % 2):
            t = START + timedelta(hours=3 * visit, seconds=rng.randrange(3600))
            for kind, path, status in _visit(rng, bot):
                t += timedelta(seconds=rng.randrange(1, 300))
                ref = "https://www.google.com/" if kind == PAGE and rng.random() < 0.2 else "-"
                size = rng.randrange(200, 90_000)
                text = (
                    f'{ip} - - [{_stamp(t)}] "GET {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"'
                )
                if host is not None:
                    text = f"{host}:443 {text}"
                events.append((t, len(events), Line(text, v, visit, kind, bot)))
    events.sort(key=lambda e: (e[0], e[1]))
    log = AccessLog([e[2] for e in events])
    for i, garbage in enumerate(GARBAGE):
        log.lines.insert(5 + 7 * i, Line(garbage, -1, 0, INVALID, False))
    return log


def _visit(rng: random.Random, bot: bool) -> list[tuple[str, str, int]]:
    """The requests of one visit: (class, path, status)."""
    if bot:
        return [(PAGE, rng.choice(PAGES), 200) for _ in range(rng.randrange(2, 5))]
    out: list[tuple[str, str, int]] = []
    for n in range(rng.randrange(1, 5)):
        page = rng.choice(PAGES)
        query = f"?ref={n}" if rng.random() < 0.2 else ""
        out.append((PAGE, page + query, 200))
        out += [(STATIC_FILE, s, 200) for s in rng.sample(STATIC, rng.randrange(0, 3))]
        roll = rng.random()
        if roll < 0.15:
            out.append((DOWNLOAD, rng.choice(DOWNLOADS), 200))
        elif roll < 0.25:
            out.append((NOT_FOUND, "/missing-" + str(n), 404))
        elif roll < 0.33:
            out.append((REDIRECT, "/old-page", 301))
        elif roll < 0.38:
            out.append((NOT_MODIFIED, page, 304))
    return out


@dataclass(frozen=True)
class Flags:
    """The importer options that change what is imported."""

    static: bool = False
    bots: bool = False
    redirects: bool = False
    exclude_path: str = ""  # a prefix: lines whose path starts with it are left out

    def args(self) -> list[str]:
        """The same flags on either importer's command line."""
        out = ["--enable-static"] * self.static + ["--enable-bots"] * self.bots
        out += ["--enable-http-redirects"] * self.redirects
        if self.exclude_path:
            out += ["--exclude-path", self.exclude_path + "*"]
        return out


def _path(line: Line) -> str:
    return line.text.split('"GET ', 1)[1].split(" ", 1)[0] if '"GET ' in line.text else ""


def _imported(line: Line, flags: Flags) -> tuple[bool, str]:
    """Whether a line is imported, and as what event type ("page" or "download")."""
    path = _path(line)
    if line.kind in (INVALID, NOT_FOUND):
        return False, ""
    if line.kind == REDIRECT and not flags.redirects:
        return False, ""
    if flags.exclude_path and path.startswith(flags.exclude_path):
        return False, ""
    if line.kind == STATIC_FILE and not flags.static:
        return False, ""
    if line.bot and not flags.bots:
        return False, ""
    return True, "download" if line.kind in (DOWNLOAD, STATIC_FILE) else "page"


@dataclass(frozen=True)
class Truth:
    """What the event store must hold after the import."""

    page_views: int
    downloads: int
    sessions: int
    visitors: int


def truth(log: AccessLog, flags: Flags = Flags()) -> Truth:
    """Stored counts for an import of `log` with `flags`."""
    types: Counter[str] = Counter()
    visits: set[tuple[int, int]] = set()
    for line in log.lines:
        ok, kind = _imported(line, flags)
        if ok:
            types[kind] += 1
            visits.add((line.visitor, line.visit))
    return Truth(types["page"], types["download"], len(visits), len({v for v, _ in visits}))


def summary(log: AccessLog, flags: Flags = Flags()) -> dict[str, int]:
    """The importer summary's counts (the categories of api-notes §12 / classify.py)."""
    out: Counter[str] = Counter()
    for line in log.lines:
        ok, _ = _imported(line, flags)
        if ok:
            out["recorded"] += 1
        if line.kind == DOWNLOAD:
            out["downloads"] += 1
        if ok:
            continue
        if line.kind == INVALID:
            out["invalid"] += 1
        elif line.kind == NOT_FOUND:
            out["http_errors"] += 1
        elif line.kind == REDIRECT and not flags.redirects:
            out["http_redirects"] += 1
        elif flags.exclude_path and _path(line).startswith(flags.exclude_path):
            out["excluded_path"] += 1
        elif line.kind == STATIC_FILE and not flags.static:
            out["static"] += 1
        elif line.bot:
            out["bots"] += 1
    return dict(out)
