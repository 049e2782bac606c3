"""Ingestion steps: each enriches a Hit in place or drops it with a `Reason`.

A step is `step(hit, app) -> Reason | None`: None keeps the hit, a Reason drops it (the caller
counts it). `default_steps` gives the order; `StepTimer` runs a list and times each step.

Order, and why:
 1. drop_excluded   cheapest drop first; DATA-MODEL §4.1 pre-checks (IP, user agent, unknown URL)
 2. put_device      device-detector (screened, LRU + file cached); needed by drop_bot and the fingerprint
 3. drop_bot        pre-check after the parse that detects bots (§4.1)
 4. put_geo         on the real IP, before anonymize replaces it (§1.5)
 5. put_campaign    reads the raw url, before any parameter is removed (§1.3)
 6. put_referrer    only when no campaign was found (§1.3 steps 2-5)
 7. classify        event type precedence (§4.1); drops unknown goals and plugin requests
 8. put_site_search turns a row-15 page view into a search; must follow classify (§4.1 row 15)
 9. put_custom_dimensions  extractions of event-scope dimensions (§1.6), from the raw url
10. normalize_url   event_url / event_title (§1.7), after everything that reads the raw url
11. anonymize       fingerprint from the full data first, then the stored IP (§5.2, §1.5); last
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from .anonymize import Anonymize
from .classify import classify
from .drop_bot import drop_bot
from .drop_excluded import drop_excluded
from .normalize_url import normalize_url
from .put_campaign import put_campaign
from .put_custom_dimensions import put_custom_dimensions
from .put_device import PutDevice
from .put_geo import PutGeo
from .put_referrer import put_referrer
from .put_site_search import put_site_search
from .timing import StepTimer, step_name

Step = Callable[[Hit, AppSettings], Reason | None]

__all__ = ["Anonymize", "PutDevice", "PutGeo", "Step", "StepConfig", "StepSettings", "StepTimer"]
__all__ += ["default_steps", "step_name"]


class StepSettings(Protocol):
    """The server settings the steps need."""

    @property
    def geoip_mmdb(self) -> str: ...
    @property
    def device_cache_size(self) -> int: ...
    @property
    def device_cache_file(self) -> str: ...
    @property
    def secret_key(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class StepConfig:
    """A plain StepSettings: GeoIP .mmdb path ("" = none), device cache size and file ("" = none), secret key."""

    geoip_mmdb: str = ""
    device_cache_size: int = 10_000
    device_cache_file: str = ""
    secret_key: bytes = b""


def default_steps(settings: StepSettings) -> list[Step]:
    """The ordered enrichment steps (see the module docstring for the order)."""
    return [
        drop_excluded,
        PutDevice(
            settings.device_cache_size,
            Path(settings.device_cache_file) if settings.device_cache_file else None,
        ),
        drop_bot,
        PutGeo(settings.geoip_mmdb),
        put_campaign,
        put_referrer,
        classify,
        put_site_search,
        put_custom_dimensions,
        normalize_url,
        Anonymize(settings.secret_key),
    ]
