"""Custom dimensions, product custom dimensions and annotations in the metadata store."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from footfall.meta import annotations, custom_dimensions, product_dimensions, services
from footfall.meta.errors import NotFound, Refused, ValidationError
from footfall.meta.schema import custom_dimensions as dimension_rows
from footfall.meta.schema import product_custom_dimensions, user_annotations
from footfall.meta.store import MetaStore
from footfall.meta.tracker import effective_settings
from footfall.model.settings import Extraction

URL_RULE = {"target": "page_url_regex", "pattern": r"/p/(\d+)"}


def _values(**extra: object) -> dict[str, object]:
    return {"name": "D", "active": True, "case_sensitive": False, **extra}


def test_effective_settings_carry_active_dimensions_and_rules(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["https://a.example.com"])
    session = custom_dimensions.create_custom_dimension(meta, app.id, _values(scope="session"))
    event = custom_dimensions.create_custom_dimension(
        meta, app.id, _values(scope="event", extractions=[URL_RULE])
    )
    off = custom_dimensions.create_custom_dimension(
        meta, app.id, _values(scope="event", active=False, extractions=[URL_RULE])
    )
    assert (session.tracking_id, event.tracking_id, off.tracking_id) == (1, 2, 3)
    assert (event.slot, off.slot) == (1, 2)  # an inactive dimension keeps its slot
    settings = effective_settings(meta, app.id)
    assert settings is not None
    assert settings.custom_dimensions == {1: ("session", 1), 2: ("event", 1)}
    assert settings.custom_dimension_extractions == (
        Extraction(2, 1, "page_url_regex", r"/p/(\d+)"),
    )
    assert custom_dimensions.slot_usage(meta, app.id)["event"] == {
        "available": 5,
        "used": 2,
        "left": 3,
    }


def test_tracking_ids_and_slots_are_per_app(meta: MetaStore) -> None:
    a = services.create_app(meta, name="A", urls=["https://a.example.com"])
    b = services.create_app(meta, name="B", urls=["https://b.example.com"])
    custom_dimensions.create_custom_dimension(meta, a.id, _values(scope="event"))
    other = custom_dimensions.create_custom_dimension(meta, b.id, _values(scope="event"))
    assert (other.tracking_id, other.slot) == (1, 1)
    with pytest.raises(NotFound):
        custom_dimensions.get_custom_dimension(meta, a.id, other.id)
    with pytest.raises(ValidationError) as e:
        custom_dimensions.update_custom_dimension(meta, b.id, other.id, _values(slot=2))
    assert e.value.field == "slot"


def test_deleting_an_app_deletes_its_objects(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["https://a.example.com"])
    custom_dimensions.create_custom_dimension(meta, app.id, _values(scope="event"))
    product_dimensions.create_product_custom_dimension(meta, app.id, {"name": "P", "slot": 20})
    annotations.create_annotation(meta, app.id, {"date": "2026-01-02", "content": "x"})
    services.delete_app(meta, app.id)
    with meta.connect() as conn:
        for table in (dimension_rows, product_custom_dimensions, user_annotations):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_product_slots_are_bounded(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["https://a.example.com"])
    with pytest.raises(ValidationError) as e:
        product_dimensions.create_product_custom_dimension(meta, app.id, {"name": "P", "slot": 21})
    assert e.value.field == "slot"


def test_annotations_visibility_and_authorship(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["https://a.example.com"])
    alice = services.create_user(meta, "alice@example.com").user
    bob = services.create_user(meta, "bob@example.com").user
    note = annotations.create_annotation(
        meta,
        app.id,
        {"date": "2026-03-04", "content": "private"},
        actor=services.Actor(user_id=alice.id, email=alice.email),
    )
    assert note.date == date(2026, 3, 4) and note.visibility == "private"
    total, _ = annotations.list_annotations(meta, app.id, annotations.Reader(bob.id))
    assert total == 0
    total, _ = annotations.list_annotations(meta, app.id, annotations.Reader(bob.id, True))
    assert total == 1
    as_bob = annotations.Reader(bob.id)
    with pytest.raises(NotFound):
        annotations.delete_annotation(meta, app.id, note.id, as_bob)
    as_alice = annotations.Reader(alice.id)
    annotations.update_annotation(meta, app.id, note.id, {"visibility": "public"}, as_alice)
    assert annotations.get_annotation(meta, app.id, note.id, as_bob).content == "private"
    with pytest.raises(Refused):
        annotations.delete_annotation(meta, app.id, note.id, as_bob)
    annotations.delete_annotation(meta, app.id, note.id, as_alice)
    assert annotations.list_annotations(meta, app.id, as_alice)[0] == 0
