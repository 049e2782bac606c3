"""The JavaScript tracker's size and its cost per tracking call in Chromium.

Prints the size of the built ppms.js (plain, gzip -9, brotli -11) and the milliseconds the page
spends per `trackPageView` / `trackEvent` / `trackLink` call (building the query, reading and
writing the cookies; the network is stubbed out), and writes them into BENCHMARKS.md.
Usage: `.venv/bin/python bench/tracker.py [--calls N]`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import time
from pathlib import Path

from benchmarks_md import put_section

from footfall.web.tracker_script import STATIC_DIR

ROOT = Path(__file__).resolve().parents[1]
PAGE = """<!doctype html><html><head><title>Bench</title><script>
window.fetch = function () { return Promise.resolve(); };
navigator.sendBeacon = function () { return true; };
var _paq = window._paq = [["setTrackerUrl", "http://tracker.test/ppms.php"], ["setSiteId", "1"]];
</script><script src="/ppms.js"></script></head><body></body></html>"""
CALLS = {
    "trackPageView": "t.trackPageView('Page ' + i)",
    "trackEvent": "t.trackEvent('video', 'play', 'intro ' + i, i)",
    "trackLink": "t.trackLink('https://example.org/file' + i + '.pdf', 'download')",
}


def sizes() -> dict[str, int]:
    script = (STATIC_DIR / "ppms.js").read_bytes()
    return {
        "plain": len(script),
        "gzip": len(gzip.compress(script, compresslevel=9)),
        "brotli": len((STATIC_DIR / "ppms.js.br").read_bytes()),
    }


def per_call_ms(calls: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    script = (STATIC_DIR / "ppms.js").read_text()
    out: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.route("http://shop.test/", lambda r: r.fulfill(body=PAGE, content_type="text/html"))
        page.route(
            "http://shop.test/ppms.js",
            lambda r: r.fulfill(body=script, content_type="text/javascript"),
        )
        page.goto("http://shop.test/")
        page.wait_for_function("() => window.Piwik !== undefined")
        for name, call in CALLS.items():
            ms = page.evaluate(
                f"""() => {{
                var t = Piwik.getAsyncTracker(), start = performance.now();
                for (var i = 0; i < {calls}; i++) {{ {call}; }}
                return (performance.now() - start) / {calls};
            }}"""
            )
            out[name] = round(float(ms), 4)
        browser.close()
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}"


def write_section(result: dict[str, object]) -> None:
    s = result["sizes"]
    c = result["per_call_ms"]
    assert isinstance(s, dict) and isinstance(c, dict)
    section = f"""<!-- tracker:start -->
## JavaScript tracker (`bench/tracker.py`)

Run on {result["date"]}: {result["machine"]}, shared with other work at the time; headless
Debian Chromium driven by Playwright, network stubbed out ({result["calls"]} calls each).

| figure | result | budget |
|---|---|---|
| ppms.js minified | {s["plain"]:,} B | |
| ppms.js gzip -9 (what `make test` checks) | {s["gzip"]:,} B | ≤ 12,288 B (Matomo's full tracker: ~23 KB) |
| ppms.js brotli -11 (served to browsers that accept br) | {s["brotli"]:,} B | |
| `trackPageView` per call | {c["trackPageView"]} ms | |
| `trackEvent` per call | {c["trackEvent"]} ms | |
| `trackLink` per call (beacon) | {c["trackLink"]} ms | |

Raw results: `{json.dumps(result, sort_keys=True)}`
<!-- tracker:end -->"""
    put_section("tracker", section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "calls": args.calls,
        "sizes": sizes(),
        "per_call_ms": per_call_ms(args.calls),
    }
    print(json.dumps(result, indent=2))
    write_section(result)


if __name__ == "__main__":
    main()
