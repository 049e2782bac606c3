"""A dashboard test world: a real `footfall serve` with the traffic of `traffic.py` in one app, a
second app, an owner and a viewer of the second app only, and a brute-force truth per slice.

The truth is computed from the requests alone (no store, no query model): visits are split by the
30-minute rule per visitor, a session belongs to the local day its first hit fell on, and a
page view is a request with `action_name`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from e2e.server import Server, events_env
from footfall.meta import services
from footfall.meta.store import MetaStore
from scenarios.traffic import BOT_UA, DESKTOP_UAS, generate

OWNER = ("owner@example.com", "Owner-Passw0rd-1")
VIEWER = ("viewer@example.com", "Viewer-Passw0rd-2")
TIMEZONE = "Europe/Warsaw"
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 5)


def device_class(ua: str) -> str:
    """The device type label device-detector gives the user agents of `traffic.py`."""
    if ua in DESKTOP_UAS:
        return "Desktop"
    return "Tablet" if "iPad" in ua else "Smartphone"


@dataclass(frozen=True)
class Slice:
    """Visitors, sessions and page views of a part of the traffic."""

    visitors: int
    sessions: int
    page_views: int


@dataclass
class World:
    """The running server, its apps and the traffic's requests."""

    server: Server
    shop: str  #: the app with traffic
    other: str  #: the app the viewer may view
    requests: list[dict[str, str]]

    @property
    def url(self) -> str:
        return self.server.url

    def _local_day(self, hit: dict[str, str]) -> date:
        moment = datetime.strptime(hit["cdt"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        return moment.astimezone(ZoneInfo(TIMEZONE)).date()

    def truth(
        self,
        keep: Callable[[dict[str, str]], bool] = lambda hit: True,
        first: date = FIRST,
        last: date = LAST,
    ) -> Slice:
        """Visitors, sessions and page views over [first, last] of the hits `keep` accepts."""
        by_visitor: dict[str, list[dict[str, str]]] = {}
        for hit in self.requests:
            if hit["ua"] == BOT_UA or not keep(hit):
                continue
            key = hit.get("_id") or f"{hit['cip']}|{hit['ua']}"
            by_visitor.setdefault(key, []).append(hit)
        visitors: set[str] = set()
        sessions = page_views = 0
        for key, hits in by_visitor.items():
            hits.sort(key=lambda h: h["cdt"])
            previous: datetime | None = None
            for hit in hits:
                moment = datetime.strptime(hit["cdt"], "%Y-%m-%d %H:%M:%S")
                starts = previous is None or (moment - previous).total_seconds() > 1800
                previous = moment
                if starts and first <= self._local_day(hit) <= last:
                    sessions += 1
                    visitors.add(key)
                if "action_name" in hit and first <= self._local_day(hit) <= last:
                    page_views += 1
        return Slice(len(visitors), sessions, page_views)

    def page_views_by_url(self) -> Counter[str]:
        """Page views per URL over the whole traffic."""
        return Counter(h["url"] for h in self.requests if "action_name" in h)


def set_up(data_dir: Path) -> tuple[str, str, str]:
    """Owner, viewer and two apps in a fresh metadata store: (shop id, other id, token_auth)."""
    meta = MetaStore(f"sqlite:///{data_dir / 'meta.sqlite'}")
    try:
        meta.migrate()
        owner = services.create_user(meta, OWNER[0], role="OWNER", password=OWNER[1])
        shop = services.create_app(
            meta, name="Shop", urls=["https://shop.example.com"], timezone=TIMEZONE
        )
        other = services.create_app(meta, name="Blog", urls=["https://blog.example.com"])
        viewer = services.create_user(meta, VIEWER[0], role="USER", password=VIEWER[1]).user
        services.set_permission(meta, viewer.id, other.id, "view")
        return shop.id, other.id, owner.token_auth
    finally:
        meta.close()


def serve_world(data_dir: Path, backend: str = "duckdb") -> Iterator[World]:
    """Start the server on the event store `backend`, send the traffic, wait until it is stored;
    stop at the end."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shop, other, token_auth = set_up(data_dir)
    server = Server(data_dir, events_env(data_dir, backend))
    server.start()
    try:
        requests, _ = generate(shop)
        with httpx.Client(timeout=30) as client:
            for i in range(0, len(requests), 50):
                body = {"requests": requests[i : i + 50], "token_auth": token_auth}
                assert client.post(server.url + "/matomo.php", json=body).status_code == 200
        server.wait_idle()
        time.sleep(1.5)  # session rows of active visits are rewritten at most every 0.8 s
        yield World(server, shop, other, requests)
    finally:
        server.stop()
