"""put_device and drop_bot: real user agents, client hints, language, cache."""

from __future__ import annotations

import threading
import time

import pytest

from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.steps import PutDevice
from footfall.pipeline.steps import put_device as put_device_module
from footfall.pipeline.steps.drop_bot import drop_bot
from footfall.pipeline.steps.put_device import browser_language

from .conftest import make_hit

APP = AppSettings(website_id="w")
WIN_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
SAMSUNG = "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"
IPAD = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

# ua → (os, os version, browser, engine, device type, brand, model)
CASES = [
    (WIN_CHROME, ("WIN", "10", "CH", "120.0.0.0", "Blink", 0, None, "")),
    (IPHONE, ("IOS", "17.1", "MF", "17.1", "WebKit", 1, "AP", "iPhone")),
    (SAMSUNG, ("AND", "13", "SB", "23.0", "Blink", 1, "SA", "Galaxy S23 Ultra")),
    (IPAD, ("IPA", "16.6", "MF", "16.6", "WebKit", 2, "AP", "iPad")),
    (FIREFOX, ("UBT", "", "FF", "121.0", "Gecko", 0, None, "")),
]


@pytest.mark.parametrize(("ua", "expected"), CASES)
def test_real_user_agents(put_device: PutDevice, ua: str, expected: tuple[object, ...]) -> None:
    hit = make_hit(user_agent=ua)
    assert put_device(hit, APP) is None
    got = (
        hit.operating_system,
        hit.operating_system_version,
        hit.browser_name,
        hit.browser_version,
        hit.browser_engine,
        hit.device_type,
        hit.device_brand,
        hit.device_model,
    )
    assert got == expected
    assert not hit.is_bot


def test_bot_is_flagged_and_dropped(put_device: PutDevice) -> None:
    hit = make_hit(user_agent=BOT)
    put_device(hit, APP)
    assert hit.is_bot and hit.browser_name is None
    assert drop_bot(hit, APP) == Reason.BOT
    hit.track_bots = True
    assert drop_bot(hit, APP) is None
    hit.track_bots = False
    assert drop_bot(hit, AppSettings(website_id="w", keep_bots=True)) is None


def test_non_browser_client_has_no_browser_code(put_device: PutDevice) -> None:
    hit = make_hit(user_agent="curl/8.1")
    put_device(hit, APP)
    assert hit.browser_name is None and hit.browser_engine == "" and not hit.is_bot


def test_client_hints_are_part_of_the_key(put_device: PutDevice) -> None:
    ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
    plain, hinted = make_hit(user_agent=ua), make_hit(user_agent=ua)
    hinted.client_hints = {"model": "Pixel 7", "platform": "Android", "platformVersion": "14.0.0"}
    put_device(plain, APP)
    put_device(hinted, APP)
    assert hinted.device_model == "Pixel 7" and plain.device_model != "Pixel 7"
    assert hinted.operating_system_version == "14.0.0"


def test_cache_hit_path_is_fast(put_device: PutDevice) -> None:
    put_device(make_hit(user_agent=IPHONE), APP)
    before = put_device.parse.cache_info().hits
    start = time.perf_counter()
    for _ in range(1000):
        put_device(make_hit(user_agent=IPHONE), APP)
    per_hit = (time.perf_counter() - start) / 1000
    assert put_device.parse.cache_info().hits == before + 1000
    assert per_hit < 0.001


def test_warm_up_runs_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = put_device_module.parse_device

    def recording(ua: str, hints: put_device_module.Hints | None) -> put_device_module.Device:
        threads.append(threading.current_thread().name)
        return real(ua, hints)

    monkeypatch.setattr(put_device_module, "parse_device", recording)
    done = put_device_module.warm_up.__wrapped__()  # a fresh warm-up (the cached one ran long ago)
    assert done.wait(120)
    assert "put_device-warm-up" in threads
    assert threading.current_thread().name not in threads  # the caller parsed nothing itself
    assert PutDevice(10).warmed is put_device_module.warm_up()  # one warm-up per process


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("de", "de"),
        ("PT_br", "pt"),
        ("zh-Hant-TW,zh;q=0.8", "zh"),
        ("*", None),
        ("xx-YY", None),
        ("fil-PH", None),
        ("", None),
    ],
)
def test_browser_language(header: str, expected: str | None) -> None:
    assert browser_language(header) == expected
