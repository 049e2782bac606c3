"""The administration forms: every tracker setting has a control, form text becomes the values the
platform API would send, and no posted text makes anything but a ValidationError."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.meta.attributes import TRACKER_ATTRIBUTES, tracker_defaults
from footfall.meta.errors import ValidationError
from footfall.web.forms import SECTIONS, app_values, as_text, tracker_changes

FIELDS = [field for _, fields in SECTIONS for field in fields]


def form_of(values: dict[str, object]) -> dict[str, str]:
    """What a browser posts for these settings (an unchecked box is left out)."""
    form: dict[str, str] = {}
    for field in FIELDS:
        value = values[field.name]
        if field.attribute.kind == "bool":
            if value:
                form[field.name] = "on"
        else:
            form[field.name] = as_text(value)
    return form


def test_every_tracker_setting_is_on_the_page_once() -> None:
    names = [field.name for field in FIELDS]
    assert sorted(names) == sorted(TRACKER_ATTRIBUTES)
    assert len(set(names)) == len(names)
    assert all(field.label for field in FIELDS)


def test_an_untouched_form_changes_nothing() -> None:
    defaults = tracker_defaults()
    assert tracker_changes(form_of(defaults), defaults) == {}


def test_changes_are_typed_like_the_api() -> None:
    current = tracker_defaults()
    form = form_of(current)
    form["session_timeout_seconds"] = " 900 "
    form["excluded_ips"] = "10.0.0.1\r\n\n  192.168.0.0/16 \n"
    del form["exclude_crawlers"]
    form["anonymize_visitor_geolocation_level"] = "Country"
    assert tracker_changes(form, current) == {
        "session_timeout_seconds": 900,
        "excluded_ips": ["10.0.0.1", "192.168.0.0/16"],
        "exclude_crawlers": False,
        "anonymize_visitor_geolocation_level": "Country",
    }


@pytest.mark.parametrize("raw", ["", "12.5", "nine", "1e3", "٣"])
def test_a_number_field_names_itself(raw: str) -> None:
    form = form_of(tracker_defaults())
    form["session_max_event_count"] = raw
    with pytest.raises(ValidationError) as caught:
        tracker_changes(form, tracker_defaults())
    assert caught.value.field == "session_max_event_count"


@given(st.dictionaries(st.sampled_from([f.name for f in FIELDS]), st.text(max_size=40)))
def test_any_posted_text_is_values_or_a_named_error(posted: dict[str, str]) -> None:
    form = {**form_of(tracker_defaults()), **posted}
    try:
        changes = tracker_changes(form, tracker_defaults())
    except ValidationError as e:
        assert TRACKER_ATTRIBUTES[e.field].kind == "int"
        return
    for name, value in changes.items():
        kind = TRACKER_ATTRIBUTES[name].kind
        expected = {"bool": bool, "int": int, "str": str, "list": list}[kind]
        assert isinstance(value, expected)
        if kind == "list":
            assert all(item and item == item.strip() for item in value)


@given(st.text(max_size=200))
def test_app_urls_are_one_a_line(text: str) -> None:
    urls = app_values({"urls": text})["urls"]
    assert urls == [line.strip() for line in text.splitlines() if line.strip()]
    assert not any(re.search(r"[\r\n]", url) for url in urls)
