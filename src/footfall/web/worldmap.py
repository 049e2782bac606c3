"""The overview's world map: countries shaded by visitors, each a link that filters the dashboard.

The shapes are `data/world_map.json`, made at build time by `dashboard/worldmap.mjs` from Natural
Earth's public-domain 1:110m countries (one SVG path per ISO 3166-1 alpha-2 code, the code the
pipeline stores in `location_country_name`). The server renders the SVG inline, so the map needs
no script and no download at run time. Countries too small for that scale (Singapore, Malta…)
are not drawn; the Countries table beside the map lists them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import orjson

#: shades of the map's scale; 0 is "no visitors"
SHADES = 5


@dataclass(frozen=True, slots=True)
class Country:
    """One country on the map with its visitors and shade (0 = none, 1..SHADES)."""

    code: str  #: ISO 3166-1 alpha-2, "" for shapes without one (disputed areas)
    name: str
    path: str
    visitors: float
    shade: int


@dataclass(frozen=True, slots=True)
class WorldMap:
    """The map as drawn: its size and its countries."""

    width: int
    height: int
    countries: tuple[Country, ...]
    most: float  #: the largest number of visitors of a country (the top of the scale)


@cache
def _shapes() -> tuple[int, int, tuple[tuple[str, str, str], ...]]:
    raw = orjson.loads((resources.files("footfall.data") / "world_map.json").read_bytes())
    shapes = tuple((str(c), str(n), str(d)) for c, n, d in raw["countries"])
    return int(raw["width"]), int(raw["height"]), shapes


def shade(visitors: float, most: float) -> int:
    """The shade of a country: a square-root scale, so a few big countries leave room for others."""
    if visitors <= 0 or most <= 0:
        return 0
    return max(1, min(SHADES, math.ceil(SHADES * math.sqrt(visitors / most))))


def world_map(visitors: Mapping[str, float]) -> WorldMap:
    """The map with each country's visitors (by ISO code) and shade."""
    width, height, shapes = _shapes()
    most = max(visitors.values(), default=0.0)
    countries = tuple(
        Country(code, name, path, visitors.get(code, 0.0), shade(visitors.get(code, 0.0), most))
        for code, name, path in shapes
    )
    return WorldMap(width, height, countries, most)
