"""Numbered `.sql` migration files of an event store (`NNNN_name.sql`), read in version order.

Both stores keep theirs in a `migrations/` folder of their package and record the versions they
applied in their own `schema_migrations` table (see each store's `migrator.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["Migration", "read_migrations"]

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")
# statements of a file: split at a `;` that ends a line (no SQL parser needed for DDL files)
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered .sql file of a `migrations/` folder."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements, comments and blank ones left out (for engines that take one
        statement per call)."""
        out = []
        for chunk in _STATEMENT_END.split(self.sql):
            lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
            text = "\n".join(lines).strip()
            if text:
                out.append(text)
        return out


def read_migrations(root: Traversable | Path) -> list[Migration]:
    """The migration files of `root`, by version; two files with one number are an error."""
    found: dict[int, Migration] = {}
    for entry in root.iterdir():
        match = _FILE.match(entry.name)
        if match is None:
            continue
        version = int(match.group(1))
        if version in found:
            raise ValueError(f"two migrations numbered {version:04d}: {entry.name}")
        found[version] = Migration(version, match.group(2), entry.read_text("utf-8"))
    return [found[v] for v in sorted(found)]
