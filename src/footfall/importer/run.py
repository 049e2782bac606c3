"""The native importer: log lines → classified hits → tracking records appended to the spool.

Each imported line becomes the `RawRecord` the collector builds for one item of a `/ppms.php`
bulk request (validated by the collector's own `validate`, encoded by its `shared_encoder`), so
the pipeline parses and processes it exactly like a hit that came over HTTP.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from footfall.collect.validation import InvalidRequest, validate
from footfall.importer.classify import Classifier, ImportOptions, Skip
from footfall.importer.formats import LogFormat, by_name, detect
from footfall.importer.hits import tracking_params
from footfall.importer.sites import SiteResolver
from footfall.importer.source import LogSource
from footfall.importer.state import ImportState, Progress
from footfall.model.record import shared_encoder

__all__ = ["FileResult", "LogImporter", "RecordSink", "UnknownFormat"]


class UnknownFormat(Exception):
    """No supported format reads the log."""


class RecordSink(Protocol):
    """Where encoded records go: the spool (or nothing, in a dry run)."""

    @property
    def last_seq(self) -> int:
        """Seq of the last record appended."""
        ...

    def append(self, payloads: Sequence[bytes]) -> int:
        """Append records; returns the seq of the first."""
        ...


@dataclass
class FileResult:
    """What importing one file did."""

    path: str
    format: str = ""
    lines: int = 0  #: lines read in this run
    already_imported: int = 0  #: lines skipped because an earlier run imported them
    recorded: int = 0  #: records appended to the spool
    downloads: int = 0  #: lines with a download extension (whether imported or not)
    ignored: Counter[Skip] = field(default_factory=Counter)
    seconds: float = 0.0


def _always(website_id: str) -> bool:
    # why: whoever can write the data dir owns the instance; imported hits are authenticated,
    # so cdt and cip are taken on every endpoint whatever FOOTFALL_PPMS_REQUIRE_AUTH says.
    return True


class LogImporter:
    """Imports log files into one sink, remembering what each file had imported."""

    def __init__(
        self,
        sink: RecordSink,
        sites: SiteResolver,
        resolve: Callable[[str], str | None],
        options: ImportOptions,
        *,
        state: ImportState | None = None,
        format_name: str | None = None,
        on_chunk: Callable[[LogSource, FileResult], None] | None = None,
    ) -> None:
        self.sink = sink
        self.sites = sites
        self.options = options
        self.state = state
        self.format_name = format_name
        self.on_chunk = on_chunk
        self._resolve = _memo(resolve)

    def import_file(self, path: Path) -> FileResult:
        """Import the lines of `path` not imported before."""
        started = time.perf_counter()
        result = FileResult(str(path))
        with LogSource(path) as source:
            head, fingerprint = source.head()
            log_format = self._format(head)
            result.format = log_format.name
            done = self.state.progress(fingerprint) if self.state else Progress(0, 0)
            if done.bytes_done:
                source.skip(done.bytes_done)
                result.already_imported = done.lines_done
            classifier = Classifier(self.options)
            for chunk in source.chunks(done.bytes_done, done.lines_done):
                payloads = self._records(chunk.lines, log_format, classifier, result)
                self._append(
                    payloads,
                    fingerprint,
                    str(path),
                    Progress(chunk.end, chunk.first_line + len(chunk.lines)),
                )
                result.lines += len(chunk.lines)
                result.downloads = classifier.downloads
                if self.on_chunk is not None:
                    self.on_chunk(source, result)
        result.seconds = time.perf_counter() - started
        return result

    def _format(self, head: list[str]) -> LogFormat:
        if self.format_name:
            return by_name(self.format_name, head)
        found = detect(head)
        if found is None:
            raise UnknownFormat(
                "cannot tell the log format from the first lines; name it with --log-format-name"
            )
        return found

    def _records(
        self, lines: list[str], log_format: LogFormat, classifier: Classifier, result: FileResult
    ) -> list[bytes]:
        """Parse, classify and encode one chunk of lines (the hot loop)."""
        o = self.options
        parse = log_format.parse
        classify = classifier.classify
        site_of = self.sites.resolve
        ignored = result.ignored
        now = time.time()
        encode = shared_encoder(now, "", "", "", "ppms", {})
        resolve = self._resolve
        fixed_host = o.log_hostname
        payloads: list[bytes] = []
        for line in lines:
            entry = parse(line)
            if entry is None:
                ignored[Skip.INVALID] += 1
                continue
            if fixed_host:
                entry.host = fixed_host
            verdict = classify(entry)
            if isinstance(verdict, Skip):
                ignored[verdict] += 1
                continue
            if entry.time is None:
                ignored[Skip.INVALID] += 1
                continue
            site = site_of(entry.host)
            if site is None:
                ignored[Skip.NO_SITE] += 1
                continue
            params = tracking_params(
                entry,
                site[0],
                site[1],
                verdict,
                strip_query=o.strip_query_string,
                bots_enabled=o.enable_bots,
            )
            try:
                website_id, trusted = validate(
                    params, protocol="ppms", resolve=resolve, authorize=_always, now=now
                )
            except InvalidRequest:
                ignored[Skip.INVALID] += 1
                continue
            payloads.append(encode(website_id, params, trusted))
        result.recorded += len(payloads)
        return payloads

    def _append(self, payloads: list[bytes], fingerprint: str, path: str, done: Progress) -> None:
        """Append a chunk's records and record the chunk as imported, exactly once (state.py)."""
        state = self.state
        if payloads:
            if state is not None:
                state.begin(fingerprint, path, done, self.sink.last_seq + len(payloads))
            self.sink.append(payloads)
        if state is not None:
            state.commit(fingerprint, path, done)


def _memo(resolve: Callable[[str], str | None]) -> Callable[[str], str | None]:
    known: dict[str, str | None] = {}

    def cached(idsite: str) -> str | None:
        if idsite not in known:
            known[idsite] = resolve(idsite)
        return known[idsite]

    return cached
