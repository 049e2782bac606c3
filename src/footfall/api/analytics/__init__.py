"""The Piwik PRO Analytics HTTP API (api-notes §1): query, raw data, real-time, catalog."""

from __future__ import annotations

from footfall.api.analytics.routes import make_analytics_routes

__all__ = ["make_analytics_routes"]
