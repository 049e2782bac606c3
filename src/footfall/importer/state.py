"""What has been imported already: per log file (by fingerprint), the bytes and lines done.

A small SQLite file of its own in the data dir (`import-logs.sqlite`), not the metadata store:
the importer's bookkeeping has no place in the platform's schema.

Exactly once across a crash: before a batch is appended to the spool, its end is written as
*pending* with the spool seq its last record will get; after the append it becomes *done*. On the
next start a pending batch is done if the spool reached that seq, else it is forgotten. The
importer holds the spool's directory lock the whole time, so nobody else moves the spool's
`last_seq` and the test is exact.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportState", "Progress"]

STATE_FILE = "import-logs.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imported_files (
    fingerprint TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    bytes_done INTEGER NOT NULL DEFAULT 0,
    lines_done INTEGER NOT NULL DEFAULT 0,
    pending_bytes INTEGER,
    pending_lines INTEGER,
    pending_last_seq INTEGER,
    updated_at REAL NOT NULL DEFAULT 0
)
"""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one file has been imported."""

    bytes_done: int
    lines_done: int


class ImportState:
    """The import bookkeeping of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / STATE_FILE
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(_SCHEMA)

    def settle(self, spool_last_seq: int) -> int:
        """Resolve batches left pending by a crash (see the module doc); returns how many were
        found done."""
        with self._db:
            done = self._db.execute(
                "UPDATE imported_files SET bytes_done = pending_bytes, lines_done = pending_lines"
                " WHERE pending_last_seq IS NOT NULL AND pending_last_seq <= ?",
                (spool_last_seq,),
            ).rowcount
            self._db.execute(
                "UPDATE imported_files SET pending_bytes = NULL, pending_lines = NULL,"
                " pending_last_seq = NULL WHERE pending_last_seq IS NOT NULL"
            )
        return done

    def progress(self, fingerprint: str) -> Progress:
        """Bytes and lines of the file already imported (zero for a new file)."""
        row = self._db.execute(
            "SELECT bytes_done, lines_done FROM imported_files WHERE fingerprint = ?",
            (fingerprint,),
        ).fetchone()
        return Progress(int(row[0]), int(row[1])) if row else Progress(0, 0)

    def begin(self, fingerprint: str, path: str, done: Progress, last_seq: int) -> None:
        """Record a batch about to be appended: it ends at `done`, its last record gets
        `last_seq`."""
        self._db.execute(
            "INSERT INTO imported_files (fingerprint, path, pending_bytes, pending_lines,"
            " pending_last_seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET"
            " path = excluded.path, pending_bytes = excluded.pending_bytes,"
            " pending_lines = excluded.pending_lines,"
            " pending_last_seq = excluded.pending_last_seq",
            (fingerprint, path, done.bytes_done, done.lines_done, last_seq),
        )

    def commit(self, fingerprint: str, path: str, done: Progress) -> None:
        """Record `done` as imported (after the batch is in the spool, or had no records)."""
        self._db.execute(
            "INSERT INTO imported_files (fingerprint, path, bytes_done, lines_done)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path,"
            " bytes_done = excluded.bytes_done, lines_done = excluded.lines_done,"
            " pending_bytes = NULL, pending_lines = NULL, pending_last_seq = NULL,"
            " updated_at = ?",
            (fingerprint, path, done.bytes_done, done.lines_done, time.time()),
        )

    def close(self) -> None:
        """Close the database."""
        self._db.close()
