"""parse_device with the screens gives exactly the plain device-detector's answer.

The golden file holds the plain library's parse of every user agent of device-detector's
fixtures (written by `bench/ua.py --write-golden`, with the screens off). CI checks a fixed
slice of it plus every row with client hints; `bench/ua.py --verify` checks all of it.
"""

from __future__ import annotations

import gzip
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.pipeline.steps.put_device import Hints, parse_device
from footfall.pipeline.ua import screen
from footfall.pipeline.ua.corpus import fixture_corpus

GOLDEN = Path(__file__).parent / "data" / f"golden-{metadata.version('device_detector')}.json.gz"
#: one row in STRIDE (plus all client-hint rows) keeps CI at ~10 s; `bench/ua.py --verify` does all
STRIDE = 6


def _parse(ua: str, headers: dict[str, Any] | None) -> list[Any]:
    try:
        return list(parse_device(ua, Hints(headers) if headers else None))
    except Exception as error:  # the pipeline step turns these into an empty Device
        return ["error", type(error).__name__]


@pytest.fixture(scope="module")
def golden() -> list[list[Any]]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as text:
        document = json.load(text)
    assert document["device_detector"] == screen.PINNED_VERSION
    rows: list[list[Any]] = document["rows"]
    return rows


def test_golden_covers_the_corpus(golden: list[list[Any]]) -> None:
    corpus = fixture_corpus()
    assert len(golden) == len(corpus) > 30_000
    assert [(ua, h) for ua, h, _ in golden[::997]] == corpus[::997]


def test_same_devices_as_the_plain_library(golden: list[list[Any]]) -> None:
    assert screen.install()
    rows = [row for i, row in enumerate(golden) if i % STRIDE == 0 or row[1]]
    wrong = [
        (ua, headers, want, got)
        for ua, headers, want in rows
        if (got := _parse(ua, headers)) != want
    ]
    assert not wrong, wrong[:5]
    assert len(rows) > 6_000


def _corpus_uas() -> list[str]:
    return [ua for ua, _ in fixture_corpus()[::50]]


def _mutated(draw: st.DrawFn) -> str:
    ua = draw(st.sampled_from(_CORPUS))
    cut = draw(st.integers(0, len(ua)))
    insert = draw(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(_TOKENS)
    )
    return ua[:cut] + insert + ua[cut:] if draw(st.booleans()) else (ua[:cut] + insert).swapcase()


_CORPUS = _corpus_uas()
_TOKENS = [
    "SM-G928F",
    "Android 14; ",
    "Build/",
    " Mobile",
    "Tizen",
    "CrKey",
    "Xbox",
    "bot",
    "iPhone",
    "\u212a",
    "\u017f",
]
UAS = st.composite(_mutated)() | st.text(max_size=80) | st.sampled_from(_CORPUS)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(UAS)
def test_random_strings_parse_as_without_screens(ua: str) -> None:
    assert screen.install()
    got = _parse(ua, None)
    with screen.unscreened():
        want = _parse(ua, None)
    assert got == want
