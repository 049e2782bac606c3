"""put_geo: location from GeoIP (geoip2fast, optional .mmdb), overrides and language (DATA-MODEL §1.5)."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any, NamedTuple

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
#: entries of each per-IP lookup cache (about 150 bytes an entry for the country code)
IP_CACHE_SIZE = 65_536


class _Located(NamedTuple):
    """What the .mmdb file says about one IP; city fields only from a City database."""

    country: str | None
    continent: str | None
    city: bool  #: the fields below come from a City database
    subdivisions: tuple[str, ...]
    city_name: str | None
    city_geoname_id: int
    metro_code: str | None
    latitude: float | None
    longitude: float | None


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
        # why: a country is a pure function of the IP for a loaded database; visitors send many hits
        self._country_of = functools.lru_cache(maxsize=IP_CACHE_SIZE)(self._lookup_fast)
        self._locate = functools.lru_cache(maxsize=IP_CACHE_SIZE)(self._lookup_mmdb)

    def __call__(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Enriches `hit` in place; never drops."""
        # why: geo runs on the real IP, before `anonymize` (DATA-MODEL §1.5)
        ip = hit.ip
        if ip:
            if self._reader is not None:
                located = self._locate(ip)
                if located is not None:
                    _apply_located(hit, located)
            if hit.country is None:
                hit.country = self._country_of(ip)
        if (
            hit.country_override
            or hit.region_override
            or hit.city_override
            or hit.latitude_override is not None
            or hit.longitude_override is not None
        ):
            _apply_overrides(hit)
        if hit.country is None:
            hit.country = _language_country(hit.accept_language)
        if hit.country is not None and (hit.continent is None or hit.country_override):
            hit.continent = CONTINENTS.get(hit.country)
        keep = 2 if hit.is_anonymous else _keep_level(app.anonymize_geolocation_level)
        if keep < 5:
            _anonymize(hit, keep)
        return None

    def _lookup_fast(self, ip: str) -> str | None:
        ip = _plain_ip(ip)
        if not ip:
            return None
        try:
            code = self._fast.lookup(ip).country_code
        except Exception:
            return None
        # "--" = private/reserved range, "" = not found or not an IP
        return code if isinstance(code, str) and len(code) == 2 and code.isalpha() else None

    def _lookup_mmdb(self, ip: str) -> _Located | None:
        assert self._reader is not None
        ip = _plain_ip(ip)
        if not ip:
            return None
        try:
            r: Any = self._reader.city(ip) if self._city else self._reader.country(ip)
        except (geoip2.errors.AddressNotFoundError, ValueError, TypeError):
            return None
        if not self._city:
            return _Located(
                r.country.iso_code or None,
                r.continent.code or None,
                False,
                (),
                None,
                0,
                None,
                None,
                None,
            )
        metro = r.location.metro_code
        return _Located(
            country=r.country.iso_code or None,
            continent=r.continent.code or None,
            city=True,
            subdivisions=tuple(s.iso_code for s in r.subdivisions if s.iso_code),
            city_name=r.city.name or None,
            city_geoname_id=r.city.geoname_id or 0,
            metro_code=str(metro) if metro else None,
            latitude=r.location.latitude,
            longitude=r.location.longitude,
        )


def _plain_ip(ip: str) -> str:
    """The address to look up: stripped, IPv4-mapped IPv6 as IPv4."""
    ip = ip.strip()
    return ip[7:] if ip.startswith("::ffff:") and "." in ip else ip


def _apply_located(hit: Hit, located: _Located) -> None:
    """Copies a (cached) .mmdb answer onto the hit."""
    hit.country = located.country
    hit.continent = located.continent
    if not located.city:
        return
    subs = located.subdivisions
    if hit.country and subs:
        hit.subdivision_1 = f"{hit.country}-{subs[0]}"
        hit.subdivision_2 = f"{hit.country}-{subs[1]}" if len(subs) > 1 else None
    hit.city = located.city_name
    hit.city_geoname_id = located.city_geoname_id
    hit.metro_code = located.metro_code
    hit.latitude = located.latitude
    hit.longitude = located.longitude


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


@functools.lru_cache(maxsize=64)
def _keep_level(level: str) -> int:
    """`anonymize_geolocation_level` (any case) → the level kept by `_anonymize`."""
    return _LEVELS.get(level.lower(), 5)


@functools.lru_cache(maxsize=4096)
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
