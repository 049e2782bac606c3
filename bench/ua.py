"""User-agent parsing cost per unseen UA: the plain device-detector against Footfall's screened one.

Corpus: the user agents of device-detector's own test fixtures (~38,500: browsers, apps, bots,
TVs, consoles, cars, client hints). Each mode runs in a fresh interpreter, so the cold first
parse is really cold. Prints per-UA median, p90, p99 and mean over a seeded sample of distinct
UAs, and the cold first parse.
Usage: `.venv/bin/python bench/ua.py [--sample N] [--seed S]`;
`--verify` parses the whole corpus and compares with the golden file (see tests/pipeline/ua);
`--write-golden PATH` writes that file with the plain library;
`--write-literals` rewrites `footfall/data/ua_literals.json.gz`;
`--start` times a fresh pipeline step: construction, first hits, warm-up, the parsed-UA file;
`--fresh N` starts `footfall serve` N times and times its first hit from acknowledgment to commit.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import statistics
import subprocess
import sys
import time
from importlib import metadata, resources
from pathlib import Path
from typing import Any

WIN_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "pipeline" / "ua" / "data"


def main() -> None:
    args = _arguments()
    if args.start_child:
        print(json.dumps(_start_child(Path(args.start_child), args.sample, args.seed)))
    elif args.child:
        print(json.dumps(_child(args.child, args.sample, args.seed)))
    elif args.write_golden:
        _write_golden(Path(args.write_golden))
    elif args.write_literals:
        _write_literals()
    elif args.verify:
        _verify()
    elif args.start:
        _start()
    elif args.fresh:
        _fresh(args.fresh)
    else:
        for mode in ("plain", "screened"):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    mode,
                    "--sample",
                    str(args.sample),
                    "--seed",
                    str(args.seed),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            _report(mode, json.loads(out.stdout))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=1000, help="distinct UAs timed per mode")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=["plain", "screened"], help=argparse.SUPPRESS)
    parser.add_argument("--write-golden", metavar="PATH")
    parser.add_argument("--write-literals", action="store_true")
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--start", action="store_true")
    parser.add_argument("--fresh", type=int, metavar="N")
    parser.add_argument("--start-child", metavar="FILE", help=argparse.SUPPRESS)
    return parser.parse_args()


def _child(mode: str, size: int, seed: int) -> dict[str, Any]:
    from footfall.pipeline.ua import screen

    if mode == "plain":
        screen.disable()
    from footfall.pipeline.steps.put_device import Hints, parse_device
    from footfall.pipeline.ua.corpus import fixture_corpus

    start = time.perf_counter()
    parse_device(WIN_CHROME, None)
    cold = time.perf_counter() - start
    corpus = fixture_corpus()
    sample = random.Random(seed).sample(corpus, size)
    times = []
    for ua, headers in sample:
        start = time.perf_counter()
        with contextlib.suppress(Exception):  # a few fixture UAs make device-detector raise
            parse_device(ua, Hints(headers) if headers else None)
        times.append(time.perf_counter() - start)
    return {"cold": cold, "times": times, "installed": screen.installed()}


def _report(mode: str, result: dict[str, Any]) -> None:
    times = sorted(result["times"])
    n = len(times)

    def ms(q: float) -> float:
        return times[min(n - 1, int(n * q))] * 1000

    half = sorted(result["times"][n // 2 :])
    print(
        f"{mode:9} cold first parse {result['cold'] * 1000:7.0f} ms | {n} unseen UAs: "
        f"median {ms(0.5):6.2f} ms  p90 {ms(0.9):6.2f}  p99 {ms(0.99):7.2f}  "
        f"mean {statistics.fmean(times) * 1000:6.2f} | second half median "
        f"{half[len(half) // 2] * 1000:6.2f} ms  (screens on: {result['installed']})"
    )


def _start() -> None:
    """Two fresh processes on one data dir: the first fills the parsed-UA file, the second reuses it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for run in ("first start", "restart"):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--start-child",
                    f"{tmp}/ua-cache.sqlite3",
                    "--sample",
                    "200",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            r = json.loads(out.stdout)
            print(
                f"{run:11}: PutDevice() {r['construct'] * 1000:5.1f} ms | first hit {r['first_hit'] * 1000:6.0f} ms"
                f" | warm-up done after {r['warmed'] * 1000:5.0f} ms | {r['n']} distinct UAs"
                f" {r['batch'] * 1000:6.0f} ms ({r['batch'] / r['n'] * 1000:.2f} ms/UA)"
            )


def _start_child(file: Path, size: int, seed: int) -> dict[str, Any]:
    from footfall.model.hit import Hit
    from footfall.model.settings import AppSettings
    from footfall.pipeline.steps.put_device import PutDevice
    from footfall.pipeline.ua.corpus import fixture_corpus

    app = AppSettings(website_id="w")

    def hit(ua: str) -> Hit:
        return Hit(
            website_id="w",
            seq=1,
            received_at=0.0,
            timestamp=0.0,
            url="https://example.com/",
            user_agent=ua,
        )

    sample = [ua for ua, _ in random.Random(seed).sample(fixture_corpus(), size)]
    start = time.perf_counter()
    step = PutDevice(10_000, file)
    construct = time.perf_counter() - start
    step(hit(sample[0]), app)
    first_hit = time.perf_counter() - start
    step.warmed.wait()
    warmed = time.perf_counter() - start
    start = time.perf_counter()
    for ua in sample:
        step(hit(ua), app)
    batch = time.perf_counter() - start
    step.flush()
    return {
        "construct": construct,
        "first_hit": first_hit,
        "warmed": warmed,
        "batch": batch,
        "n": len(sample),
    }


def _fresh(runs: int) -> None:
    """The 1-second contract on a cold server: its first hit (an unseen UA) from ack to commit."""
    import tempfile

    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from e2e.conftest import provision
    from e2e.server import Server

    metric = 'footfall_pipeline_rows_total{table="events"}'
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            provisioned = provision(Path(tmp) / "data")
            server = Server(provisioned.data_dir, env={"FOOTFALL_FLUSH_INTERVAL_MS": "200"})
            start = time.monotonic()
            server.start()
            up = time.monotonic() - start
            try:
                before = server.metrics().get(metric, 0)
                params = {
                    "idsite": str(provisioned.app_alias),
                    "rec": "1",
                    "url": "https://shop.example.com/",
                }
                httpx.get(server.url + "/matomo.php", params=params)
                acked = time.monotonic()
                while server.metrics().get(metric, 0) <= before:
                    time.sleep(0.02)
                print(
                    f"healthy after {up:5.2f} s | first hit committed {time.monotonic() - acked:5.3f} s after the ack"
                )
            finally:
                server.stop()


def _golden_path() -> Path:
    return GOLDEN / f"golden-{metadata.version('device_detector')}.json.gz"


def _write_golden(path: Path) -> None:
    from footfall.pipeline.ua import screen

    screen.disable()
    from footfall.pipeline.steps.put_device import Hints, parse_device
    from footfall.pipeline.ua.corpus import fixture_corpus

    rows = []
    for ua, headers in fixture_corpus():
        try:
            got: list[Any] = list(parse_device(ua, Hints(headers) if headers else None))
        except Exception as error:  # the pipeline step turns these into an empty Device
            got = ["error", type(error).__name__]
        rows.append([ua, headers, got])
    document = {"device_detector": metadata.version("device_detector"), "rows": rows}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(document, out, separators=(",", ":"))
    print(f"{len(rows)} rows → {path}")


def _write_literals() -> None:
    from footfall.pipeline.ua import screen
    from footfall.pipeline.ua.table import TABLE_FILE, write_table

    screen.install()
    patterns = sorted({(rx.pattern, rx.flags) for rx in screen.screened_regexes()})
    path = Path(str(resources.files("footfall.data").joinpath(TABLE_FILE)))
    print(f"{write_table(path, patterns)} patterns → {path}")


def _verify() -> None:
    from footfall.pipeline.steps.put_device import Hints, parse_device

    with gzip.open(_golden_path(), "rt", encoding="utf-8") as text:
        rows = json.load(text)["rows"]
    start = time.perf_counter()
    wrong = 0
    for ua, headers, expected in rows:
        try:
            got: list[Any] = list(parse_device(ua, Hints(headers) if headers else None))
        except Exception as error:
            got = ["error", type(error).__name__]
        if got != expected:
            wrong += 1
            print("MISMATCH", ua, headers, expected, got)
    took = time.perf_counter() - start
    print(
        f"{len(rows)} UAs, {wrong} differ from the plain library, {took:.0f} s ({took / len(rows) * 1000:.2f} ms/UA)"
    )


if __name__ == "__main__":
    main()
