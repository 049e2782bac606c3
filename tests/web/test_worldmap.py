"""The world map's shapes (built from Natural Earth by dashboard/worldmap.mjs) and its shading."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from footfall.query.enums import CLOSED
from footfall.web.worldmap import SHADES, shade, world_map


def test_the_map_has_every_large_country_once_by_iso_code() -> None:
    drawn = world_map({})
    codes = [c.code for c in drawn.countries if c.code]
    assert len(codes) == len(set(codes)) >= 170
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)
    assert {"PL", "US", "BR", "CN", "AU", "ZA", "XK"} <= set(codes)
    assert "AQ" not in codes  # Antarctica is left out
    names = {c.code: c.name for c in drawn.countries}
    assert names["PL"] == "Poland"
    assert all(re.fullmatch(r"M[-0-9LMZ,]+", c.path) for c in drawn.countries)
    assert (drawn.width, drawn.height) == (960, 420)
    assert all(c.shade == 0 for c in drawn.countries)
    assert "AF" in CLOSED["location_continent_iso_code"]  # codes share the catalog's alphabet


def test_visitors_shade_their_country() -> None:
    drawn = world_map({"PL": 40.0, "DE": 10.0})
    by_code = {c.code: c for c in drawn.countries}
    assert (by_code["PL"].visitors, by_code["PL"].shade) == (40.0, SHADES)
    assert by_code["DE"].shade == 3  # sqrt(10/40) = 0.5 → ceil(2.5)
    assert by_code["FR"].shade == 0
    # a code too small for the map (Singapore) still sets the top of the scale
    drawn = world_map({"PL": 40.0, "SG": 160.0})
    assert drawn.most == 160.0
    assert next(c.shade for c in drawn.countries if c.code == "PL") == 3


@given(st.floats(0, 1e9), st.floats(0, 1e9))
def test_shades_grow_with_visitors_within_the_scale(a: float, b: float) -> None:
    most = max(a, b)
    low, high = sorted((a, b))
    assert 0 <= shade(low, most) <= shade(high, most) <= SHADES
    assert (shade(high, most) == 0) == (high == 0)
