"""Plan: which table a query reads (sessions, events, or events joined to sessions).

Seed 001 §1.1: one column of event scope makes the whole query event-scoped. Filter columns
count too, and so do metrics that only events can answer (consents, per-goal conversions).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from footfall.query import catalog
from footfall.query.model import ColumnRef, Condition, FilterGroup, Query
from footfall.query.parse import QueryError, has_session_formula, is_metric

Scope = Literal["session", "event"]


@dataclass(frozen=True, slots=True)
class Plan:
    """What the compiler needs to know beyond the query itself."""

    scope: Scope
    dimensions: tuple[int, ...]  #: indexes of the dimension columns in `query.columns`
    metrics: tuple[int, ...]  #: indexes of the metric columns


def conditions(group: FilterGroup | None) -> Iterator[Condition]:
    """Every leaf of a filter tree."""
    if group is None:
        return
    for item in group.conditions:
        if isinstance(item, FilterGroup):
            yield from conditions(item)
        else:
            yield item


def _needs_events(ref: ColumnRef) -> bool:
    column = catalog.columns()[ref.column_id]
    if column.kind == "metric":
        return not has_session_formula(ref)
    return column.scope == "event"


def plan(query: Query) -> Plan:
    """Decide the scope of a validated query."""
    refs = [
        *query.columns,
        *(c.column for c in conditions(query.filters)),
        *(c.column for c in conditions(query.metric_filters)),
    ]
    if query.mode == "sessions":
        for ref in refs:
            if catalog.columns()[ref.column_id].scope == "event":
                raise QueryError(
                    "columns.column_id",
                    f'"{ref.column_id}" is an event dimension: use the events endpoint.',
                )
        scope: Scope = "session"
    elif query.mode == "events":
        scope = "event"
    else:
        scope = "event" if any(_needs_events(r) for r in refs) else "session"
    metrics = tuple(i for i, ref in enumerate(query.columns) if is_metric(ref))
    dimensions = tuple(i for i in range(len(query.columns)) if i not in metrics)
    return Plan(scope, dimensions, metrics)
