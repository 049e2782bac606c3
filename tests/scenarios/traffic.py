"""Realistic tracking traffic with a brute-force truth.

`generate()` returns tracking requests (Matomo/Piwik PRO parameters, one dict per request, in the
order a real site would send them) and the truth computed directly from the plan: how many events of
each type, sessions, visitors and bounces the store must hold. The plan keeps every rule explicit:
sessions of one visitor are at least 2 hours apart (so the 30-minute rule splits them), actions in a
session are at most 10 minutes apart, and a bounce is a session with exactly one page view and no
order.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

DESKTOP_UAS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.97",
)
MOBILE_UAS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
)
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
REFERRERS = (
    "",
    "",
    "https://www.google.com/search?q=footfall+analytics",
    "https://www.bing.com/search?q=privacy+analytics",
    "https://www.facebook.com/",
    "https://news.ycombinator.com/item?id=1",
)
PAGES = ("/", "/pricing", "/docs", "/docs/install", "/blog", "/blog/launch", "/about", "/contact")


@dataclass
class Truth:
    """What the event store must hold after the traffic is processed."""

    events_by_type: dict[int, int] = field(default_factory=dict)
    sessions: int = 0
    visitors: int = 0
    bounces: int = 0
    page_views: int = 0
    revenue: float = 0.0
    bot_requests: int = 0

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    def add(self, event_type: int) -> None:
        self.events_by_type[event_type] = self.events_by_type.get(event_type, 0) + 1


@dataclass
class _Visitor:
    vid: str | None  # _id, or None for a cookieless visitor
    ua: str
    ip: str
    sessions: int = 0
    first_ts: int = 0
    last_ts: int = 0


def _cdt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def generate(
    idsite: str,
    *,
    base_url: str = "https://shop.example.com",
    visitors: int = 60,
    days: int = 5,
    seed: int = 7,
    start: int | None = None,
) -> tuple[list[dict[str, str]], Truth]:
    """Requests (chronological per visitor) and their truth for one site."""
    rnd = random.Random(seed)
    t0 = start if start is not None else int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
    truth = Truth()
    requests: list[dict[str, str]] = []
    people: list[_Visitor] = []
    for i in range(visitors):
        ua = rnd.choice(DESKTOP_UAS + MOBILE_UAS)
        ip = f"{rnd.randint(11, 200)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
        people.append(_Visitor(vid=f"{rnd.getrandbits(64):016x}", ua=ua, ip=ip))
        del i
    # two cookieless visitors behind one /16, same browser: still two visitors (fingerprint on full IP)
    people.append(_Visitor(vid=None, ua=DESKTOP_UAS[0], ip="93.184.10.20"))
    people.append(_Visitor(vid=None, ua=DESKTOP_UAS[0], ip="93.184.77.30"))
    order_no = 0
    for v in people:
        n_sessions = 1 if v.vid is None else rnd.choice((1, 1, 2, 3))
        day_slots = sorted(rnd.sample(range(days), min(n_sessions, days)))
        for day in day_slots:
            ts = t0 + day * 86400 + rnd.randint(6 * 3600, 20 * 3600)
            order_no += 1
            requests.extend(_session(rnd, idsite, base_url, v, ts, truth, order_no))
        truth.visitors += 1
    # a crawler: never stored
    for k in range(3):
        requests.append(
            {
                "idsite": idsite,
                "rec": "1",
                "url": f"{base_url}/robots-{k}",
                "ua": BOT_UA,
                "cip": "66.249.66.1",
                "cdt": _cdt(t0 + k * 60),
            }
        )
        truth.bot_requests += 1
    return requests, truth


def _session(
    rnd: random.Random, idsite: str, base: str, v: _Visitor, ts: int, truth: Truth, order_no: int
) -> list[dict[str, str]]:
    """One visit: page views plus some of every other action; updates the truth."""
    out: list[dict[str, str]] = []
    v.sessions += 1
    common = {
        "idsite": idsite,
        "rec": "1",
        "apiv": "1",
        "ua": v.ua,
        "cip": v.ip,
        "res": "1920x1080",
        "lang": "en-US",
    }
    if v.vid:
        common["_id"] = v.vid
        common["_idvc"] = str(v.sessions)
        if v.last_ts:
            common["_viewts"] = str(v.last_ts)
        common["_idts"] = str(v.first_ts or ts)
    v.first_ts = v.first_ts or ts
    v.last_ts = ts
    n_pages = rnd.choice((1, 1, 1, 2, 3, 4, 6))
    extras = rnd.choice(("none", "none", "event", "download", "outlink", "search", "order"))
    ref = rnd.choice(REFERRERS)
    page_views = 0
    ordered = False
    for p in range(n_pages):
        path = rnd.choice(PAGES)
        hit = {**common, "url": base + path, "action_name": f"Page {path}", "cdt": _cdt(ts)}
        if p == 0 and ref:
            hit["urlref"] = ref
        out.append(hit)
        truth.add(1)
        page_views += 1
        ts += rnd.randint(5, 600)
        if p == 0 and extras != "none":
            out.append(
                _extra(extras, {**common, "url": base + path, "cdt": _cdt(ts)}, order_no, truth)
            )
            ordered = ordered or extras == "order"
            ts += rnd.randint(5, 120)
    truth.sessions += 1
    truth.page_views += page_views
    if page_views == 1 and not ordered:
        truth.bounces += 1
    return out


def _extra(kind: str, hit: dict[str, str], order_no: int, truth: Truth) -> dict[str, str]:
    if kind == "event":
        hit.update(e_c="Video", e_a="Play", e_n="Intro", e_v="12.5")
        truth.add(5)
    elif kind == "download":
        hit.update(
            download="https://shop.example.com/files/guide.pdf",
            url="https://shop.example.com/files/guide.pdf",
        )
        truth.add(3)
    elif kind == "outlink":
        hit.update(link="https://github.com/footfall", url="https://github.com/footfall")
        truth.add(2)
    elif kind == "search":
        hit.update(search="privacy", search_cat="docs", search_count="4")
        truth.add(4)
    else:  # an order: ecommerce conversion
        items = [["SKU-1", "Mug", "Kitchen", 12.5, 2], ["SKU-2", "Shirt", "Apparel", 20.0, 1]]
        hit.update(
            idgoal="0",
            ec_id=f"ORD-{order_no}",
            revenue="45.0",
            ec_st="45.0",
            ec_items=json.dumps(items),
        )
        truth.add(9)
        truth.revenue += 45.0
    return hit
