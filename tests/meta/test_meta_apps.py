"""Apps: create, list, get, update; defaults, aliases, validation, audit entries."""

from __future__ import annotations

import uuid

import pytest

from footfall.meta import services
from footfall.meta.errors import Conflict, NotFound, ValidationError
from footfall.meta.store import MetaStore


def test_create_with_defaults(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["https://shop.example"])
    assert uuid.UUID(app.id)
    assert (app.alias, app.timezone, app.currency, app.app_type) == (1, "UTC", "USD", "web")
    assert app.urls == ("https://shop.example",)
    assert app.created_at is not None and app.created_at.tzinfo is not None


def test_aliases_increment_and_are_not_reused(meta: MetaStore) -> None:
    first = services.create_app(meta, name="A", urls=["a.example"])
    second = services.create_app(meta, name="B", urls=["b.example"], timezone="Europe/Warsaw")
    assert (first.alias, second.alias) == (1, 2)
    assert [a.alias for a in services.list_apps(meta)] == [1, 2]
    with meta.begin() as conn:  # deleting the newest app must not free its alias
        conn.exec_driver_sql("DELETE FROM apps WHERE id = ?", (second.id,))
    assert services.create_app(meta, name="C", urls=["c.example"]).alias == 3


def test_get_by_uuid_and_alias(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"], currency="eur")
    assert app.currency == "EUR"
    assert services.get_app(meta, app.id) == app
    assert services.get_app(meta, app.id.upper()) == app
    assert services.get_app(meta, "1") == app
    assert services.get_app(meta, 1) == app
    assert services.find_app(meta, "2") is None
    assert services.find_app(meta, "not-a-uuid") is None
    with pytest.raises(NotFound):
        services.get_app(meta, str(uuid.uuid4()))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"currency": "EURO"}, "currency"),
        ({"name": ""}, "name"),
        ({"name": "x" * 91}, "name"),
        ({"urls": []}, "urls"),
        ({"urls": ["has space.example"]}, "urls"),
        ({"urls": ["ftp://files.example"]}, "urls"),
        ({"app_type": "demo"}, "appType"),
        ({"attributes": {"delay": -1}}, "delay"),
        ({"attributes": {"nope": 1}}, "nope"),
        ({"attributes": {"excludedIps": ["not an ip"]}}, "excluded_ips"),
    ],
)
def test_validation(meta: MetaStore, kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"name": "Shop", "urls": ["shop.example"], **kwargs}
    with pytest.raises(ValidationError) as caught:
        services.create_app(meta, **values)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert services.list_apps(meta) == []


def test_name_of_90_characters_and_explicit_id(meta: MetaStore) -> None:
    wanted = str(uuid.uuid4())
    app = services.create_app(meta, name="x" * 90, urls=["x.example"], app_id=wanted)
    assert app.id == wanted
    with pytest.raises(Conflict):
        services.create_app(meta, name="again", urls=["x.example"], app_id=wanted)


def test_shared_attributes_go_to_tracker_settings(meta: MetaStore) -> None:
    app = services.create_app(
        meta,
        name="Shop",
        urls=["shop.example"],
        attributes={"excludedIps": ["10.0.0.0/8"], "gdpr": False},
    )
    assert app.attributes == {"gdpr": False}
    assert services.get_tracker_settings(meta, app.id)["excluded_ips"] == ["10.0.0.0/8"]


def test_update_app(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    changed = services.update_app(
        meta, app.id, {"name": "Store", "timezone": "Asia/Tokyo", "attributes": {"delay": 100}}
    )
    assert (changed.name, changed.timezone, changed.attributes) == (
        "Store",
        "Asia/Tokyo",
        {"delay": 100},
    )
    with pytest.raises(ValidationError):
        services.update_app(meta, app.id, {"alias": 7})


def test_audit_log_records_changes(meta: MetaStore) -> None:
    app = services.create_app(
        meta, name="Shop", urls=["shop.example"], actor=services.Actor("u1", "a@b.c", "10.0.0.1")
    )
    entry = services.list_audit_entries(meta, type_="app.added")[0]
    assert (entry.subject_id, entry.author_email, entry.ip) == (app.id, "a@b.c", "10.0.0.1")
    assert entry.payload == {"name": "Shop", "urls": ["shop.example"]}
    services.update_app(meta, app.id, {"urls": ["shop.example", "b.example"], "name": "Shop"})
    changed = services.list_audit_entries(meta, type_="app.changed.urls")[0]
    assert changed.payload == {"old": ["shop.example"], "new": ["shop.example", "b.example"]}
    assert services.list_audit_entries(meta, type_="app.changed.name") == []  # unchanged value
