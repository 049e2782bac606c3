"""SQL dialects of the query compiler: one table of operations per engine."""

from __future__ import annotations

from footfall.query.dialects.base import Dialect
from footfall.query.dialects.duckdb import DuckDBDialect

__all__ = ["Dialect", "DuckDBDialect"]
