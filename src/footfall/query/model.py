"""The typed query: what every API (Piwik PRO analytics, Pirsch, dashboard) translates into.

One query reads a SET of website ids, so a meta site (a roll-up of apps) is the same query over
all its apps. Times are absolute UTC bounds already: the parser resolves dates, relative dates
and the app's timezone, and keeps the timezone for the date transformations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Mode = Literal["aggregate", "sessions", "events"]


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """One requested column: a catalog column with an optional transformation and goal."""

    column_id: str
    transformation_id: str | None = None
    goal_id: int | None = None

    @property
    def key(self) -> str:
        """A readable identity of the column (for messages and tests)."""
        parts = [self.column_id]
        if self.transformation_id:
            parts.append(self.transformation_id)
        if self.goal_id is not None:
            parts.append(f"goal {self.goal_id}")
        return "/".join(parts)


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter leaf: a column compared with a value by an operator of api-notes §1.1."""

    column: ColumnRef
    operator: str
    value: Any


@dataclass(frozen=True, slots=True)
class FilterGroup:
    """A nested AND/OR of conditions and groups."""

    operator: Literal["and", "or"]
    conditions: tuple[Condition | FilterGroup, ...]


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in UTC, and the timezone the request's dates were read in."""

    start: datetime
    end: datetime
    timezone: str


@dataclass(frozen=True, slots=True)
class Query:
    """A validated query over one or more websites."""

    website_ids: tuple[str, ...]
    period: Period
    columns: tuple[ColumnRef, ...]
    filters: FilterGroup | None = None
    metric_filters: FilterGroup | None = None
    order_by: tuple[tuple[int, Literal["asc", "desc"]], ...] = ()
    offset: int = 0
    limit: int = 100
    mode: Mode = "aggregate"
    options: dict[str, Any] = field(default_factory=dict)
