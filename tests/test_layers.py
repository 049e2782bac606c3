"""Layers point one way: the pure core imports without the web framework or database drivers."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "footfall.model.record",
    "footfall.model.hit",
    "footfall.model.columns",
    "footfall.model.settings",
    "footfall.model.directory",
    "footfall.config",
    "footfall.telemetry",
]
FORBIDDEN = ["starlette", "uvicorn", "duckdb", "sqlalchemy", "pyarrow", "httpx"]


def test_pure_layers_import_no_framework_or_driver() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in PURE)
        + f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"pure layers imported: {out.stdout.strip()}"
