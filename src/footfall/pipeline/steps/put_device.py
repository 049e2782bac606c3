"""put_device: browser, OS, device and bot flag from device-detector, behind caches (DATA-MODEL §1.4).

device-detector runs with Footfall's screens (`pipeline/ua/`): the same regexes in the same
order, minus those that cannot match, so a parse gives the library's exact answer at a
fraction of the cost. In front of it sit an LRU cache and, with a data dir, the parsed-UA file
that survives restarts. The library's cold start (loading 21,000 regexes) runs in a background
thread, so building the step never waits for it.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import logging
import threading
import warnings
from importlib import metadata, resources
from pathlib import Path
from typing import Any, NamedTuple

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.ua import screen
from footfall.pipeline.ua.cache import ParsedFile

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
#: parsed once in the background at start: loads the regex lists and compiles the common paths
_WARM_UAS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
)
_log = logging.getLogger(__name__)


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
    screen.ensure()
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

    def __init__(self, cache_size: int = 10_000, cache_file: Path | None = None) -> None:
        self.file = ParsedFile(cache_file, _namespace()) if cache_file is not None else None
        if self.file is not None:
            atexit.register(self.file.close)  # why: the last batch of parses outlives a clean exit
        self.parse = functools.lru_cache(maxsize=max(cache_size, 1))(self._parse)
        #: set once the background warm-up has loaded device-detector (tests and benchmarks wait on it)
        self.warmed = warm_up()

    def _parse(self, ua: str, hints: Hints | None) -> Device:
        """parse_device, through the parsed-UA file when there is one."""
        if self.file is None:
            return parse_device(ua, hints)
        key = json.dumps([ua, hints.key if hints is not None else None])
        stored = self.file.get(key)
        if stored is not None:
            return Device(*stored)
        device = parse_device(ua, hints)
        self.file.put(key, device)
        return device

    def flush(self) -> None:
        """Writes queued parses to the parsed-UA file."""
        if self.file is not None:
            self.file.flush()

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


@functools.cache
def warm_up() -> threading.Event:
    """Loads device-detector in a background thread, once per process; the Event is set when done.

    why: the library's cold start (regex lists, first compilations) takes ~1 s; started early
    (the app factory calls this first thing), it overlaps the server's own start-up, so the
    first hits find the parser ready instead of waiting for it.
    """
    done = threading.Event()

    def run() -> None:
        try:
            for ua in _WARM_UAS:
                parse_device(ua, None)
        except Exception:  # a warm-up failure only leaves the cost to the first hits
            _log.exception("device-detector warm-up failed")
        finally:
            done.set()

    threading.Thread(target=run, name="put_device-warm-up", daemon=True).start()
    return done


@functools.cache
def _namespace() -> str:
    """Parsed-UA file namespace: the device-detector version and a digest of this module's code."""
    source = Path(__file__).read_bytes()
    return f"{metadata.version('device_detector')}-{hashlib.sha256(source).hexdigest()[:16]}"
