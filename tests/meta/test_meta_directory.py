"""MetaDirectory: resolve, settings and app_for_host from the store, live within the TTL."""

from __future__ import annotations

import threading

import pytest

from footfall.meta import services
from footfall.meta.directory import MetaDirectory, host_of
from footfall.meta.store import MetaStore


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_resolve_by_uuid_and_alias(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    directory = MetaDirectory(meta)
    assert directory.resolve(app.id) == app.id
    assert directory.resolve(app.id.upper()) == app.id
    assert directory.resolve(" 1 ") == app.id
    assert directory.resolve("2") is None
    assert directory.resolve("not-an-app") is None


def test_changes_are_seen_after_the_ttl(meta: MetaStore) -> None:
    clock = Clock()
    directory = MetaDirectory(meta, ttl=1.0, clock=clock)
    assert directory.resolve("1") is None
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    assert directory.resolve("1") is None  # cached for up to a second
    clock.now += 1.0
    assert directory.resolve("1") == app.id
    settings = directory.settings(app.id)
    assert settings is not None and settings.session_timeout_seconds == 1800
    services.set_tracker_settings(meta, "global", {"session_timeout_seconds": 300})
    clock.now += 0.5
    cached = directory.settings(app.id)
    assert cached is not None and cached.session_timeout_seconds == 1800
    clock.now += 0.5
    fresh = directory.settings(app.id)
    assert fresh is not None and fresh.session_timeout_seconds == 300
    services.set_tracker_settings(meta, app.id, {"session_timeout_seconds": 120})
    directory.invalidate()
    latest = directory.settings(app.id)
    assert latest is not None and latest.session_timeout_seconds == 120


def test_real_clock_sees_a_change_within_a_second(meta: MetaStore) -> None:
    directory = MetaDirectory(meta, ttl=0.05)
    assert directory.app_for_host("late.example") is None
    app = services.create_app(meta, name="Late", urls=["late.example"])
    threading.Event().wait(0.06)
    assert directory.app_for_host("late.example") == app.id


def test_unknown_app_settings(meta: MetaStore) -> None:
    assert MetaDirectory(meta).settings("00000000-0000-0000-0000-000000000000") is None


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("shop.example", "shop.example"),
        ("Shop.Example:8080", "shop.example"),
        ("https://www.shop.example/path?q=1", "shop.example"),
        ("http://user@www.Shop.example:443/", "shop.example"),
        ("www.shop.example/x", "shop.example"),
        ("", ""),
        ("http://[::1", ""),
    ],
)
def test_host_of(value: str, host: str) -> None:
    assert host_of(value) == host


def test_app_for_host(meta: MetaStore) -> None:
    shop = services.create_app(
        meta, name="Shop", urls=["https://www.shop.example", "shop.example:8080"]
    )
    blog = services.create_app(meta, name="Blog", urls=["blog.example"])
    services.create_app(meta, name="Shop again", urls=["shop.example"])  # later: never chosen
    directory = MetaDirectory(meta)
    assert directory.app_for_host("shop.example") == shop.id
    assert directory.app_for_host("www.shop.example") == shop.id
    assert directory.app_for_host("https://shop.example:8443/cart") == shop.id
    assert directory.app_for_host("http://www.blog.example/") == blog.id
    assert directory.app_for_host("BLOG.example") == blog.id
    assert directory.app_for_host("other.example") is None
    assert directory.app_for_host("") is None


def test_thread_safety(meta: MetaStore) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    directory = MetaDirectory(meta, ttl=0.0)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert directory.resolve("1") == app.id
                assert directory.settings(app.id) is not None
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
