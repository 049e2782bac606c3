"""Traffic of four apps in four timezones, with every stored row decided by the generator.

`plan()` returns, per app, the sessions a correct pipeline must store: each session with its
visitor, its acquisition, device and geo attributes, and the exact event rows (type, time, URL,
title, type-specific columns), including the rows the pipeline adds itself (automatic goal
conversions) and leaving out the requests it must drop (a duplicate order, a repeated
non-multiple goal). `requests()` renders the same plan as Matomo tracking requests with explicit
visitor ids (`_id`, `uid`) and times (`cdt`, so they need `token_auth`).

The truth follows Footfall's definitions by construction (docs/metrics.md, DATA-MODEL.md):
- sessions: a visitor's sessions are at least 2 hours apart, hits inside a session at most 29 minutes
  apart; one session is split by a campaign change 5 minutes after it started; every session lies
  inside one calendar day of its app's timezone (no midnight question);
- days: the 7 days 2026-10-05 .. 2026-10-11 (local) plus sessions on the day before and after, near
  local midnight, that a query of those 7 days must leave out;
- device, browser and OS from fixed user agents, country from IPs whose /16 GeoIP places in one
  country (`tests/query/oracle/test_generator.py` checks both assumptions against the libraries).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
FIRST_DAY = date(2026, 10, 5)  # a Monday
DAYS = 7  # the query range: FIRST_DAY .. FIRST_DAY + 6
OUTSIDE_DAYS = (FIRST_DAY - timedelta(days=1), FIRST_DAY + timedelta(days=DAYS))

# event types (DATA-MODEL §2)
PAGE_VIEW, OUTLINK, DOWNLOAD, SEARCH, CUSTOM_EVENT = 1, 2, 3, 4, 5
CONTENT_IMPRESSION, CONTENT_INTERACTION, GOAL, ORDER = 6, 7, 8, 9
CONSENT_IMPRESSION, CONSENT_CLICK, CONSENT_DECISION = 12, 13, 14
ABANDONED_CART, CART_UPDATE, HEARTBEAT, PRODUCT_VIEW, ADD_TO_CART = 10, 16, 19, 22, 23
#: DATA-MODEL §3.1 COUNTED: every type but the synthetic and technical ones
NOT_COUNTED = frozenset((10, 15, 17, 18, 19, 20, 21))
DIRECT, SEARCH_ENGINE, WEBSITE, CAMPAIGN, SOCIAL = 1, 2, 3, 6, 7


@dataclass(frozen=True)
class AppSpec:
    """An app to create: its key in the plan, name, own host and timezone."""

    key: str
    name: str
    host: str
    timezone: str


APPS = (
    AppSpec("utc", "Oracle UTC", "utc.example.com", "UTC"),
    AppSpec("warsaw", "Oracle Warsaw", "sklep.example.pl", "Europe/Warsaw"),
    AppSpec("la", "Oracle Los Angeles", "la.example.com", "America/Los_Angeles"),
    AppSpec("tokyo", "Oracle Tokyo", "tokyo.example.jp", "Asia/Tokyo"),
)
#: an app whose sessions close after one minute, so that abandoned carts appear during the tests
CARTS = AppSpec("carts", "Oracle Carts", "carts.example.com", "America/Los_Angeles")
CARTS_TIMEOUT_SECONDS = 60  # the smallest session_timeout_seconds the settings accept


@dataclass(frozen=True)
class GoalSpec:
    """A goal created in every app, in this order (so its id is `id`)."""

    id: int
    name: str
    trigger: str
    pattern: str
    revenue: float
    allow_multiple: bool


GOALS = (
    GoalSpec(1, "Signup", "manually", "", 0.0, False),
    GoalSpec(2, "Saw pricing", "url", "/pricing", 5.0, False),
    GoalSpec(3, "Got the guide", "file", "guide.pdf", 2.5, True),
)


@dataclass(frozen=True)
class Browser:
    """A user agent and what device-detector makes of it."""

    ua: str
    browser_name: str
    operating_system: str
    device_type: int


BROWSERS = (
    Browser(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "CH",
        "WIN",
        0,
    ),
    Browser(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "SF",
        "MAC",
        0,
    ),
    Browser(
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "FF", "LIN", 0
    ),
    Browser(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "MF",
        "IOS",
        1,
    ),
    Browser(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36",
        "CM",
        "AND",
        1,
    ),
    Browser(
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "MF",
        "IPA",
        2,
    ),
)

#: country → /16 networks that GeoIP places wholly in it (checked by test_generator.py)
NETWORKS = {
    "PL": ("83.24", "83.25", "89.64"),
    "US": ("12.34", "24.0"),
    "JP": ("133.11", "126.0"),
    "GB": ("86.0", "2.24"),
    "BR": ("200.147", "177.0"),
}

#: (urlref, referrer_type, source, medium, keyword) for the referrers a session may arrive with
REFERRERS = (
    ("", DIRECT, "direct", "direct", ""),
    ("", DIRECT, "direct", "direct", ""),
    ("https://www.google.com/search?q=privacy+analytics", SEARCH_ENGINE, "google", "organic", ""),
    ("https://www.bing.com/search?q=footfall", SEARCH_ENGINE, "bing", "organic", ""),
    ("https://duckduckgo.com/", SEARCH_ENGINE, "duckduckgo", "organic", ""),
    ("https://www.facebook.com/", SOCIAL, "facebook", "organic", ""),
    ("https://t.co/abc", SOCIAL, "twitter", "organic", ""),
    ("https://news.ycombinator.com/item?id=1", SOCIAL, "hacker news", "organic", ""),
    ("https://www.heise.de/news/", WEBSITE, "heise.de", "referral", ""),
    ("https://blog.example.org/post", WEBSITE, "blog.example.org", "referral", ""),
)
#: (query string, source, medium, campaign name, keyword) of campaign landings
CAMPAIGNS = (
    (
        "utm_campaign=autumn&utm_source=newsletter&utm_medium=email",
        "newsletter",
        "email",
        "autumn",
        "",
    ),
    (
        "pk_campaign=launch&pk_source=partner&pk_medium=banner&pk_kwd=tools",
        "partner",
        "banner",
        "launch",
        "tools",
    ),
    (
        "utm_campaign=brand&utm_source=google&utm_medium=cpc&utm_term=analytics",
        "google",
        "cpc",
        "brand",
        "analytics",
    ),
)
PAGES = (
    ("/", "Home"),
    ("/pricing", "Pricing"),
    ("/docs", "Docs"),
    ("/docs/install", "Install"),
    ("/blog", "Blog"),
    ("/blog/launch", "Launch post"),
    ("/about", "About us"),
    ("/shop/mug", "Mug"),
)
EVENTS = (
    ("Video", "Play", "Intro", "12.5"),
    ("Video", "Pause", "Intro", ""),
    ("Form", "Submit", "Contact", ""),
    ("Newsletter", "Subscribe", "", "1"),
)
DOWNLOADS = ("guide.pdf", "price-list.xlsx")
OUTLINKS = ("https://github.com/footfall", "https://twitter.com/footfall")
SEARCHES = (("privacy", "docs", 4), ("install", "", 0), ("pricing", "shop", 2))
CONTENTS = (("Banner", "autumn.png"), ("Sidebar", "newsletter-box"))
PLANS = ("free", "pro", "")  # session custom dimension 1 values
TIERS = ("gold", "silver")  # visit custom variable 1 values
ITEMS = (("SKU-1", "Mug", "Kitchen", 12.5), ("SKU-2", "Shirt", "Apparel", 20.0))


@dataclass
class Ev:
    """One stored event row: its type, UTC unix time, event_url, event_title and other columns.

    `wire` holds the request parameters that produce it (with `url`, `action_name`, `cdt` added at
    rendering); None for a row the pipeline adds itself. `ghost` requests are sent but must be
    dropped by the pipeline (a duplicate order, a repeated goal), so they have no row.
    """

    type: int
    ts: int
    url: str
    title: str
    cols: dict[str, Any] = field(default_factory=dict)
    wire: dict[str, str] | None = None
    ghost: bool = False


@dataclass
class Visitor:
    """One person: cookie id, optional User ID, device and network, sessions so far."""

    cookie: str | None  # `_id`; None for a cookieless visitor
    user_id: str
    browser: Browser
    ip: str
    country: str
    lang: str
    sessions: int = 0
    first_ts: int = 0
    last_ts: int = 0
    ordered: bool = False

    @property
    def visitor_id(self) -> str | None:
        """The stored visitor_id as 16 hex digits (None: the session hash, unknown here)."""
        if self.user_id:
            return hashlib.sha1(self.user_id.encode()).hexdigest()[:16]
        return self.cookie


@dataclass
class Session:
    """One visit as it must be stored: visitor, session attributes and event rows in order."""

    app: str
    visitor: Visitor
    visitor_id: str | None
    user_id: str
    returning: int  # visitor_returning
    referrer_url: str
    referrer_type: int
    source: str
    medium: str
    campaign_name: str
    keyword: str
    custom_dimension_1: str
    custom_variable_1: str
    number: int = 1  # `_idvc`: the visitor's sessions so far, this one included
    events: list[Ev] = field(default_factory=list)
    campaign_query: str = ""

    @property
    def start(self) -> int:
        """Session start (UTC unix seconds): its first event."""
        return self.events[0].ts

    @property
    def ip_anonymized(self) -> str:
        """The stored ipv4_address: two last octets zeroed (default anonymization level 2)."""
        a, b, _, _ = self.visitor.ip.split(".")
        return f"{a}.{b}.0.0"


@dataclass
class Plan:
    """Every app's sessions and the timezone of each app."""

    apps: dict[str, AppSpec]
    sessions: dict[str, list[Session]]


def _pv_id(ev: Ev) -> str:
    """The page view id a row carries (a derived row repeats its source's)."""
    return str((ev.wire or {}).get("pv_id", ev.cols.get("pv_id", "")))


def _cdt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def local_day(ts: int, timezone: str) -> date:
    """The calendar day of a UTC unix time in a timezone."""
    return datetime.fromtimestamp(ts, ZoneInfo(timezone)).date()


class _Builder:
    """Builds one app's sessions from a seeded random source."""

    def __init__(self, app: AppSpec, seed: int) -> None:
        self.app = app
        self.rnd = random.Random(seed)
        self.tz = ZoneInfo(app.timezone)
        self.base = f"https://{app.host}"
        self.sessions: list[Session] = []
        self.orders = 0
        self.ips: set[str] = set()

    # --- people ---

    def visitor(self, k: int, *, cookieless: bool = False, user: bool = False) -> Visitor:
        rnd = self.rnd
        country = rnd.choice(sorted(NETWORKS))
        while True:
            ip = f"{rnd.choice(NETWORKS[country])}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
            if ip not in self.ips:
                self.ips.add(ip)
                break
        cookie = None if cookieless else f"{rnd.getrandbits(64) | (1 << 63):016x}"
        return Visitor(
            cookie=cookie,
            user_id=f"user-{self.app.key}-{k}@example.com" if user else "",
            browser=rnd.choice(BROWSERS),
            ip=ip,
            country=country,
            lang=rnd.choice(("en-US", "pl-PL", "ja-JP", "de-DE")),
        )

    def local_start(self, day: date, earliest: time, latest: time) -> int:
        """A UTC unix time on `day` (local) between two local clock times."""
        lo = datetime.combine(day, earliest, self.tz)
        hi = datetime.combine(day, latest, self.tz)
        return int(lo.timestamp()) + self.rnd.randint(0, int((hi - lo).total_seconds()))

    # --- sessions ---

    def session(self, v: Visitor, ts: int, *, campaign: int | None = None) -> Session:
        rnd = self.rnd
        v.sessions += 1
        returning = 0
        if v.cookie is not None and v.sessions > 1:
            returning = 2 if v.ordered else 1
        if campaign is not None:
            query, source, medium, name, keyword = CAMPAIGNS[campaign]
            ref, rtype = "", CAMPAIGN
        else:
            query = ""
            ref, rtype, source, medium, keyword = rnd.choice(REFERRERS)
            name = ""
        s = Session(
            app=self.app.key,
            visitor=v,
            visitor_id=v.visitor_id,
            user_id=v.user_id,
            returning=returning,
            referrer_url=ref,
            referrer_type=rtype,
            source=source,
            medium=medium,
            campaign_name=name,
            keyword=keyword,
            custom_dimension_1=rnd.choice(PLANS),
            custom_variable_1=rnd.choice(TIERS),
            campaign_query=query,
            number=v.sessions,
        )
        self.sessions.append(s)
        return s

    def page(self, s: Session, ts: int, path: str, title: str, query: str = "") -> Ev:
        url = self.base + path + ("?" + query if query else "")
        ev = Ev(PAGE_VIEW, ts, url, title, wire={"pv_id": f"{ts:x}{len(s.events)}"})
        s.events.append(ev)
        if any(g.trigger == "url" and g.pattern in url for g in GOALS):
            self.auto_goal(s, ev, "url", url)
        return ev

    def auto_goal(self, s: Session, source: Ev, trigger: str, value: str) -> None:
        """Automatic conversions right after the triggering row (DATA-MODEL §4.2)."""
        for g in GOALS:
            if g.trigger != trigger or g.pattern.casefold() not in value.casefold():
                continue
            seen = any(
                e.type == GOAL and e.cols.get("goal_id") == g.id and not e.ghost for e in s.events
            )
            if seen and not g.allow_multiple:
                continue
            s.events.append(
                Ev(
                    GOAL,
                    source.ts,
                    source.url,
                    source.title,
                    {"goal_id": g.id, "goal_revenue": g.revenue, "pv_id": _pv_id(source)},
                )
            )

    def on_page(
        self, s: Session, pv: Ev, ts: int, type_: int, wire: dict[str, str], **cols: Any
    ) -> Ev:
        """A non-page-view event on the page of `pv` (same url and title, its pv_id)."""
        ev = Ev(type_, ts, pv.url, pv.title, dict(cols), {**wire, "pv_id": _pv_id(pv)})
        s.events.append(ev)
        return ev

    def extra(self, s: Session, pv: Ev, ts: int, kind: str) -> int:
        """One action of `kind` on the page `pv` at `ts`; returns the time of its last row."""
        self._extra(s, pv, ts, kind)
        return s.events[-1].ts

    def _extra(self, s: Session, pv: Ev, ts: int, kind: str) -> None:
        rnd = self.rnd
        if kind == "event":
            c, a, n, val = rnd.choice(EVENTS)
            wire = {"e_c": c, "e_a": a}
            if n:
                wire["e_n"] = n
            if val:
                wire["e_v"] = val
            self.on_page(
                s,
                pv,
                ts,
                CUSTOM_EVENT,
                wire,
                custom_event_category=c,
                custom_event_action=a,
                custom_event_name=n,
                custom_event_value=float(val) if val else None,
            )
        elif kind == "download":
            url = f"{self.base}/files/{rnd.choice(DOWNLOADS)}"
            self.on_page(s, pv, ts, DOWNLOAD, {"download": url}, download_url=url)
            self.auto_goal(s, s.events[-1], "file", url)
        elif kind == "outlink":
            url = rnd.choice(OUTLINKS)
            self.on_page(s, pv, ts, OUTLINK, {"link": url}, outlink_url=url)
        elif kind == "search":
            kw, cat, count = rnd.choice(SEARCHES)
            wire = {"search": kw, "search_count": str(count)}
            if cat:
                wire["search_cat"] = cat
            self.on_page(s, pv, ts, SEARCH, wire, search_keyword=kw, search_category=cat)
        elif kind == "content":
            name, piece = rnd.choice(CONTENTS)
            wire = {"c_n": name, "c_p": piece, "c_t": self.base + "/offer"}
            self.on_page(
                s, pv, ts, CONTENT_IMPRESSION, wire, content_name=name, content_piece=piece
            )
            if rnd.random() < 0.5:
                self.on_page(
                    s,
                    pv,
                    ts + 3,
                    CONTENT_INTERACTION,
                    {**wire, "c_i": "click"},
                    content_name=name,
                    content_piece=piece,
                )
        elif kind == "signup":
            paid = rnd.random() < 0.5
            wire = {"idgoal": "1", **({"revenue": "10"} if paid else {})}
            # Signup may convert once per session: a repeat is sent but dropped
            repeat = any(
                e.type == GOAL and e.cols["goal_id"] == 1 and not e.ghost for e in s.events
            )
            ev = self.on_page(s, pv, ts, GOAL, wire, goal_id=1, goal_revenue=10.0 if paid else 0.0)
            ev.ghost = repeat
        elif kind == "order":
            self.order(s, pv, ts)
        elif kind == "cart":
            self.on_page(s, pv, ts, PRODUCT_VIEW, {"e_t": "product-detail-view"})
            self.on_page(s, pv, ts + 5, ADD_TO_CART, {"e_t": "add-to-cart"})
            items = [[*ITEMS[0], 1]]
            self.on_page(
                s,
                pv,
                ts + 6,
                CART_UPDATE,
                {"idgoal": "0", "revenue": "12.5", "ec_items": json.dumps(items)},
                cart_amount=12.5,
                item_count=1,
            )
        elif kind == "consent":
            for c, a, n, t in (
                ("Consent form views", "Main form", "", CONSENT_IMPRESSION),
                ("Consent form interactions", "Agreed to all", "", CONSENT_CLICK),
                ("Consents", "Full consent", "", CONSENT_DECISION),
                ("Consents", "First consent", "", CONSENT_DECISION),
                ("Consents by type", "Analytics", "First consent", CONSENT_DECISION),
            ):
                wire = {"e_c": c, "e_a": a, **({"e_n": n} if n else {})}
                cols: dict[str, Any] = {
                    "custom_event_category": c,
                    "custom_event_action": a,
                    "custom_event_name": n,
                }
                if a == "Main form":
                    cols["consent_source"] = 1
                elif a == "Agreed to all":
                    cols["consent_form_button"] = 1
                elif a == "Full consent":
                    cols["consent_scope"] = 1
                else:
                    cols["consent_action"] = 1
                    if a == "Analytics":
                        cols["consent_type_analytics"] = 1
                self.on_page(s, pv, ts, t, wire, **cols)
                ts += 1
        else:
            raise ValueError(kind)

    def order(self, s: Session, pv: Ev, ts: int, *, resend: bool = False) -> None:
        self.orders += 1
        n = self.rnd.choice((1, 2))
        items: list[list[Any]] = [[*ITEMS[i], 1 + i] for i in range(n)]
        revenue = sum(ITEMS[i][3] * (1 + i) for i in range(n)) + 5.0  # + shipping
        order_id = f"{self.app.key.upper()}-{self.orders}"
        wire = {
            "idgoal": "0",
            "ec_id": order_id,
            "revenue": f"{revenue}",
            "ec_st": f"{revenue - 5.0}",
            "ec_sh": "5.0",
            "ec_items": json.dumps(items),
        }
        self.on_page(s, pv, ts, ORDER, wire, order_id=order_id, revenue=revenue, item_count=n)
        s.visitor.ordered = True
        if resend:  # the same order again: deduplicated per (website, order_id)
            dup = self.on_page(s, pv, ts + 2, ORDER, wire)
            dup.ghost = True

    def ordinary(self, s: Session, ts: int, *, max_gap: int = 300) -> int:
        """Page views with extras; returns the time of the last event."""
        rnd = self.rnd
        n_pages = rnd.choice((1, 1, 1, 2, 2, 3, 4, 6))
        extras = ("event", "download", "outlink", "search", "content", "signup", "order", "cart")
        consent_done = False
        for p in range(n_pages):
            path, title = PAGES[0] if p == 0 and rnd.random() < 0.4 else rnd.choice(PAGES)
            query = s.campaign_query if p == 0 else ""
            pv = self.page(s, ts, path, title, query)
            if p == 0 and not consent_done and rnd.random() < 0.1:
                ts = self.extra(s, pv, ts + 2, "consent")
                consent_done = True
            if rnd.random() < 0.45:
                ts = self.extra(s, pv, ts + rnd.randint(3, 90), rnd.choice(extras))
            if p == n_pages - 1 and rnd.random() < 0.3:  # a heartbeat extends the last page
                ts += rnd.randint(15, 120)
                self.on_page(s, pv, ts, HEARTBEAT, {"ping": "1"})
            if p < n_pages - 1:
                ts += rnd.randint(5, max_gap)
        return ts


def _build_app(app: AppSpec, seed: int, n_visitors: int) -> list[Session]:
    b = _Builder(app, seed)
    rnd = b.rnd
    days = [FIRST_DAY + timedelta(days=d) for d in range(DAYS)]
    for k in range(n_visitors):
        v = b.visitor(k, user=k % 9 == 0)
        n = rnd.choice((1, 1, 1, 2, 2, 3, 4))
        slots = sorted(rnd.sample(days, n))
        for day in slots:
            ts = b.local_start(day, time(0, 5), time(22, 0))
            campaign = rnd.randrange(len(CAMPAIGNS)) if rnd.random() < 0.15 else None
            s = b.session(v, ts, campaign=campaign)
            b.ordinary(s, ts)
            v.last_ts = s.events[-1].ts
    # cookieless visitors: one session each, told apart by the session hash (IP, browser)
    for k in range(3):
        v = b.visitor(1000 + k, cookieless=True)
        ts = b.local_start(days[k + 1], time(9), time(17))
        b.ordinary(b.session(v, ts), ts)
    _edge_cases(b, days)
    return b.sessions


def _edge_cases(b: _Builder, days: list[date]) -> None:
    """Sessions whose boundaries test the visit rules and the date range."""
    # 29 minutes of silence keeps the session, 31 minutes start a new one (same visitor)
    v = b.visitor(2000)
    ts = b.local_start(days[2], time(10), time(11))
    s = b.session(v, ts)
    pv = b.page(s, ts, "/docs", "Docs")
    b.page(s, ts + 29 * 60, "/docs/install", "Install")
    s2 = b.session(v, ts + 29 * 60 + 31 * 60)
    b.page(s2, s2_ts := ts + 60 * 60, "/blog", "Blog")
    b.extra(s2, s2.events[0], s2_ts + 20, "event")
    del pv
    # a campaign change 5 minutes in starts a new session (glossary: on by default)
    v = b.visitor(2001)
    ts = b.local_start(days[3], time(13), time(14))
    s = b.session(v, ts, campaign=0)
    b.page(s, ts, "/", "Home", s.campaign_query)
    s = b.session(v, ts + 300, campaign=1)
    b.page(s, ts + 300, "/pricing", "Pricing", s.campaign_query)
    # an order sent twice (deduplicated), then a goal that may convert once per session
    v = b.visitor(2002)
    ts = b.local_start(days[4], time(15), time(16))
    s = b.session(v, ts)
    pv = b.page(s, ts, "/shop/mug", "Mug")
    b.order(s, pv, ts + 30, resend=True)
    b.extra(s, pv, ts + 60, "signup")
    dup = b.on_page(s, pv, ts + 90, GOAL, {"idgoal": "1"})
    dup.ghost = True
    # a one-page session on /pricing: the automatic goal means it is not a bounce
    v = b.visitor(2003)
    ts = b.local_start(days[5], time(8), time(9))
    b.page(b.session(v, ts), ts, "/pricing", "Pricing")
    # a Google Ads click: gclid alone is a campaign (google / cpc) and is stripped from event_url
    v = b.visitor(2004)
    ts = b.local_start(days[1], time(18), time(19))
    s = b.session(v, ts)
    s.referrer_type, s.source, s.medium, s.referrer_url = CAMPAIGN, "google", "cpc", ""
    ev = b.page(s, ts, "/", "Home")
    ev.wire = {**(ev.wire or {}), "__query": "gclid=EAIaIQobChMI"}
    # a site search detected from the page URL (`q` parameter): stored as a search, not a page view
    v = b.visitor(2005)
    ts = b.local_start(days[6], time(11), time(12))
    s = b.session(v, ts)
    pv = b.page(s, ts, "/docs", "Docs")
    url = b.base + "/search?q=retention"
    wire = {"action_name": "Search"}
    s.events.append(Ev(SEARCH, ts + 40, url, "Search", {"search_keyword": "retention"}, wire))
    # just outside the range, close to local midnight on both sides
    for day, (lo, hi) in zip(
        OUTSIDE_DAYS, ((time(23, 0), time(23, 20)), (time(0, 5), time(0, 30))), strict=True
    ):
        for k in range(2):
            v = b.visitor(3000 + k + (10 if day > FIRST_DAY else 0))
            ts = b.local_start(day, lo, hi)
            b.ordinary(b.session(v, ts), ts, max_gap=60)
    # inside the range, close to local midnight (a UTC day would misplace them)
    for day, (lo, hi) in (
        (days[0], (time(0, 1), time(0, 20))),
        (days[-1], (time(23, 0), time(23, 20))),
    ):
        v = b.visitor(4000 + day.day)
        ts = b.local_start(day, lo, hi)
        b.ordinary(b.session(v, ts), ts, max_gap=60)


def _build_carts(seed: int, n_sessions: int = 24) -> list[Session]:
    """Short shopping sessions (rows at most 40 s apart) of the CARTS app, each ending with a
    cart update, an order or a page, and the abandoned-cart row the pipeline adds when a session
    whose last cart update follows its last order closes (DATA-MODEL §4.2)."""
    b = _Builder(CARTS, seed)
    rnd = b.rnd
    shapes = ("cart", "cart-then-order", "order-then-cart", "order", "product", "page")
    for k in range(n_sessions):
        shape = shapes[k % len(shapes)]
        day = FIRST_DAY + timedelta(days=rnd.randrange(DAYS))
        ts = b.local_start(day, time(8), time(20))
        s = b.session(b.visitor(k), ts)
        pv = b.page(s, ts, "/shop/mug", "Mug")
        ts += rnd.randint(5, 40)
        if shape == "product":
            b.on_page(s, pv, ts, PRODUCT_VIEW, {"e_t": "product-detail-view"})
        if shape in ("order", "order-then-cart"):
            b.order(s, pv, ts)
            ts += rnd.randint(5, 40)
        if shape in ("cart", "cart-then-order", "order-then-cart"):
            amount, n = (12.5, 1) if rnd.random() < 0.5 else (52.5, 2)
            items = [[*ITEMS[i], 1 + i] for i in range(n)]
            cart = b.on_page(
                s,
                pv,
                ts,
                CART_UPDATE,
                {"idgoal": "0", "revenue": str(amount), "ec_items": json.dumps(items)},
                cart_amount=amount,
                item_count=n,
            )
            if shape == "cart-then-order":
                b.order(s, pv, ts + rnd.randint(5, 40))
            else:
                lost = {"lost_revenue": amount, "item_count": n, "pv_id": _pv_id(pv)}
                s.events.append(Ev(ABANDONED_CART, cart.ts, cart.url, cart.title, lost))
        if shape == "page":
            b.page(s, ts, "/shop", "Shop")
    return b.sessions


def plan(*, visitors_per_app: int = 70, seed: int = 2026) -> Plan:
    """The sessions of every app in APPS and of CARTS (deterministic for a seed)."""
    sessions = {a.key: _build_app(a, seed * 31 + i, visitors_per_app) for i, a in enumerate(APPS)}
    sessions[CARTS.key] = _build_carts(seed * 31 + len(APPS))
    return Plan(apps={a.key: a for a in (*APPS, CARTS)}, sessions=sessions)


def requests(
    p: Plan, idsites: dict[str, str], apps: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    """Every tracking request of the plan's apps (default: all), in time order (stable per
    visitor)."""
    out: list[tuple[int, int, dict[str, str]]] = []
    for key, sessions in p.sessions.items():
        if apps is not None and key not in apps:
            continue
        for s in sessions:
            first = True
            for ev in s.events:
                if ev.wire is None:
                    continue
                out.append((ev.ts, len(out), _render(idsites[key], s, ev, first)))
                first = False
    return [r for _, _, r in sorted(out, key=lambda x: (x[0], x[1]))]


def _render(idsite: str, s: Session, ev: Ev, first: bool) -> dict[str, str]:
    """One request: the visitor's common parameters plus the event's own."""
    v = s.visitor
    wire = dict(ev.wire or {})
    extra_query = wire.pop("__query", "")
    url = ev.url + (("&" if "?" in ev.url else "?") + extra_query if extra_query else "")
    r = {
        "idsite": idsite,
        "rec": "1",
        "apiv": "1",
        "url": url,
        "cdt": _cdt(ev.ts),
        "ua": v.browser.ua,
        "cip": v.ip,
        "lang": v.lang,
        "res": "1920x1080",
        "dimension1": s.custom_dimension_1,
        "_cvar": json.dumps({"1": ["tier", s.custom_variable_1]}),
    }
    if not s.custom_dimension_1:
        del r["dimension1"]
    if ev.type == PAGE_VIEW:
        r["action_name"] = ev.title
    if v.cookie:
        r["_id"] = v.cookie
        r["_idvc"] = str(s.number)
    if s.user_id:
        r["uid"] = s.user_id
    if first and s.referrer_url:
        r["urlref"] = s.referrer_url
    r.update(wire)
    return r
