"""The parsed-UA file: user agents already parsed, kept in the data dir across restarts and re-imports.

A SQLite file of `key → device` rows. Keys carry a namespace (the device-detector version and
a digest of the code that maps its answer), so an upgrade of either starts from empty instead
of serving stale parses. Writes are batched: a lost batch only costs re-parsing.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["ParsedFile"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS parsed (
    namespace TEXT NOT NULL,
    ua_key TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (namespace, ua_key)
) WITHOUT ROWID
"""


class ParsedFile:
    """Parsed user agents on disk, for one namespace; safe to share between threads and processes."""

    def __init__(
        self,
        path: Path,
        namespace: str,
        *,
        max_rows: int = 1_000_000,
        batch_rows: int = 256,
        batch_seconds: float = 1.0,
    ) -> None:
        self.namespace = namespace
        self._batch_rows = batch_rows
        self._batch_seconds = batch_seconds
        self._pending: list[tuple[str, str, str]] = []
        self._last_write = time.monotonic()
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._prune(max_rows)

    def get(self, ua_key: str) -> list[Any] | None:
        """The stored device fields of `ua_key`, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT device FROM parsed WHERE namespace = ? AND ua_key = ?",
                (self.namespace, ua_key),
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, ua_key: str, device: Sequence[Any]) -> None:
        """Queues one parse; written with the batch it completes (or at the next `flush`)."""
        with self._lock:
            self._pending.append((self.namespace, ua_key, json.dumps(list(device))))
            due = time.monotonic() - self._last_write >= self._batch_seconds
            if len(self._pending) >= self._batch_rows or due:
                self._write()

    def flush(self) -> None:
        """Writes every queued parse."""
        with self._lock:
            self._write()

    def close(self) -> None:
        """Flushes and closes the file."""
        with self._lock:
            self._write()
            self._db.close()

    def _write(self) -> None:
        self._last_write = time.monotonic()
        if not self._pending:
            return
        rows, self._pending = self._pending, []
        # why: another process may hold the file past the timeout; these parses are then redone later
        with contextlib.suppress(sqlite3.OperationalError):
            self._db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", rows)

    def _prune(self, max_rows: int) -> None:
        """Drops other namespaces (older versions) and, past `max_rows`, an arbitrary excess."""
        with self._lock:
            self._db.execute("DELETE FROM parsed WHERE namespace != ?", (self.namespace,))
            (count,) = self._db.execute("SELECT count(*) FROM parsed").fetchone()
            if count > max_rows:
                self._db.execute(
                    "DELETE FROM parsed WHERE ua_key IN (SELECT ua_key FROM parsed LIMIT ?)",
                    (count - max_rows // 2,),
                )
