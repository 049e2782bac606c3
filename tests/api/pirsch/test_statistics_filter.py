"""The statistics filter parser: value semantics, defaults, and no input that escapes a 4xx."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.api.pirsch.errors import PirschError
from footfall.api.pirsch.filter import PATH, Filter, parse, period_of
from footfall.query.model import ColumnRef, Condition, FilterGroup

DOMAIN = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
BASE = {"id": [DOMAIN], "from": ["2026-11-02"], "to": ["2026-11-04"]}


def _parse(**params: str | list[str]) -> Filter:
    raw = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse({**BASE, **raw}, lambda domain: "Europe/Warsaw" if domain == DOMAIN else None)


def test_defaults_and_empty_values_are_unset() -> None:
    f = _parse(path="", limit="0", offset="0", scale="", tz="", sort="", direction="", search="")
    assert (f.scale, f.limit, f.offset, f.direction, f.conditions) == ("day", 100, 0, "desc", ())
    assert f.period.timezone == "Europe/Warsaw"
    assert f.period.start == datetime(2026, 11, 1, 23)  # midnight in Warsaw, naive UTC
    assert _parse(limit="500").limit == 100


def test_value_semantics() -> None:
    (group,) = _parse(path=["/a", "/b", "!/c", "~blog", "^tmp", "null"]).conditions
    assert isinstance(group, FilterGroup) and group.operator == "and"
    negative = [c for c in group.conditions if isinstance(c, Condition)]
    assert negative == [
        Condition(PATH, "neq", "/c"),
        Condition(PATH, "not_icontains", "tmp"),
    ]
    positive = group.conditions[-1]
    assert isinstance(positive, FilterGroup) and positive.operator == "or"
    assert positive.conditions == (
        Condition(PATH, "eq", "/a"),
        Condition(PATH, "eq", "/b"),
        Condition(PATH, "icontains", "blog"),
        Condition(PATH, "empty", None),
    )


def test_labels_become_stored_codes() -> None:
    (os_group,) = _parse(os="Windows").conditions
    assert isinstance(os_group, FilterGroup)
    assert os_group.conditions[-1] == FilterGroup(
        "or", (Condition(ColumnRef("operating_system"), "eq", "WIN"),)
    )
    (country,) = _parse(country="jp").conditions
    assert isinstance(country, FilterGroup)
    assert country.conditions[-1] == FilterGroup(
        "or", (Condition(ColumnRef("location_country_name"), "eq", "JP"),)
    )


def test_iso_datetimes_take_their_date_and_start_is_a_window() -> None:
    f = _parse(**{"from": "2026-11-02T00:00:00.000Z", "to": "2026-11-04T00:00:00.000Z"})
    assert f.period == _parse().period
    now = datetime(2026, 11, 3, 12)
    period, live = period_of({"start": ["600"]}, "UTC", now)
    assert live and (period.end - period.start).total_seconds() == 601


def test_unknown_domain_is_404() -> None:
    with pytest.raises(PirschError) as e:
        parse({**BASE, "id": ["7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88"]}, lambda _: None)
    assert e.value.status == 404


_KEYS = st.sampled_from(
    [
        "id",
        "from",
        "to",
        "start",
        "scale",
        "tz",
        "path",
        "pattern",
        "event",
        "meta_plan",
        "tag_author",
        "tag",
        "country",
        "city",
        "os",
        "browser",
        "platform",
        "screen_class",
        "channel",
        "utm_source",
        "limit",
        "offset",
        "sort",
        "direction",
        "search",
        "include_avg_time_on_page",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, st.lists(st.text(max_size=30), min_size=1, max_size=3)))
def test_any_query_string_parses_or_is_a_named_4xx(params: dict[str, list[str]]) -> None:
    merged = {**BASE, **params}
    try:
        f = parse(merged, lambda domain: "UTC" if domain == DOMAIN else None)
    except PirschError as e:
        assert e.status in (400, 404)
        assert e.status == 404 or len(e.validation) == 1
        return
    assert 1 <= f.limit <= 100 and f.offset >= 0
    assert f.period.start < f.period.end


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": ["²"]}, "limit"),
        ({"from": ["２０２６-11-02"]}, "from"),
        ({"tz": ["\x00"]}, "tz"),
        ({"pattern": ["\\"]}, "pattern"),
        ({"start": ["99999999999999999"]}, "start"),
        ({"include_avg_time_on_page": ["maybe"]}, "include_avg_time_on_page"),
    ],
)
def test_odd_values_are_named_400s(params: dict[str, list[str]], field: str) -> None:
    with pytest.raises(PirschError) as e:
        parse({**BASE, **params}, lambda _: "UTC")
    assert (e.value.status, list(e.value.validation)) == (400, [field])
