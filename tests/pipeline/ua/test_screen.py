"""Screens and candidate lists skip only regexes that cannot match, on real and odd user agents."""

from __future__ import annotations

import random

import pytest
import regex

from footfall.pipeline.steps.put_device import parse_device
from footfall.pipeline.ua import candidates, screen
from footfall.pipeline.ua.corpus import fixture_corpus

ODD = [
    "",
    "\u212a",  # Kelvin sign: case-folds onto ASCII "k"
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) \u017famsung",  # long s folds onto "s"
    "SAMSUNG SM-G928F",
    "samsung sm-g928f",
    "Mozilla/5.0 (Linux; Android 13; \uff33\uff2d-S918B)",
    "\x00\n\t",
]


@pytest.fixture(scope="module")
def uas() -> list[str]:
    screen.install()
    corpus = [ua for ua, _ in fixture_corpus()]
    return random.Random(11).sample(corpus, 250) + ODD


def test_installed_on_the_pinned_version() -> None:
    assert screen.install() and screen.installed()
    assert len(screen.screened_regexes()) > 20_000
    with pytest.raises(RuntimeError):
        screen.disable()


def test_screened_search_equals_the_regex(uas: list[str]) -> None:
    rxs = random.Random(5).sample(screen.screened_regexes(), 300)
    skipped = 0
    for rx in rxs:
        plain = regex.compile(rx.pattern, rx.flags)
        for ua in uas:
            got, want = rx.search(ua), plain.search(ua)
            assert (got and got.span()) == (want and want.span()), (rx.pattern, ua)
            skipped += want is None
    assert skipped > 0.9 * len(rxs) * len(uas)  # the screens are exercised, not vacuous


def test_candidate_lists_keep_every_matching_entry_in_order(uas: list[str]) -> None:
    for ua in uas[:120]:
        parse_device(ua, None)  # builds the indexes of every list the parsers walk
    assert len(candidates._indexes) >= 8
    for index in candidates._indexes.values():
        entries = index._entries
        for ua in uas[:120]:
            got = index.candidates(ua)
            matching = [e for e in entries if e["regex"].search(ua)]
            assert [e for e in got if e in matching] == matching, ua
            positions = [entries.index(e) for e in got]
            assert positions == sorted(positions)


def test_non_ascii_text_takes_the_full_list() -> None:
    index = next(iter(candidates._indexes.values()))
    assert index.candidates("Kelvin \u212a") is index._entries
