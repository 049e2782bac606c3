"""put_custom_dimensions: extractions fill event-scope dimensions the request left empty."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.model.settings import AppSettings, Extraction
from footfall.pipeline.steps.put_custom_dimensions import MAX_VALUE, extract, put_custom_dimensions

from .conftest import make_hit


def _app(*rules: Extraction) -> AppSettings:
    return AppSettings(
        website_id="w",
        custom_dimensions={rule.tracking_id: ("event", rule.slot) for rule in rules},
        custom_dimension_extractions=rules,
    )


@pytest.mark.parametrize(
    ("rule", "url", "title", "expected"),
    [
        (
            Extraction(3, 1, "page_url_regex", r"/products/(\w+)"),
            "https://s.com/products/lamp?x=1",
            "",
            "lamp",
        ),
        (
            Extraction(3, 1, "page_url_regex", r"/Products/(\w+)"),
            "https://s.com/products/lamp",
            "",
            "lamp",
        ),
        (
            Extraction(3, 1, "page_url_regex", r"/Products/(\w+)", True),
            "https://s.com/products/lamp",
            "",
            "",
        ),
        (
            Extraction(3, 1, "page_title_regex", r"^(.+) \| Shop$"),
            "https://s.com/",
            "Lamps | Shop",
            "Lamps",
        ),
        (Extraction(3, 1, "page_title_regex", r"^(.+) \| Shop$"), "https://s.com/", "Home", ""),
        (
            Extraction(3, 1, "page_query_parameter", "Cat"),
            "https://s.com/?cat=desk%20lamps",
            "",
            "desk lamps",
        ),
        (Extraction(3, 1, "page_query_parameter", "Cat", True), "https://s.com/?cat=a", "", ""),
        (
            Extraction(3, 1, "page_query_parameter", "Cat", True),
            "https://s.com/?Cat=a+b&Cat=c",
            "",
            "c",
        ),
        (Extraction(3, 1, "page_query_parameter", "cat"), "https://s.com/#?cat=a", "", ""),
        (Extraction(3, 1, "page_url_regex", r"/(x)?y"), "https://s.com/y", "", ""),
    ],
)
def test_extract(rule: Extraction, url: str, title: str, expected: str) -> None:
    assert extract(rule, url, title) == expected


def test_first_rule_with_a_value_wins_and_sent_values_stay() -> None:
    app = _app(
        Extraction(1, 1, "page_query_parameter", "missing"),
        Extraction(1, 1, "page_url_regex", r"/a/(\w+)"),
        Extraction(1, 1, "page_title_regex", r"(.*)"),
        Extraction(2, 2, "page_url_regex", r"/a/(\w+)"),
    )
    hit = make_hit(url="https://s.com/a/first", action_name="title")
    hit.dimensions[2] = "sent"
    assert put_custom_dimensions(hit, app) is None
    assert hit.dimensions == {1: "first", 2: "sent"}


def test_an_empty_sent_value_is_filled_and_values_are_cut() -> None:
    app = _app(Extraction(1, 1, "page_query_parameter", "q"))
    hit = make_hit(url="https://s.com/?q=" + "v" * 300)
    hit.dimensions[1] = ""
    put_custom_dimensions(hit, app)
    assert hit.dimensions[1] == "v" * MAX_VALUE


def test_no_rules_no_change() -> None:
    hit = make_hit(url="https://s.com/?q=1")
    put_custom_dimensions(hit, AppSettings(website_id="w"))
    assert hit.dimensions == {}


@given(pattern=st.text(max_size=20), url=st.text(max_size=60), sensitive=st.booleans())
def test_query_parameter_never_raises(pattern: str, url: str, sensitive: bool) -> None:
    value = extract(Extraction(1, 1, "page_query_parameter", pattern, sensitive), "?" + url, "")
    assert isinstance(value, str)
