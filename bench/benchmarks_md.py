"""BENCHMARKS.md sections: each bench script owns one, between `<!-- NAME:start -->` and
`<!-- NAME:end -->` markers, and rewrites only that."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
_NEW_FILE = "# Benchmarks\n\nFigures written by the scripts in `bench/`.\n"


def put_section(name: str, section: str) -> None:
    """Replace section `name` (`section` includes its markers), or append it when missing."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = PATH.read_text() if PATH.exists() else _NEW_FILE
    if start in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    PATH.write_text(text)
