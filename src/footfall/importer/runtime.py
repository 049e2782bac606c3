"""The data dir opened for an import: spool, pipeline and event store in this process.

No HTTP round trip: records are appended to the spool directly and the same pipeline the server
runs turns them into rows, concurrently, on its own threads. A running `footfall serve` holds the
spool's directory lock (and DuckDB's file lock); then the import stops before reading a line,
with a one-line message saying to stop the server or to send the log over HTTP
(docs/ingestion.md "Log import").
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

from footfall import telemetry
from footfall.config import Settings
from footfall.spool import SpoolError
from footfall.spool.files import lock_directory

__all__ = ["DataDirBusy", "ImportRuntime"]


class DataDirBusy(Exception):
    """A running server (or another import) holds the data dir."""


def ensure_free(settings: Settings) -> None:
    """Raise DataDirBusy when another process holds the spool's directory lock."""
    settings.spool_path.mkdir(parents=True, exist_ok=True)
    try:
        fd = lock_directory(settings.spool_path)
    except SpoolError:
        raise DataDirBusy(
            f"data dir {settings.data_path} is in use by a running `footfall serve` (or another"
            " import): stop the server and import again, or send the log over HTTP with the"
            " Piwik PRO importer (import_logs.py --url=<server>)"
        ) from None
    os.close(fd)


class ImportRuntime:
    """Spool, pipeline (running) and metadata of one data dir, for the length of an import."""

    def __init__(self, settings: Settings) -> None:
        from footfall.app import build, tune_gc
        from footfall.meta.apps import find_app
        from footfall.meta.directory import MetaDirectory
        from footfall.meta.store import MetaStore

        ensure_free(settings)
        self._runtime = build(settings)
        self.spool = self._runtime.spool
        self.pipeline = self._runtime.pipeline
        self._meta = MetaStore(settings.meta_dsn)
        self.directory = MetaDirectory(self._meta)
        meta = self._meta

        def urls_of(website_id: str) -> Sequence[str]:
            app = find_app(meta, website_id)
            return app.urls if app is not None else ()

        self.urls_of: Callable[[str], Sequence[str]] = urls_of
        tune_gc()
        # why: an import is a backlog from its first chunk; the workers start (imports,
        # device-detector tables) while the first lines are read, instead of on the first batch
        self.pipeline.start_workers()
        self.pipeline.start()

    def drain(self, on_wait: Callable[[int, int], None] | None = None) -> None:
        """Wait until the pipeline has stored every spooled record; `on_wait(done, total)`."""
        target = self.spool.last_seq
        while self.pipeline.committed < target:
            if self.pipeline.error is not None:
                raise RuntimeError(f"the pipeline stopped: {self.pipeline.error}")
            if on_wait is not None:
                on_wait(self.pipeline.committed, target)
            time.sleep(0.1)
        if on_wait is not None:
            on_wait(target, target)

    @staticmethod
    def dropped() -> dict[str, int]:
        """Hits the pipeline dropped in this process, by reason (e.g. bots, excluded IPs)."""
        counts = telemetry.snapshot().get("footfall_pipeline_dropped_total", {})
        return {label.removeprefix("reason="): int(n) for label, n in counts.items() if n}

    def close(self) -> None:
        """Stop the pipeline (it writes what is left) and close the stores."""
        import gc

        try:
            self.pipeline.stop(timeout=600)
        finally:
            self._runtime.store.close()
            self.spool.close()
            self._meta.close()
            gc.unfreeze()
