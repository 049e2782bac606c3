"""The Pirsch-compatible REST API (api-notes pirsch.md): tokens, ingestion, statistics, management.

A Pirsch "domain" is a Footfall app; the same data answers both API families.
"""

from __future__ import annotations

from starlette.routing import Route

from footfall.api.pirsch.context import PirschContext
from footfall.api.pirsch.ingest import make_ingest_routes
from footfall.api.pirsch.manage import make_manage_routes
from footfall.api.pirsch.members import make_member_routes
from footfall.api.pirsch.objects import make_object_routes
from footfall.api.pirsch.reports import make_report_routes
from footfall.api.pirsch.statistics import make_statistics_routes
from footfall.api.pirsch.token import make_token_routes

__all__ = ["PirschContext", "make_pirsch_routes"]


def make_pirsch_routes(ctx: PirschContext) -> list[Route]:
    """Every route of the Pirsch family, under `/api/v1/`."""
    return [
        *make_token_routes(ctx),
        *make_ingest_routes(ctx),
        *make_manage_routes(ctx),
        *make_object_routes(ctx.on_change),
        *make_member_routes(),
        *make_report_routes(ctx.store),
        *make_statistics_routes(ctx),
    ]
