"""anonymize: the session-hash fingerprint, then the stored (anonymized) IP address (DATA-MODEL §1.5, §5.2)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import math

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

#: IPv6 prefix kept per `anonymize_ip_bytes` 0..4 (IPv4 zeroes that many trailing octets) [P]
IPV6_PREFIX = (128, 64, 48, 32, 0)
_ZEROS: tuple[list[str], ...] = ([], ["0"], ["0", "0"], ["0", "0", "0"], ["0", "0", "0", "0"])
_PLUGIN_ORDER = ("pdf", "fla", "java", "dir", "qt", "realp", "wma", "gears", "ag", "cookie")
#: entries of the anonymized-IP cache (about 250 bytes an entry)
IP_CACHE_SIZE = 32_768
#: distinct plugin sets remembered as their fingerprint string (browsers send a handful)
_PLUGIN_CACHE_SIZE = 1024
_plugin_strings: dict[tuple[tuple[str, object], ...], str] = {}


def anonymize_ip(ip: str, octets: int) -> tuple[str | None, str | None]:
    """(ipv4, ipv6) of `ip` with `octets` (0..4) anonymized; (None, None) if not an address."""
    return _anonymize_ip(ip, octets)


@functools.lru_cache(maxsize=IP_CACHE_SIZE)
def _anonymize_ip(ip: str, octets: int) -> tuple[str | None, str | None]:
    # pure: cached, since a visitor sends many hits from one address
    octets = min(max(octets, 0), 4)
    parts = ip.split(".")
    if len(parts) == 4:
        # fast path for dotted IPv4 (the common case); int() drops leading zeros
        kept: list[str] = []
        for p in parts:
            if not (p.isdecimal() and len(p) <= 3):  # why: "²".isdigit(), int("²") raises
                break
            n = int(p)
            if n > 255:
                break
            kept.append(str(n))
        else:
            return ".".join(kept[: 4 - octets] + _ZEROS[octets]), None
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None, None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return _anonymize_ip(str(addr.ipv4_mapped), octets)
    if isinstance(addr, ipaddress.IPv4Address):
        return _anonymize_ip(str(addr), octets)
    net = ipaddress.IPv6Network((addr, IPV6_PREFIX[octets]), strict=False)
    return None, str(net.network_address)


class Anonymize:
    """Computes `fingerprint` from the full data first, then stores only the anonymized IP."""

    name = "anonymize"

    def __init__(self, secret_key: bytes) -> None:
        if not secret_key:
            raise ValueError("anonymize needs a non-empty secret key")
        self._secret = secret_key
        self._day_keys: dict[int, bytes] = {}
        # a blake2b already keyed with the day key: copying it is cheaper than keying a new one
        self._day_hashers: dict[int, hashlib.blake2b] = {}

    def day_key(self, day: int) -> bytes:
        """HMAC(secret, UTC date) for a day number since the epoch; derived, never stored."""
        key = self._day_keys.get(day)
        if key is None:
            try:
                date = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
            except OverflowError:  # a timestamp outside the calendar: still one key per day
                date = str(day)
            key = hmac.new(self._secret, date.encode(), hashlib.sha256).digest()
            if len(self._day_keys) > 8:
                self._day_keys.clear()
            self._day_keys[day] = key
        return key

    def fingerprint_for(self, hit: Hit, app: AppSettings, day_offset: int = 0) -> int:
        """The 64-bit session hash of `hit` with the key of its UTC day (-1: the day before)."""
        if app.fingerprint_based_on_anonymized_ip:
            v4, v6 = _anonymize_ip(hit.ip, app.anonymize_ip_bytes)
            ip = v4 or v6 or hit.ip
        else:
            ip = hit.ip
        # why: the fields of DATA-MODEL §5.2 (HC-vid, HC-sess); website left out across websites
        site = "" if app.enable_fingerprinting_across_websites else hit.website_id
        data = "\x1f".join(
            (
                ip,
                hit.operating_system or "",
                hit.browser_name or "",
                hit.browser_version,
                hit.browser_language or "",
                _plugins(hit.plugins),
                site,
            )
        )
        ts = hit.timestamp
        day = (int(ts // 86400) if math.isfinite(ts) else 0) + day_offset
        digest = (self._day_hashers.get(day) or self._day_hasher(day)).copy()
        digest.update(data.encode("utf-8", "replace"))
        return int.from_bytes(digest.digest(), "big")

    def _day_hasher(self, day: int) -> hashlib.blake2b:
        """blake2b (8 bytes) keyed with `day_key(day)`, to be copied per hit."""
        hasher = self._day_hashers.get(day)
        if hasher is None:
            hasher = hashlib.blake2b(digest_size=8, key=self.day_key(day))
            if len(self._day_hashers) > 8:
                self._day_hashers.clear()
            self._day_hashers[day] = hasher
        return hasher

    def __call__(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Sets `fingerprint`, then `ipv4_address`/`ipv6_address` per the app's IP settings."""
        hit.fingerprint = self.fingerprint_for(hit, app)
        if hit.remove_ip or not app.set_ip_tracking:
            hit.ipv4_address = hit.ipv6_address = None  # rmip=1 (TAPI) or IP tracking off (TS)
        elif hit.is_anonymous:
            hit.ipv4_address, hit.ipv6_address = "0.0.0.0", None  # uia=1 (TAPI)
        else:
            hit.ipv4_address, hit.ipv6_address = _anonymize_ip(hit.ip, app.anonymize_ip_bytes)
        return None


def _plugins(plugins: dict[str, bool]) -> str:
    """The plugin flags in `_PLUGIN_ORDER` as ten "0"/"1" characters."""
    try:
        key = tuple(plugins.items())
        found = _plugin_strings.get(key)
    except TypeError:  # an unhashable value: not worth caching
        key, found = None, None
    if found is None:
        found = "".join("1" if plugins.get(p) else "0" for p in _PLUGIN_ORDER)
        if key is not None:
            if len(_plugin_strings) >= _PLUGIN_CACHE_SIZE:
                _plugin_strings.clear()
            _plugin_strings[key] = found
    return found
