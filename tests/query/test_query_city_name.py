"""A city condition with a name (the Pirsch filter) compares the stored city name, bound."""

from __future__ import annotations

from datetime import datetime

from footfall.query.compile import Compiler
from footfall.query.dialects import DuckDBDialect
from footfall.query.model import ColumnRef, Condition, FilterGroup, Period, Query

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"


def _compiled(value: object) -> tuple[str, tuple[object, ...]]:
    city = ColumnRef("location_city_name")
    query = Query(
        website_ids=(WEBSITE,),
        period=Period(datetime(2026, 11, 1), datetime(2026, 11, 2), "UTC"),
        columns=(ColumnRef("sessions"),),
        filters=FilterGroup("and", (Condition(city, "eq", value),)),
    )
    compiled = Compiler(DuckDBDialect()).compile(query)
    return compiled.sql, compiled.params


def test_a_city_name_compares_the_name_and_an_id_the_geoname_id() -> None:
    by_name, params = _compiled("London")
    assert 's."location_city_name" = ' in by_name and "London" in params
    assert "London" not in by_name
    by_id, params = _compiled(2643743)
    assert 's."location_city_geoname_id" = ' in by_id and 2643743 in params
