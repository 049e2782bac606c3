"""anonymize: the session-hash fingerprint, then the stored (anonymized) IP address (DATA-MODEL §1.5, §5.2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

#: IPv6 prefix kept per `anonymize_ip_bytes` 0..4 (IPv4 zeroes that many trailing octets) [P]
IPV6_PREFIX = (128, 64, 48, 32, 0)
_PLUGIN_ORDER = ("pdf", "fla", "java", "dir", "qt", "realp", "wma", "gears", "ag", "cookie")


def anonymize_ip(ip: str, octets: int) -> tuple[str | None, str | None]:
    """(ipv4, ipv6) of `ip` with `octets` (0..4) anonymized; (None, None) if not an address."""
    octets = min(max(octets, 0), 4)
    parts = ip.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        # fast path for dotted IPv4 (the common case); int() drops leading zeros
        kept = [str(int(p)) for p in parts[: 4 - octets]]
        return ".".join(kept + ["0"] * octets), None
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None, None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return anonymize_ip(str(addr.ipv4_mapped), octets)
    if isinstance(addr, ipaddress.IPv4Address):
        return anonymize_ip(str(addr), octets)
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
            v4, v6 = anonymize_ip(hit.ip, app.anonymize_ip_bytes)
            ip = v4 or v6 or hit.ip
        else:
            ip = hit.ip
        plugins = "".join("1" if hit.plugins.get(p) else "0" for p in _PLUGIN_ORDER)
        # why: the fields of DATA-MODEL §5.2 (HC-vid, HC-sess); website left out across websites
        site = "" if app.enable_fingerprinting_across_websites else hit.website_id
        data = "\x1f".join(
            (
                ip,
                hit.operating_system or "",
                hit.browser_name or "",
                hit.browser_version,
                hit.browser_language or "",
                plugins,
                site,
            )
        )
        day = (int(hit.timestamp // 86400) if math.isfinite(hit.timestamp) else 0) + day_offset
        digest = hashlib.blake2b(
            data.encode("utf-8", "replace"), digest_size=8, key=self.day_key(day)
        )
        return int.from_bytes(digest.digest(), "big")

    def __call__(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Sets `fingerprint`, then `ipv4_address`/`ipv6_address` per the app's IP settings."""
        hit.fingerprint = self.fingerprint_for(hit, app)
        if hit.remove_ip or not app.set_ip_tracking:
            hit.ipv4_address = hit.ipv6_address = None  # rmip=1 (TAPI) or IP tracking off (TS)
        elif hit.is_anonymous:
            hit.ipv4_address, hit.ipv6_address = "0.0.0.0", None  # uia=1 (TAPI)
        else:
            hit.ipv4_address, hit.ipv6_address = anonymize_ip(hit.ip, app.anonymize_ip_bytes)
        return None
