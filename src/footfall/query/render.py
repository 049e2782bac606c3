"""Rows of a compiled query → wire cells (api-notes §1.1 cell encoding).

Enum dimensions become `[id, label]` pairs, hex ids 16 lowercase hex digits, dates ISO strings in
the app's timezone (the SQL already converted them), metrics plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from footfall.query import enums
from footfall.query.compile import OutputColumn

#: labels of open enums that only the caller knows: goal names, app names (by id)
Labels = Mapping[str, Mapping[Any, str]]


def _number(value: Any, type_: str) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    if type_ == "float" or isinstance(value, float):
        as_float = float(value)
        if not math.isfinite(as_float):
            return None
        if type_ != "float" and as_float.is_integer():
            return int(as_float)
        return as_float
    return int(value)


def cell(column: OutputColumn, value: Any, row: Sequence[Any], labels: Labels) -> Any:
    """One wire cell."""
    if value is None:
        return None
    type_ = column.type
    if isinstance(value, UUID):
        value = str(value)
    if type_ in ("[int, str]", "[str, str]"):
        if column.label_index is not None:
            return [value, row[column.label_index]]
        return [value, enums.label(column.column_id, value, labels.get(column.column_id))]
    if type_ == "hex":
        return f"{int(value):016x}"
    if isinstance(value, datetime):
        if type_ == "date":
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if type_ == "array":
        return list(value)
    if type_ in ("int", "float", "int(0,1)") or column.metric:
        return _number(value, type_)
    return value


def cells(
    columns: Sequence[OutputColumn], rows: Sequence[Sequence[Any]], labels: Labels
) -> list[list[Any]]:
    """Every row as wire cells (the trailing helper cells dropped)."""
    return [[cell(c, row[i], row, labels) for i, c in enumerate(columns)] for row in rows]
