"""put_geo: geoip2fast country, .mmdb details, overrides, language fallback, anonymization."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from footfall.model.settings import AppSettings
from footfall.pipeline.steps.put_geo import CONTINENTS, GeoDatabaseError, PutGeo

from .conftest import make_hit
from .mmdb import write_mmdb

APP = AppSettings(website_id="w")
LONDON: dict[str, Any] = {
    "city": {"geoname_id": 2643743, "names": {"en": "London"}},
    "continent": {"code": "EU", "names": {"en": "Europe"}},
    "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
    "location": {"latitude": 51.5142, "longitude": -0.0931, "metro_code": 501},
    "subdivisions": [{"iso_code": "ENG"}, {"iso_code": "WSM"}],
}


@pytest.mark.parametrize(
    ("ip", "lang", "country", "continent"),
    [
        ("8.8.8.8", "", "US", "NA"),
        ("2001:4860:4860::8888", "", "US", "NA"),
        ("::ffff:8.8.8.8", "", "US", "NA"),
        ("10.1.2.3", "", None, None),
        ("127.0.0.1", "", None, None),
        ("::1", "", None, None),
        ("127.0.0.1", "en-gb,en;q=0.8", "GB", "EU"),
        ("", "pt-BR", "BR", "SA"),
        ("garbage", "de", None, None),
        ("8.8.8.8", "en-gb", "US", "NA"),
    ],
)
def test_country(
    put_geo: PutGeo, ip: str, lang: str, country: str | None, continent: str | None
) -> None:
    hit = make_hit(ip=ip, accept_language=lang)
    assert put_geo(hit, APP) is None
    assert (hit.country, hit.continent) == (country, continent)


def test_overrides(put_geo: PutGeo) -> None:
    hit = make_hit(
        ip="8.8.8.8", country_override="pl", region_override="ds", city_override="Wrocław"
    )
    hit.latitude_override, hit.longitude_override = 51.1, 17.03
    put_geo(hit, APP)
    assert (hit.country, hit.continent, hit.subdivision_1) == ("PL", "EU", "PL-DS")
    assert (hit.city, hit.latitude, hit.longitude) == ("Wrocław", 51.1, 17.03)


def test_continent_table_is_complete() -> None:
    assert len(CONTINENTS) >= 249
    assert set(CONTINENTS.values()) == {"AF", "AN", "AS", "EU", "NA", "OC", "SA"}


@pytest.fixture(scope="module")
def city_geo(tmp_path_factory: pytest.TempPathFactory) -> PutGeo:
    path = tmp_path_factory.mktemp("geo") / "city.mmdb"
    write_mmdb(str(path), "81.2.69.0/24", LONDON, "GeoLite2-City")
    return PutGeo(str(path))


def test_mmdb_city(city_geo: PutGeo) -> None:
    hit = make_hit(ip="81.2.69.160")
    city_geo(hit, APP)
    assert (hit.country, hit.continent, hit.subdivision_1, hit.subdivision_2) == (
        "GB",
        "EU",
        "GB-ENG",
        "GB-WSM",
    )
    assert (hit.city, hit.city_geoname_id, hit.metro_code) == ("London", 2643743, "501")
    assert (hit.latitude, hit.longitude) == (51.5142, -0.0931)
    other = make_hit(ip="8.8.8.8")  # not in the tiny database: geoip2fast still gives the country
    city_geo(other, APP)
    assert (other.country, other.city) == ("US", None)


KEPT = {  # level → fields still set (country, subdivision_1, city, latitude)
    "none": (True, True, True, True),
    "City": (True, True, True, False),
    "Region": (True, True, False, False),
    "Country": (True, False, False, False),
    "Continent": (False, False, False, False),
}


@pytest.mark.parametrize("level", list(KEPT))
def test_geolocation_anonymization(city_geo: PutGeo, level: str) -> None:
    hit = make_hit(ip="81.2.69.160")
    city_geo(hit, AppSettings(website_id="w", anonymize_geolocation_level=level))
    got = tuple(v is not None for v in (hit.country, hit.subdivision_1, hit.city, hit.latitude))
    assert got == KEPT[level]
    assert hit.continent == "EU"


def test_anonymous_visitor_keeps_country_and_continent(city_geo: PutGeo) -> None:
    hit = make_hit(ip="81.2.69.160", is_anonymous=True)
    city_geo(hit, APP)
    assert (hit.country, hit.continent) == ("GB", "EU")
    assert [hit.subdivision_1, hit.city, hit.latitude, hit.metro_code] == [None] * 4


def test_missing_mmdb_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GeoDatabaseError, match="not found"):
        PutGeo(str(tmp_path / "missing.mmdb"))
    bad = tmp_path / "bad.mmdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(GeoDatabaseError, match=r"bad\.mmdb"):
        PutGeo(str(bad))
