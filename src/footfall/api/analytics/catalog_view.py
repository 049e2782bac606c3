"""GET /analytics/api/engine/dimensions/ and /metrics/: the catalog as api-notes §1.4 shows it."""

from __future__ import annotations

from typing import Any

from footfall.query import catalog, enums
from footfall.query.catalog import CatalogColumn

_INTEGRATION_NAMES = {
    "google_ads": "Google Ads",
    "google_search_console": "Google Search Console",
    "sharepoint": "SharePoint",
}


def describe(column: CatalogColumn) -> dict[str, Any]:
    """One catalog entry."""
    meta: dict[str, Any] = {
        "column_name": column.name,
        "column_type": column.type,
        "column_category": [_INTEGRATION_NAMES.get(column.integration or "", column.scope.title())],
        "scope": column.scope,
        "is_internal": False,
    }
    if column.kind == "dimension":
        meta["database_type"] = column.db_type
        meta["nullable"] = column.nullable
    if column.integration is not None:
        meta["requires_integration"] = column.integration
    entry: dict[str, Any] = {
        "column_id": column.id,
        "requires_events": column.scope == "event",
        "column_meta": meta,
    }
    if column.is_enum:
        labels = enums.labels(column.id)
        if labels:
            entry["enum_values"] = {str(k): v for k, v in labels.items()}
    allowed = catalog.transformations_for(column)
    if allowed:
        entry["available_transformations"] = {
            "dimension_to_metric": [
                {"transformation_id": t.id, "result_type": t.result(column.type)}
                for t in allowed
                if t.kind == "metric"
            ],
            "dimension_to_dimension": [
                {"transformation_id": t.id, "result_type": t.result(column.type)}
                for t in allowed
                if t.kind == "dimension"
            ],
        }
    return entry


def listing(kind: str) -> list[dict[str, Any]]:
    """Every dimension or every metric of the catalog."""
    return [describe(c) for c in catalog.columns().values() if c.kind == kind]
