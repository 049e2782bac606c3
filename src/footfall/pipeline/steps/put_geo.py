"""put_geo: location from GeoIP (geoip2fast, optional .mmdb), overrides and language (DATA-MODEL §1.5)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geoip2.database
import geoip2.errors

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import load_json

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from geoip2fast import GeoIP2Fast

#: ISO 3166-1 alpha-2 → continent code (DATA-MODEL §2 location_continent_iso_code)
CONTINENTS: dict[str, str] = load_json("continents.json")

#: fields kept per `anonymize_visitor_geolocation_level`: everything below the level is dropped
_LEVELS = {"none": 5, "city": 4, "region": 3, "country": 2, "continent": 1}


class GeoDatabaseError(RuntimeError):
    """The operator's GeoIP .mmdb file cannot be opened."""


class PutGeo:
    """Fills continent, country, subdivisions, city, metro and coordinates of a hit."""

    name = "put_geo"

    def __init__(self, mmdb_path: str = "") -> None:
        # ipv6 file: covers IPv4 and IPv6 (the default file is IPv4 only); ~2 µs a lookup
        self._fast = GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz")
        self._reader: geoip2.database.Reader | None = None
        self._city = False
        if mmdb_path:
            if not Path(mmdb_path).is_file():
                raise GeoDatabaseError(f"GeoIP database not found: {mmdb_path}")
            try:
                self._reader = geoip2.database.Reader(mmdb_path)
            except Exception as exc:
                raise GeoDatabaseError(f"GeoIP database {mmdb_path}: {exc}") from exc
            self._city = "City" in self._reader.metadata().database_type

    def __call__(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Enriches `hit` in place; never drops."""
        # why: geo runs on the real IP, before `anonymize` (DATA-MODEL §1.5)
        ip = hit.ip.strip()
        if ip.startswith("::ffff:") and "." in ip:
            ip = ip[7:]
        if ip and self._reader is not None:
            self._lookup_mmdb(hit, ip)
        if hit.country is None and ip:
            hit.country = self._lookup_fast(ip)
        _apply_overrides(hit)
        if hit.country is None:
            hit.country = _language_country(hit.accept_language)
        if hit.country is not None and (hit.continent is None or hit.country_override):
            hit.continent = CONTINENTS.get(hit.country)
        level = "country" if hit.is_anonymous else app.anonymize_geolocation_level.lower()
        _anonymize(hit, _LEVELS.get(level, 5))
        return None

    def _lookup_fast(self, ip: str) -> str | None:
        try:
            code = self._fast.lookup(ip).country_code
        except Exception:
            return None
        # "--" = private/reserved range, "" = not found or not an IP
        return code if isinstance(code, str) and len(code) == 2 and code.isalpha() else None

    def _lookup_mmdb(self, hit: Hit, ip: str) -> None:
        assert self._reader is not None
        try:
            r: Any = self._reader.city(ip) if self._city else self._reader.country(ip)
        except (geoip2.errors.AddressNotFoundError, ValueError, TypeError):
            return
        hit.country = r.country.iso_code or None
        hit.continent = r.continent.code or None
        if not self._city:
            return
        subs = [s.iso_code for s in r.subdivisions if s.iso_code]
        if hit.country and subs:
            hit.subdivision_1 = f"{hit.country}-{subs[0]}"
            hit.subdivision_2 = f"{hit.country}-{subs[1]}" if len(subs) > 1 else None
        hit.city = r.city.name or None
        hit.city_geoname_id = r.city.geoname_id or 0
        metro = r.location.metro_code
        hit.metro_code = str(metro) if metro else None
        hit.latitude = r.location.latitude
        hit.longitude = r.location.longitude


def _apply_overrides(hit: Hit) -> None:
    """`country`, `region`, `city`, `lat`, `long` (S0; the collector lets them through only when authorized)."""
    cc = hit.country_override.strip().upper()
    if len(cc) == 2 and cc.isalpha():
        if cc != hit.country:
            # a different country invalidates the GeoIP details below it
            hit.subdivision_1 = hit.subdivision_2 = hit.city = hit.metro_code = None
            hit.city_geoname_id = 0
        hit.country = cc
    region = hit.region_override.strip().upper()
    if region and hit.country:
        hit.subdivision_1 = f"{hit.country}-{region}"
    if hit.city_override.strip():
        hit.city = hit.city_override.strip()
        hit.city_geoname_id = 0
    if hit.latitude_override is not None and -90 <= hit.latitude_override <= 90:
        hit.latitude = hit.latitude_override
    if hit.longitude_override is not None and -180 <= hit.longitude_override <= 180:
        hit.longitude = hit.longitude_override


def _language_country(accept_language: str) -> str | None:
    """Region subtag of the first language tag (`en-gb` → GB), S0's fallback without GeoIP."""
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip().replace("_", "-")
    for subtag in first.split("-")[1:]:
        if len(subtag) == 2 and subtag.isalpha():
            cc = subtag.upper()
            return cc if cc in CONTINENTS else None
    return None


def _anonymize(hit: Hit, keep: int) -> None:
    """Drops the fields below the kept level: 4 city (no coordinates), 3 region, 2 country, 1 continent."""
    if keep <= 4:
        hit.latitude = hit.longitude = None
    if keep <= 3:
        hit.city, hit.city_geoname_id, hit.metro_code = None, 0, None
    if keep <= 2:
        hit.subdivision_1 = hit.subdivision_2 = None
    if keep <= 1:
        hit.country = None
