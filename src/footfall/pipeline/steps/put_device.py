"""put_device: browser, OS, device and bot flag from device-detector, behind an LRU cache (DATA-MODEL §1.4)."""

from __future__ import annotations

import functools
import warnings
from importlib import resources
from typing import Any, NamedTuple

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

with warnings.catch_warnings():
    # why: keep third-party import-time warnings out of our warnings-as-errors test runs
    warnings.simplefilter("ignore", DeprecationWarning)
    from device_detector import DeviceDetector
    from device_detector.parser.device.base import BRAND_TO_ABBREV, DEVICE_BRANDS
    from device_detector.parser.settings import BROWSER_TO_ABBREV, OS_TO_ABBREV

#: device-detector type names → the numeric ids of DATA-MODEL §2 (device-detector's own ids)
DEVICE_TYPE_IDS = {
    "desktop": 0,
    "smartphone": 1,
    "tablet": 2,
    "feature phone": 3,
    "console": 4,
    "tv": 5,
    "car browser": 6,
    "smart display": 7,
    "camera": 8,
    "portable media player": 9,
    "phablet": 10,
    "smart speaker": 11,
    "wearable": 12,
    "peripheral": 13,
}
_ISO639_1 = frozenset(
    resources.files("footfall.data").joinpath("iso639_1.txt").read_text("ascii").split()
)
_WARM_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


class Device(NamedTuple):
    """What one user agent (plus client hints) parses to; cached."""

    operating_system: str | None
    operating_system_version: str
    browser_name: str | None
    browser_version: str
    browser_engine: str
    device_type: int | None
    device_brand: str | None
    device_model: str
    is_bot: bool


_BOT = Device(None, "", None, "", "", None, None, "", True)


def _engine(details: dict[str, Any], ua: str) -> str:
    engine = details.get("engine") or ""
    if isinstance(engine, dict):  # device-detector gives {"default": "WebKit"} for some browsers
        engine = engine.get("default") or ""
    if engine or not ua:
        return str(engine)
    # why: the Python port leaves the engine empty for some Chromium forks (Samsung Browser)
    if "Chrome/" in ua or "Chromium/" in ua:
        return "Blink"
    if "Gecko/" in ua and "like Gecko" not in ua:
        return "Gecko"
    return "WebKit" if "AppleWebKit/" in ua else ""


def parse_device(ua: str, hints: Hints | None) -> Device:
    """Parses one user agent with device-detector (uncached)."""
    headers = _headers(hints.data) if hints is not None else None
    dd = DeviceDetector(ua, headers=headers, check_cache=False).parse()
    if dd.is_bot():
        return _BOT
    os = dd.all_details.get("os") or {}
    os_code = os.get("short_name") or OS_TO_ABBREV.get((os.get("name") or "").lower())
    client = dd.all_details.get("client") or {}
    name = client.get("name") or ""
    short = client.get("short_name") or ""
    is_browser = client.get("type") == "browser"
    if is_browser and not short:
        short = BROWSER_TO_ABBREV.get(name.lower(), "")
    brand = dd.device_brand()
    brand_code = brand if brand in DEVICE_BRANDS else BRAND_TO_ABBREV.get(brand.lower())
    return Device(
        operating_system=os_code or None,
        operating_system_version=os.get("version") or "",
        browser_name=short or None,
        browser_version=client.get("version") or "",
        browser_engine=_engine(client, ua) if is_browser else "",
        device_type=DEVICE_TYPE_IDS.get(str(dd.device_type())),
        device_brand=brand_code or None,
        device_model=dd.device_model() or "",
        is_bot=False,
    )


def _headers(data: dict[str, Any]) -> dict[str, Any]:
    """Matomo `uadata` or `sec-ch-*` values in the shapes device-detector's ClientHints reads."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, bool):
            out[str(k)] = "?1" if v else "?0"
        elif isinstance(v, list):
            out[str(k)] = [x for x in v if isinstance(x, dict)]
        elif isinstance(v, str | int | float):
            out[str(k)] = str(v)
    return out


def browser_language(accept_language: str) -> str | None:
    """Primary subtag of the first language tag, lowercased; None unless ISO 639-1 (DATA-MODEL §1.4)."""
    return _browser_language(accept_language)


@functools.lru_cache(maxsize=4096)
def _browser_language(accept_language: str) -> str | None:
    # a few hundred distinct Accept-Language headers make up nearly all traffic
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip()
    primary = first.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in _ISO639_1 else None


class Hints:
    """Client hints as a hashable cache-key part that still carries the original values."""

    __slots__ = ("data", "key")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.key = repr(sorted(data.items(), key=lambda kv: str(kv[0])))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hints) and other.key == self.key


class PutDevice:
    """Fills browser, OS, device and `is_bot` from the user agent and client hints."""

    name = "put_device"

    def __init__(self, cache_size: int = 10_000) -> None:
        self.parse = functools.lru_cache(maxsize=max(cache_size, 1))(parse_device)
        # why: device-detector compiles its regexes lazily; the first parse costs ~1.4 s
        self.parse(_WARM_UA, None)
        self.parse.cache_clear()

    def __call__(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Enriches `hit` in place; never drops (drop_bot decides)."""
        try:
            hints = Hints(hit.client_hints) if hit.client_hints else None
            d = self.parse(hit.user_agent, hints)
        except Exception:  # a parser bug on hostile input must not stop the pipeline
            d = Device(None, "", None, "", "", None, None, "", False)
        (
            hit.operating_system,
            hit.operating_system_version,
            hit.browser_name,
            hit.browser_version,
            hit.browser_engine,
            hit.device_type,
            hit.device_brand,
            hit.device_model,
            hit.is_bot,
        ) = d
        hit.browser_language = _browser_language(hit.accept_language)
        return None
