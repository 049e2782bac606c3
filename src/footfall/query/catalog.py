"""The column catalog: every metric, dimension and transformation of seed 001 §1.1 and §1.2.

The seed tables themselves live in `data/query_*.tsv` (copied row for row); this module reads them
and adds what the seed leaves to us: where each column is stored (`table`: `sessions`, `events`,
or `derived` at query time, DATA-MODEL §0), which transformations a type allows (Tables 3 and 4)
and the legacy metric names of §1.5 that are accepted as aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from footfall.model.columns import (
    CUSTOM_SLOTS,
    EVENT_COLUMN_NAMES,
    EVENT_VARIABLE_SLOTS,
    SESSION_COLUMN_NAMES,
)

Kind = Literal["metric", "dimension"]

#: types whose value is an [id, label] pair on the wire (api-notes §1.1)
ENUM_TYPES = frozenset({"[int, str]", "[str, str]"})
#: event columns computed by window functions, never stored (DATA-MODEL §0)
WINDOW_COLUMNS = frozenset({"is_exit", "next_event_url", "next_event_title", "time_on_page"})
#: session columns computed from other stored columns
SESSION_DERIVED = frozenset({"local_hour", "website_name"})


@dataclass(frozen=True, slots=True)
class CatalogColumn:
    """One column of the catalog, as the seed describes it."""

    id: str
    name: str
    kind: Kind
    scope: str  #: session, event, or external (integrations)
    type: str  #: seed type: int, float, str, hex, date, array, int(0,1), [int, str], ...
    db_type: str = "not applicable"
    nullable: bool = False
    integration: str | None = None  #: google_ads, google_search_console, sharepoint

    @property
    def is_enum(self) -> bool:
        """Whether cells are [id, label] pairs."""
        return self.type in ENUM_TYPES

    @property
    def table(self) -> str:
        """Where the value comes from: sessions, events, derived, or none (integrations)."""
        if self.integration is not None or self.kind == "metric":
            return "none"
        if self.id in WINDOW_COLUMNS or self.id in SESSION_DERIVED:
            return "derived"
        if self.scope == "event":
            return "events"
        return "sessions"


@dataclass(frozen=True, slots=True)
class Transformation:
    """One row of seed Table 3 (dimension → metric) or Table 4 (dimension → dimension)."""

    id: str
    name: str
    kind: Kind  #: the kind of column it produces
    source_types: frozenset[str]
    result_type: str  #: a type, or "source" (as source)

    def result(self, source_type: str) -> str:
        """The type of the transformed column."""
        return source_type if self.result_type == "source" else self.result_type


_NUMERIC = frozenset({"int", "float", "int(0,1)"})
_DATES = frozenset({"date", "datetime"})
# why: Table 3 lists "int, str" for unique_count; hex ids, enums and IP addresses are stored as
# ints or strings too, and counting distinct visitors (`visitor_id`) is the commonest use.
_COUNTABLE = _NUMERIC | {"str", "hex", "[int, str]", "[str, str]", "ipv4", "ipv6"}

TRANSFORMATIONS: dict[str, Transformation] = {
    t.id: t
    for t in (
        Transformation("unique_count", "Unique Count", "metric", _COUNTABLE, "int"),
        Transformation("min", "Min", "metric", _NUMERIC, "source"),
        Transformation("max", "Max", "metric", _NUMERIC, "source"),
        Transformation("average", "Average", "metric", _NUMERIC, "float"),
        Transformation("median", "Median", "metric", _NUMERIC, "source"),
        Transformation("sum", "Sum", "metric", _NUMERIC, "source"),
        Transformation("to_date", "Date To Day", "dimension", _DATES, "date"),
        Transformation(
            "to_start_of_hour", "Date To Start Of Hour", "dimension", _DATES, "datetime"
        ),
        Transformation("to_start_of_week", "Date To Start Of Week", "dimension", _DATES, "date"),
        Transformation("to_start_of_month", "Date To Start Of Month", "dimension", _DATES, "date"),
        Transformation(
            "to_start_of_quarter", "Date To Start Of Quarter", "dimension", _DATES, "date"
        ),
        Transformation("to_start_of_year", "Date To Start Of Year", "dimension", _DATES, "date"),
        Transformation("to_hour_of_day", "Date To Hour Of Day", "dimension", _DATES, "int"),
        # ours, not of Table 4: the minute 0-59 within the hour, for Pirsch /statistics/minutes
        Transformation("to_minute_of_hour", "Date To Minute Of Hour", "dimension", _DATES, "int"),
        Transformation("to_day_of_week", "Date To Day Of Week", "dimension", _DATES, "int"),
        Transformation("to_month_number", "Date To Month Number", "dimension", _DATES, "int"),
        Transformation("to_path", "URL To Path", "dimension", frozenset({"str"}), "str"),
        Transformation("to_domain", "URL To Domain", "dimension", frozenset({"str"}), "str"),
        Transformation(
            "strip_qs", "URL Strip Query String", "dimension", frozenset({"str"}), "str"
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Alias:
    """A legacy metric name of seed §1.5 and the column it means now."""

    column_id: str
    transformation_id: str | None = None


#: seed 001 §1.5.1 and §1.5.2: legacy (Analytics classic) names accepted as column ids
LEGACY_ALIASES: dict[str, Alias] = {
    "nb_actions": Alias("events"),
    "nb_visits": Alias("sessions"),
    "nb_uniq_visitors": Alias("visitors"),
    "nb_users": Alias("users"),
    "nb_pageviews": Alias("page_views"),
    "nb_hits": Alias("page_views"),
    "nb_uniq_pageviews": Alias("unique_page_views"),
    "nb_outlinks": Alias("outlinks"),
    "nb_uniq_outlinks": Alias("unique_outlinks"),
    "nb_downloads": Alias("downloads"),
    "nb_uniq_downloads": Alias("unique_downloads"),
    "nb_searches": Alias("unique_searches"),
    "nb_events": Alias("custom_events"),
    "nb_impressions": Alias("content_impressions"),
    "nb_interactions": Alias("content_interactions"),
    "interaction_rate": Alias("content_interaction_rate"),
    "conversion_rate": Alias("goal_conversion_rate"),
    "entry_nb_visits": Alias("entries"),
    "exit_nb_visits": Alias("exits"),
    "exit_rate": Alias("exit_rate"),
    "bounce_rate": Alias("bounce_rate"),
    "nb_actions_per_visit": Alias("events_per_session"),
    "revenue": Alias("goal_revenue", "sum"),
    "avg_time_generation": Alias("page_generation_time", "average"),
    "max_time_generation": Alias("page_generation_time", "max"),
    "avg_time_on_page": Alias("time_on_page", "average"),
    "sum_time_spent": Alias("time_on_page", "sum"),
    "sum_visit_length": Alias("session_total_time", "sum"),
    "avg_time_on_site": Alias("session_total_time", "average"),
    "max_actions": Alias("session_total_events", "max"),
    "sum_event_value": Alias("custom_event_value", "sum"),
    "avg_event_value": Alias("custom_event_value", "average"),
}
#: goal_<id>_nb_conversions and goal_<id>_revenue (seed §1.5.1, §1.5.2)
LEGACY_GOAL = re.compile(r"goal_(\d{1,9})_(nb_conversions|revenue)")

#: the number of custom dimension / variable slots the store holds (DATA-MODEL §1.6)
_STORED = frozenset(SESSION_COLUMN_NAMES) | frozenset(EVENT_COLUMN_NAMES)


def _rows(name: str) -> list[list[str]]:
    text = resources.files("footfall.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def columns() -> dict[str, CatalogColumn]:
    """Every column of the catalog by id: Table 1 metrics, Table 2 dimensions, integrations."""
    out: dict[str, CatalogColumn] = {}
    for name, column_id, scope, type_ in _rows("query_metrics.tsv"):
        out[column_id] = CatalogColumn(column_id, name, "metric", scope, type_)
    for name, column_id, scope, type_, db_type, nullable in _rows("query_dimensions.tsv"):
        out[column_id] = CatalogColumn(
            column_id, name, "dimension", scope, type_, db_type, nullable == "True"
        )
    # the seed's table stops at slot 5; the store has EVENT_VARIABLE_SLOTS event custom variables
    # (DATA-MODEL §1.6), described like the seed's first slot
    for k in range(CUSTOM_SLOTS + 1, EVENT_VARIABLE_SLOTS + 1):
        for part in ("key", "value"):
            first = out[f"event_custom_variable_{part}_1"]
            out[f"event_custom_variable_{part}_{k}"] = CatalogColumn(
                f"event_custom_variable_{part}_{k}",
                first.name.replace(" 1", f" {k}"),
                "dimension",
                first.scope,
                first.type,
                first.db_type,
                first.nullable,
            )
    for integration, kind, name, column_id, scope, type_ in _rows("query_integrations.tsv"):
        kind_: Kind = "metric" if kind == "metric" else "dimension"
        out[column_id] = CatalogColumn(
            column_id, name, kind_, scope, type_, integration=integration
        )
    return out


def get(column_id: str) -> CatalogColumn | None:
    """The catalog column of an id, or None."""
    return columns().get(column_id)


def transformations_for(column: CatalogColumn) -> list[Transformation]:
    """The transformations a column's type allows (none for metrics and integrations)."""
    if column.kind != "dimension" or column.integration is not None:
        return []
    return [t for t in TRANSFORMATIONS.values() if column.type in t.source_types]


def check_storage() -> list[str]:
    """Catalog dimensions read from a table that the store does not have (should be empty)."""
    missing = []
    for c in columns().values():
        if c.table in ("sessions", "events") and c.id not in _STORED:
            missing.append(c.id)
    return missing
