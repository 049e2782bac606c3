"""What the importer tells the operator: a progress line while it runs, a summary at the end.

The summary keeps the Piwik PRO importer's categories and wording (api-notes §12), so an operator
moving from one to the other reads the same numbers.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from footfall.importer.classify import Skip
from footfall.importer.run import FileResult
from footfall.importer.source import LogSource

__all__ = ["ProgressLine", "Summary"]

_KEYS = {
    Skip.HTTP_ERROR: "http_errors",
    Skip.HTTP_REDIRECT: "http_redirects",
    Skip.INVALID: "invalid",
    Skip.EXCLUDED_PATH: "excluded_path",
    Skip.NO_SITE: "no_site",
    Skip.HOSTNAME: "hostname",
    Skip.BOT: "bots",
    Skip.STATIC: "static",
    Skip.DOWNLOAD: "skipped_downloads",
}


class ProgressLine:
    """A one-line progress bar on a terminal (redrawn at most every 0.2 s)."""

    def __init__(self, out: TextIO = sys.stderr, enabled: bool = True) -> None:
        self.out = out
        self.enabled = enabled
        self._last = 0.0
        self._started = time.perf_counter()
        self._shown = False

    def _draw(self, text: str, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (not force and now - self._last < 0.2):
            return
        self._last = now
        self.out.write("\r" + text[:120].ljust(80))
        self.out.flush()
        self._shown = True

    def file(self, source: LogSource, result: FileResult) -> None:
        """Progress through one file."""
        share = source.position / source.size if source.size else 1.0
        width = 24
        bar = "#" * int(share * width)
        rate = result.lines / max(time.perf_counter() - self._started, 1e-9)
        self._draw(
            f"{source.path.name} [{bar:<{width}}] {share:4.0%}  {result.lines:,} lines"
            f"  {result.recorded:,} imported  {rate:,.0f} lines/s"
        )

    def processing(self, done: int, total: int) -> None:
        """Progress of the pipeline storing what was spooled."""
        self._draw(f"storing: {done:,} of {total:,} spool records", force=done == total)

    def end(self) -> None:
        """Leave the progress line."""
        if self._shown:
            self.out.write("\n")
            self.out.flush()
            self._shown = False
        self._started = time.perf_counter()


@dataclass
class Summary:
    """Totals over every file of one run."""

    files: list[FileResult] = field(default_factory=list)
    sites: int = 0
    unmatched_hosts: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    stored_seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        """The totals as JSON-ready data (`footfall import-logs --json`)."""
        ignored: Counter[Skip] = Counter()
        for f in self.files:
            ignored.update(f.ignored)
        lines = sum(f.lines for f in self.files)
        return {
            "files": [
                {"path": f.path, "format": f.format, "lines": f.lines, "recorded": f.recorded}
                for f in self.files
            ],
            "lines": lines,
            "already_imported": sum(f.already_imported for f in self.files),
            "recorded": sum(f.recorded for f in self.files),
            "downloads": sum(f.downloads for f in self.files),
            "ignored": {_KEYS[s]: ignored[s] for s in Skip},
            "sites": self.sites,
            "unmatched_hosts": sorted(self.unmatched_hosts),
            "pipeline_dropped": dict(self.dropped),
            "seconds": round(self.seconds, 3),
            "lines_per_second": round(lines / self.seconds) if self.seconds > 0 else None,
            "stored_seconds": round(self.stored_seconds, 3),
        }

    def text(self) -> str:
        """The summary as the operator reads it."""
        c = self.counts()
        ignored = c["ignored"]
        labels = {_KEYS[s]: s.value for s in Skip}
        rows = [
            "Logs import summary",
            "-------------------",
            "",
            f"    {c['recorded']} requests imported successfully",
            f"    {c['downloads']} requests were downloads",
            f"    {sum(ignored.values())} requests ignored:",
            *(f"        {n} {labels[key]}" for key, n in ignored.items()),
            f"    {c['already_imported']} lines skipped: imported by an earlier run",
            "",
            f"    {c['recorded']} requests imported to {c['sites']} sites",
            f"    {len(c['unmatched_hosts'])} distinct hostnames did not match any existing site:",
            *(f"            {h}" for h in c["unmatched_hosts"]),
            "",
            f"    Pipeline dropped: {_dropped(c['pipeline_dropped'])}",
            f"    Total time: {c['seconds']:.1f} s reading ({c['lines_per_second'] or 0} lines/s),"
            f" {c['stored_seconds']:.1f} s more until stored",
        ]
        return "\n".join(rows)


def _dropped(dropped: dict[str, int]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(dropped.items())) or "none"
