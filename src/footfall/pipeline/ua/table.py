"""The literal table: required literals of every device-detector regex, worked out ahead of time.

Analysing 21,000 patterns takes ~10 s, too slow for a cold start, so the analysis of the
pinned device-detector version ships as `footfall/data/ua_literals.json.gz` (written by
`bench/ua.py --write-literals`). A pattern missing from it (another version) is analysed on
first use.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path

from .literals import required_literals

__all__ = ["TABLE_FILE", "literals_of", "write_table"]

TABLE_FILE = "ua_literals.json.gz"


def literals_of(pattern: str, flags: int) -> tuple[str, ...]:
    """The required literals of a pattern, longest first; () when unknown (always search)."""
    known = _table().get(_key(pattern, flags))
    if known is not None:
        return known
    found = required_literals(pattern, flags)
    return tuple(sorted(found, key=lambda s: (-len(s), s))) if found else ()


def write_table(path: Path, patterns: Iterable[tuple[str, int]]) -> int:
    """Writes the table for `patterns` (the installed device-detector's); returns its size."""
    table = {}
    for pattern, flags in patterns:
        found = required_literals(pattern, flags)
        table[_key(pattern, flags)] = sorted(found, key=lambda s: (-len(s), s)) if found else []
    document = {"device_detector": metadata.version("device_detector"), "literals": table}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(document, out, separators=(",", ":"), sort_keys=True)
    return len(table)


def _key(pattern: str, flags: int) -> str:
    return f"{flags}:{pattern}"


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    source = resources.files("footfall.data").joinpath(TABLE_FILE)
    try:
        with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            document = json.load(text)
    except FileNotFoundError:
        return {}
    if document.get("device_detector") != metadata.version("device_detector"):
        return {}
    return {key: tuple(found) for key, found in document["literals"].items()}
