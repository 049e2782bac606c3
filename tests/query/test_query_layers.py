"""The query model is a pure layer: it imports without the web framework or a database driver,
and the DuckDB dialect's tables are total (checked when the class is created)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from footfall.query.dialects.base import Dialect

MODULES = [
    "footfall.query.catalog",
    "footfall.query.parse",
    "footfall.query.plan",
    "footfall.query.compile",
    "footfall.query.render",
    "footfall.query.execute",
    "footfall.query.dialects",
]
FORBIDDEN = ["starlette", "uvicorn", "duckdb", "sqlalchemy", "pyarrow", "httpx"]


def test_query_layer_imports_no_framework_or_driver() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_dialect_missing_an_operation_is_refused() -> None:
    with pytest.raises(TypeError, match="aggregates lacks"):

        class Partial(Dialect):  # a dialect that forgot everything
            aggregates = {"count": "count(*)"}  # noqa: RUF012
