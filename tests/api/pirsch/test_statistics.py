"""Pirsch statistics over HTTP: a real DuckDB file and a real chDB store of generated visits, exact
numbers per endpoint on both.

The visits are written as the pipeline writes Pirsch traffic (page views with their tags in
custom variable slots 6..10, Pirsch events as custom events with their metadata in slots 1..5 and
their tags in 6..10); the truth is computed from the same list in Python.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette

from footfall.api.pirsch.statistics import make_statistics_routes
from footfall.auth.access import SCOPE_KEY, Authorizer
from footfall.auth.tokens import KeyRing
from footfall.meta import pirsch, pirsch_objects, services
from footfall.meta.store import MetaStore
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

DAY0 = datetime(2026, 11, 2, tzinfo=UTC).timestamp()
PERIOD = {"from": "2026-11-02", "to": "2026-11-04"}
PATHS = ("/", "/pricing", "/blog/a", "/blog/b", "/docs")
COUNTRIES = ("PL", "DE", "US")
OSES = (("WIN", "Windows"), ("MAC", "Mac"), ("AND", "Android"))
BROWSERS = (("CH", "Chrome"), ("FF", "Firefox"))
#: (referrer_type, source, referrer_url, medium, campaign)
REFERRERS = (
    (1, "direct", "", "direct", ""),
    (3, "news.example.org", "https://news.example.org/a", "referral", ""),
    (6, "newsletter", "", "email", "spring"),
)
WIDTHS = (None, 390, 1280, 1920, 2560)
DEVICES = (None, 0, 1)


@dataclass
class Visit:
    """One session of the generated traffic and everything the statistics read of it."""

    sid: int
    visitor: int
    start: float
    pages: list[str]
    country: str
    os: tuple[str, str]
    browser: tuple[str, str]
    device: int | None
    width: int | None
    language: str
    referrer: tuple[int, str, str, str, str]
    tags: dict[str, str]
    events: list[tuple[str, dict[str, str], int]] = field(default_factory=list)

    @property
    def bounce(self) -> bool:
        return len(self.pages) == 1

    @property
    def day(self) -> str:
        return datetime.fromtimestamp(self.start, UTC).date().isoformat()


def generate(seed: int = 7, sessions: int = 90) -> list[Visit]:
    """Visits over three days; a visitor may come back (visitor ids repeat)."""
    rnd = random.Random(seed)
    visits = []
    for sid in range(1, sessions + 1):
        visit = Visit(
            sid=sid,
            visitor=rnd.randrange(60),
            start=DAY0 + rnd.randrange(3 * 86400 - 3600),
            pages=[rnd.choice(PATHS) for _ in range(rnd.choice((1, 1, 2, 3)))],
            country=rnd.choice(COUNTRIES),
            os=rnd.choice(OSES),
            browser=rnd.choice(BROWSERS),
            device=rnd.choice(DEVICES),
            width=rnd.choice(WIDTHS),
            language=rnd.choice(("en", "pl", "de")),
            referrer=rnd.choice(REFERRERS),
            tags={"author": rnd.choice(("ann", "bob"))} if rnd.random() < 0.5 else {},
        )
        for _ in range(rnd.choice((0, 0, 1, 2))):
            name = rnd.choice(("Signup", "Download"))
            meta = {"plan": rnd.choice(("free", "pro"))} if name == "Signup" else {}
            visit.events.append((name, meta, rnd.randrange(1, 30)))
        visits.append(visit)
    return visits


def _slots(pairs: dict[str, str], first: int) -> dict[str, str]:
    """Custom variable columns from slot `first` on: event metadata from 1, tags from 6."""
    out = {}
    for k, (key, value) in enumerate(sorted(pairs.items()), start=first):
        out[f"event_custom_variable_key_{k}"] = key
        out[f"event_custom_variable_value_{k}"] = value
    return out


def rows(website: str, visits: list[Visit]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Event and session rows of the visits, as the pipeline stores them."""
    events: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for v in visits:
        index = 0
        for i, path in enumerate(v.pages):
            events.append(
                {
                    "website_id": website,
                    "event_id": v.sid * 100 + index,
                    "session_id": v.sid,
                    "timestamp": v.start + 60 * index,
                    "event_index": index,
                    "event_type": 1,
                    "page_view_index": i,
                    "is_entry": int(i == 0),
                    "event_url": f"https://shop.example.com{path}?utm=x",
                    "event_title": f"Title {path}",
                    **_slots(v.tags, 6),
                }
            )
            index += 1
        for name, meta, duration in v.events:
            events.append(
                {
                    "website_id": website,
                    "event_id": v.sid * 100 + index,
                    "session_id": v.sid,
                    "timestamp": v.start + 60 * index,
                    "event_index": index,
                    "event_type": 5,
                    "event_url": f"https://shop.example.com{v.pages[-1]}",
                    "custom_event_category": "Pirsch",
                    "custom_event_action": name,
                    "custom_event_name": name,
                    "custom_event_value": float(duration),
                    # a Pirsch event carries its metadata and its hit's tags, apart
                    **_slots(meta, 1),
                    **_slots(v.tags, 6),
                }
            )
            index += 1
        rtype, source, ref_url, medium, campaign = v.referrer
        sessions.append(
            {
                "website_id": website,
                "session_id": v.sid,
                "session_version": 1,
                "timestamp": v.start,
                "last_event_time": v.start + 60 * (index - 1),
                "visitor_id": v.visitor,
                "session_total_events": index,
                "session_total_page_views": len(v.pages),
                "session_unique_page_views": len(set(v.pages)),
                "session_total_custom_events": len(v.events),
                "session_total_time": 60 * (index - 1),
                "session_entry_url": f"https://shop.example.com{v.pages[0]}?utm=x",
                "session_exit_url": f"https://shop.example.com{v.pages[-1]}?utm=x",
                "is_bounce": int(v.bounce),
                "device_type": v.device,
                "resolution_width": v.width,
                "operating_system": v.os[0],
                "browser_name": v.browser[0],
                "browser_language_iso639": v.language,
                "location_country_name": v.country,
                "referrer_type": rtype,
                "source": source,
                "medium": medium,
                "campaign_name": campaign,
                "referrer_url": ref_url,
            }
        )
    return events, sessions


class Client:
    """GETs through httpx's ASGI transport with a bearer token."""

    def __init__(self, app: Any, token: str, website: str) -> None:
        self.app, self.token, self.website = app, token, website

    def get(self, route: str, /, token: str | None = None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return await http.get(route, params=params, headers=headers)

        return asyncio.run(go())

    def stats(self, name: str, **params: Any) -> Any:
        query = {"id": self.website, **PERIOD, **params}
        r = self.get(f"/api/v1/statistics/{name}", **query)
        assert r.status_code == 200, r.text
        return r.json()


@dataclass
class Ctx:
    """The statistics context: a real event store and metadata store."""

    store: DuckDBStore | ClickHouseStore
    meta: MetaStore


@dataclass
class World:
    client: Client
    visits: list[Visit]
    website: str
    other: str
    tokens: dict[str, str]  #: bearer of each kind of caller
    funnel_id: str
    back_funnel_id: str  #: /pricing, then a Polish visit, then /


# why module scope: chDB runs one engine directory per process at a time
@pytest.fixture(scope="module", params=("duckdb", "chdb"))
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("pirsch_stats")
    meta = MetaStore(f"sqlite:///{tmp / 'meta.sqlite'}")
    meta.migrate()
    store: DuckDBStore | ClickHouseStore = (
        DuckDBStore(str(tmp / "events.duckdb"))
        if request.param == "duckdb"
        else ClickHouseStore(parse_url(f"chdb://{tmp / 'chdb'}"))
    )
    store.migrate()
    owner = services.create_user(meta, "owner@example.com", role="OWNER").user
    website = services.create_app(meta, name="Shop", urls=["https://shop.example.com"]).id
    other = services.create_app(meta, name="Other", urls=["https://other.example.com"]).id
    services.create_goal(meta, website, name="Pricing", trigger="url", pattern="/pricing")
    pirsch_objects.add_goal(
        meta,
        website,
        {
            "name": "Docs",
            "path_pattern": "/docs",
            "pattern": "^/docs$",
            "visitor_goal": 10,
            "cr_goal": None,
            "delete_reached": False,
            "email_reached": True,
        },
    )
    steps = [
        {"name": "Home", "filter": {"path": "/"}},
        {"name": "Pricing", "filter": {"path": "/pricing"}},
    ]
    funnel = pirsch_objects.add(meta, "funnel", website, {"name": "Buy", "steps": steps})
    back = [
        {"name": "Pricing", "filter": {"path": "/pricing"}},
        {"name": "From Poland", "filter": {"country": "pl"}},
        {"name": "Home", "filter": {"path": "/"}},
    ]
    back_funnel = pirsch_objects.add(meta, "funnel", website, {"name": "Back home", "steps": back})
    visits = generate()
    events, sessions = rows(website, visits)
    store.write(events, sessions, checkpoint=1)
    other_events, other_sessions = rows(other, generate(seed=3, sessions=10))
    store.write(other_events, other_sessions, checkpoint=2)
    keys = KeyRing(tmp / "keys")
    authorizer = Authorizer(meta, keys)
    api = Starlette(routes=make_statistics_routes(Ctx(store, meta)))

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope[SCOPE_KEY] = authorizer
        await api(scope, receive, send)

    token = keys.issue(user_id=owner.id, email=owner.email, audience="t")
    tokens = {"key": pirsch.create_access_key(meta, owner.id, website, "key")}
    for name, scopes in (("writer", "hit,event,session"), ("reader", "statistics")):
        client = pirsch.create_client(meta, owner.id, website, pirsch.parse_scopes(scopes), name)
        tokens[name] = keys.issue(
            user_id=owner.id,
            email=owner.email,
            audience="t",
            client_id=client.credential.client_id,
        )
    yield World(
        Client(app, token, website),
        visits,
        website,
        other,
        tokens,
        funnel["id"],
        back_funnel["id"],
    )
    store.close()
    meta.close()


# truth -------------------------------------------------------------------------------------
def visitors(visits: list[Visit]) -> int:
    return len({v.visitor for v in visits})


def by(visits: list[Visit], key: Callable[[Visit], Any]) -> dict[Any, int]:
    groups: dict[Any, set[int]] = defaultdict(set)
    for v in visits:
        groups[key(v)].add(v.visitor)
    return {k: len(s) for k, s in groups.items()}


# endpoints ---------------------------------------------------------------------------------
def test_total_is_exact(world: World) -> None:
    vs = world.visits
    answer = world.client.stats("total")
    assert answer == {
        "visitors": visitors(vs),
        "views": sum(len(v.pages) for v in vs),
        "sessions": len(vs),
        "bounces": sum(v.bounce for v in vs),
        "bounce_rate": pytest.approx(sum(v.bounce for v in vs) / len(vs)),
        "cr": 0.0,
        "custom_metric_avg": 0.0,
        "custom_metric_total": 0.0,
    }


def test_visitor_series_has_every_day_and_scale(world: World) -> None:
    days = world.client.stats("visitor")
    assert [d["day"] for d in days] == [
        "2026-11-02T00:00:00Z",
        "2026-11-03T00:00:00Z",
        "2026-11-04T00:00:00Z",
    ]
    per_day = by(world.visits, lambda v: v.day)
    assert [d["visitors"] for d in days] == [per_day.get(d[:10], 0) for d in PERIOD_DAYS]
    assert all(d["week"] is None and d["month"] is None and d["year"] is None for d in days)
    months = world.client.stats("visitor", scale="month")
    assert len(months) == 1
    assert months[0]["month"] == "2026-11-01T00:00:00Z" and months[0]["day"] is None
    assert months[0]["visitors"] == visitors(world.visits)


PERIOD_DAYS = ("2026-11-02", "2026-11-03", "2026-11-04")


def test_page_stats(world: World) -> None:
    answer = world.client.stats("page", include_avg_time_on_page="true")
    want = defaultdict(set)
    views: Counter[str] = Counter()
    for v in world.visits:
        for p in v.pages:
            want[p].add(v.visitor)
            views[p] += 1
    assert {a["path"]: a["visitors"] for a in answer} == {p: len(s) for p, s in want.items()}
    assert {a["path"]: a["views"] for a in answer} == dict(views)
    assert set(answer[0]) == {
        "path",
        "title",
        "visitors",
        "views",
        "sessions",
        "bounces",
        "relative_visitors",
        "relative_views",
        "bounce_rate",
        "average_time_spent_seconds",
    }
    assert [a["visitors"] for a in answer] == sorted((a["visitors"] for a in answer), reverse=True)
    # a page view lasts 60 s per later row of its visit (page view or event), at most three
    assert all(a["average_time_spent_seconds"] in range(0, 181) for a in answer)
    assert any(a["average_time_spent_seconds"] >= 60 for a in answer)
    plain = world.client.stats("page")
    assert all(a["average_time_spent_seconds"] == 0 for a in plain)


def test_entry_and_exit_pages(world: World) -> None:
    entries = world.client.stats("page/entry")
    want = Counter(v.pages[0] for v in world.visits)
    assert {e["path"]: e["entries"] for e in entries} == dict(want)
    assert all(0 < e["entry_rate"] <= 1 for e in entries)
    exits = world.client.stats("page/exit")
    assert {e["path"]: e["exits"] for e in exits} == dict(
        Counter(v.pages[-1] for v in world.visits)
    )
    assert set(exits[0]) == {"path", "title", "visitors", "sessions", "exits", "exit_rate"}


@pytest.mark.parametrize(
    ("name", "key", "truth"),
    [
        ("country", "country_code", lambda v: v.country.lower()),
        ("os", "os", lambda v: v.os[1]),
        ("browser", "browser", lambda v: v.browser[1]),
        ("language", "language", lambda v: v.language),
        ("utm/source", "utm_source", lambda v: v.referrer[1] if v.referrer[0] == 6 else None),
        ("utm/campaign", "utm_campaign", lambda v: v.referrer[4] if v.referrer[0] == 6 else None),
        ("hostname", "hostname", lambda v: "shop.example.com"),
    ],
)
def test_meta_stats(world: World, name: str, key: str, truth: Callable[[Visit], Any]) -> None:
    answer = world.client.stats(name)
    want = {k: n for k, n in by(world.visits, truth).items() if k is not None}
    assert {a[key]: a["visitors"] for a in answer} == want
    total = visitors(world.visits)
    if not name.startswith("utm"):
        assert {a[key]: a["relative_visitors"] for a in answer} == {
            k: pytest.approx(n / total) for k, n in want.items()
        }


def test_platform_and_screen(world: World) -> None:
    p = world.client.stats("platform")
    assert p["platform_desktop"] == by(world.visits, lambda v: v.device == 0).get(True, 0)
    assert p["platform_mobile"] == by(world.visits, lambda v: v.device == 1).get(True, 0)
    assert p["platform_unknown"] == by(world.visits, lambda v: v.device is None).get(True, 0)
    assert set(p) >= {"relative_platform_desktop", "relative_platform_mobile"}
    screens = {s["screen_class"]: s["visitors"] for s in world.client.stats("screen")}
    classes = {390: "XS", 1280: "L", 1920: "XL", 2560: "XXL"}
    want = by([v for v in world.visits if v.width], lambda v: classes[v.width])  # type: ignore[index]
    assert screens == want


def test_referrer_leaves_direct_out(world: World) -> None:
    answer = world.client.stats("referrer")
    assert [a["referrer_name"] for a in answer] == ["news.example.org", "newsletter"] or [
        a["referrer_name"] for a in answer
    ] == ["newsletter", "news.example.org"]
    news = next(a for a in answer if a["referrer_name"] == "news.example.org")
    assert news["referrer"] == "https://news.example.org/a"
    assert news["visitors"] == by(world.visits, lambda v: v.referrer[0] == 3)[True]
    assert news["referrer_icon"] == ""


def test_events_meta_and_list(world: World) -> None:
    events = {e["name"]: e for e in world.client.stats("events")}
    for name in ("Signup", "Download"):
        who = {v.visitor for v in world.visits if any(e[0] == name for e in v.events)}
        count = sum(1 for v in world.visits for e in v.events if e[0] == name)
        assert events[name]["visitors"] == len(who)
        assert events[name]["count"] == count
    assert events["Signup"]["meta_keys"] == ["plan"]
    assert events["Download"]["meta_keys"] == []
    meta = world.client.stats("event/meta", event="Signup", event_meta_key="plan")
    want = Counter(e[1]["plan"] for v in world.visits for e in v.events if e[0] == "Signup")
    assert {m["meta_value"]: m["count"] for m in meta} == dict(want)
    listed = world.client.stats("event/list")
    assert {(e["name"], tuple(e["meta"].items())): e["count"] for e in listed} == dict(
        Counter((e[0], tuple(e[1].items())) for v in world.visits for e in v.events)
    )


def test_event_meta_requires_event_and_key(world: World) -> None:
    r = world.client.get("/api/v1/statistics/event/meta", id=world.website, **PERIOD)
    assert r.status_code == 400
    assert r.json() == {"validation": {"event": "event is required"}, "error": []}


def test_hours_weekdays_growth_durations(world: World) -> None:
    hours = world.client.stats("hours")
    assert [h["hour"] for h in hours] == list(range(24))
    want = by(world.visits, lambda v: datetime.fromtimestamp(v.start, UTC).hour)
    assert {h["hour"]: h["visitors"] for h in hours if h["visitors"]} == want
    minutes = world.client.stats("minutes")
    assert [m["minute"] for m in minutes] == list(range(60))
    by_minute = by(world.visits, lambda v: datetime.fromtimestamp(v.start, UTC).minute)
    assert {m["minute"]: m["visitors"] for m in minutes if m["visitors"]} == by_minute
    sessions_by_minute = Counter(datetime.fromtimestamp(v.start, UTC).minute for v in world.visits)
    assert {m["minute"]: m["sessions"] for m in minutes if m["sessions"]} == sessions_by_minute
    assert set(minutes[0]) == {"minute", *(k for k in hours[0] if k != "hour")}
    # the minute is read in the filter's timezone: Kathmandu is UTC+5:45
    kathmandu = ZoneInfo("Asia/Kathmandu")
    local = [datetime.fromtimestamp(v.start, kathmandu) for v in world.visits]
    inside = [v for v, t in zip(world.visits, local, strict=True) if str(t.date()) in PERIOD_DAYS]
    shifted = world.client.stats("minutes", tz="Asia/Kathmandu")
    assert {m["minute"]: m["visitors"] for m in shifted if m["visitors"]} == by(
        inside, lambda v: datetime.fromtimestamp(v.start, kathmandu).minute
    )
    weekdays = world.client.stats("weekdays")
    assert [(w["weekday"], w["hour"]) for w in weekdays] == [
        (d, h) for d in range(7) for h in range(24)
    ]
    cells = Counter(
        (datetime.fromtimestamp(v.start, UTC).weekday(), datetime.fromtimestamp(v.start, UTC).hour)
        for v in world.visits
    )
    assert {(w["weekday"], w["hour"]): w["sessions"] for w in weekdays if w["sessions"]} == cells
    growth = world.client.stats("growth")
    assert growth["visitors_growth"] == 0.0  # nothing in the period before
    assert set(growth) >= {"views_growth", "sessions_growth", "bounces_growth", "time_spent_growth"}
    sessions = world.client.stats("duration/session")
    assert len(sessions) == 3 and set(sessions[0]) == {
        "day",
        "week",
        "month",
        "year",
        "path",
        "title",
        "average_time_spent_seconds",
    }


def test_tags(world: World) -> None:
    tags = world.client.stats("tags")
    tagged = [v for v in world.visits if v.tags]
    assert [t["key"] for t in tags] == ["author"]  # event metadata ("plan") is no tag
    assert tags[0]["visitors"] == visitors(tagged)
    assert tags[0]["views"] == sum(len(v.pages) for v in tagged)
    assert tags[0]["value"] == ""  # Pirsch's TagStats always carries `value`
    details = world.client.stats("tag/details", search="author")
    assert {d["value"]: d["views"] for d in details} == dict(
        Counter(v.tags["author"] for v in tagged for _ in v.pages)
    )


MAIN = {"visitors", "views", "sessions", "bounces", "bounce_rate", "cr"}
CUSTOM = {"custom_metric_avg", "custom_metric_total"}
META = {"visitors", "relative_visitors"}
PAGE = {"path", "title", "visitors", "views", "sessions", "bounces"} | {
    "relative_visitors",
    "relative_views",
    "bounce_rate",
    "average_time_spent_seconds",
}
SCALE = {"day", "week", "month", "year"}
#: api-notes §5 (and the 2024 docs for the endpoints added later): every key of each shape
SHAPES: dict[str, tuple[dict[str, str], set[str]]] = {
    "total": ({}, MAIN | CUSTOM),
    "visitor": ({}, SCALE | MAIN | CUSTOM),
    "duration/session": ({}, SCALE | {"path", "title", "average_time_spent_seconds"}),
    "duration/page": ({}, SCALE | {"path", "title", "average_time_spent_seconds"}),
    "page": ({}, PAGE),
    "page/entry": (
        {},
        {"path", "title", "visitors", "sessions", "entries", "entry_rate"}
        | {"average_time_spent_seconds"},
    ),
    "page/exit": ({}, {"path", "title", "visitors", "sessions", "exits", "exit_rate"}),
    "event/page": ({}, PAGE),
    "events": (
        {},
        {"name", "count", "visitors", "views", "cr", "average_duration_seconds"}
        | {"meta_keys", "meta_value"},
    ),
    "event/meta": (
        {"event": "Signup", "event_meta_key": "plan"},
        {"name", "count", "visitors", "views", "cr", "average_duration_seconds"}
        | {"meta_keys", "meta_value"},
    ),
    "event/list": ({}, {"name", "meta", "visitors", "count"}),
    "growth": (
        {},
        {f"{k}_growth" for k in ("visitors", "views", "sessions", "bounces")}
        | {"time_spent_growth", "cr_growth", "custom_metric_avg_growth"}
        | {"custom_metric_total_growth"},
    ),
    "active": ({"start": "3600"}, {"stats", "visitors", "countries"}),
    "hours": ({}, {"hour"} | MAIN | CUSTOM),
    "minutes": ({}, {"minute"} | MAIN | CUSTOM),
    "weekdays": ({}, {"weekday", "hour", "visitors", "views", "sessions", "bounces"}),
    "language": ({}, META | {"language"}),
    "referrer": (
        {},
        {"referrer", "referrer_name", "referrer_icon", "visitors", "sessions"}
        | {"relative_visitors", "bounces", "bounce_rate"},
    ),
    "os": ({}, META | {"os"}),
    "os/version": ({}, META | {"os", "os_version"}),
    "browser": ({}, META | {"browser"}),
    "browser/version": ({}, META | {"browser", "browser_version"}),
    "country": ({}, META | {"country_code"}),
    "region": ({}, META | {"country_code", "region"}),
    "city": ({}, META | {"country_code", "region", "city"}),
    "platform": (
        {},
        {f"{r}platform_{p}" for r in ("", "relative_") for p in ("desktop", "mobile", "unknown")},
    ),
    "screen": ({}, META | {"screen_class"}),
    "channel": ({}, META | {"channel"}),
    "hostname": (
        {},
        {"hostname", "visitors", "views", "sessions", "bounces"}
        | {"relative_visitors", "relative_views", "bounce_rate"},
    ),
    "utm/source": ({}, META | {"utm_source"}),
    "utm/medium": ({}, META | {"utm_medium"}),
    "utm/campaign": ({}, META | {"utm_campaign"}),
    "utm/content": ({}, META | {"utm_content"}),
    "utm/term": ({}, META | {"utm_term"}),
    "goals": ({}, {"page_goal", "stats"}),
    "tags": ({}, {"key", "value", "visitors", "views", "relative_visitors", "relative_views"}),
    "tag/details": (
        {},
        {"key", "value", "visitors", "views", "relative_visitors"} | {"relative_views"},
    ),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_field_of_each_shape(world: World, name: str) -> None:
    """Every key of the shape, nothing else, on every item (api-notes §5: no omitted keys)."""
    params, keys = SHAPES[name]
    answer = world.client.stats(name, **params)
    items = answer if isinstance(answer, list) else [answer]
    assert items, f"{name} answered nothing to check"
    for item in items:
        assert set(item) == keys, (name, set(item) ^ keys)


def test_every_statistics_endpoint_has_a_shape() -> None:
    from footfall.api.pirsch.statistics import ANSWERS

    assert set(ANSWERS) - set(SHAPES) == {"keywords", "funnel"}  # always []; test_funnel


def test_hostname_counts_page_views_per_host(world: World) -> None:
    [host] = world.client.stats("hostname")
    assert host["hostname"] == "shop.example.com"
    assert host["views"] == sum(len(v.pages) for v in world.visits)
    assert (host["visitors"], host["sessions"]) == (visitors(world.visits), len(world.visits))
    assert host["relative_visitors"] == host["relative_views"] == 1.0


def test_goals_and_keywords(world: World) -> None:
    goals = {g["page_goal"]["name"]: g for g in world.client.stats("goals")}
    assert set(goals) == {"Pricing", "Docs"}
    docs = goals["Docs"]["page_goal"]
    assert (docs["path_pattern"], docs["pattern"], docs["visitor_goal"]) == ("/docs", "^/docs$", 10)
    assert docs["email_reached"] is True and docs["def_time"].endswith("Z")
    assert goals["Pricing"]["stats"] == {"visitors": 0, "views": 0, "cr": 0.0}
    assert world.client.stats("keywords") == []


# filters -----------------------------------------------------------------------------------
FIRST_VISITOR = generate()[0].visitor
FILTERS: list[tuple[dict[str, Any], Callable[[Visit], bool]]] = [
    ({"country": "pl"}, lambda v: v.country == "PL"),
    ({"country": "!pl"}, lambda v: v.country != "PL"),
    ({"country": ["pl", "de"]}, lambda v: v.country in ("PL", "DE")),
    ({"os": "Windows"}, lambda v: v.os[0] == "WIN"),
    ({"browser": "firefox"}, lambda v: v.browser[0] == "FF"),
    ({"language": "pl"}, lambda v: v.language == "pl"),
    ({"platform": "desktop"}, lambda v: v.device == 0),
    ({"platform": "mobile"}, lambda v: v.device == 1),
    ({"platform": "unknown"}, lambda v: v.device is None),
    ({"platform": "!unknown"}, lambda v: v.device is not None),
    ({"screen_class": "XL"}, lambda v: v.width == 1920),
    ({"referrer_name": "news.example.org"}, lambda v: v.referrer[0] == 3),
    ({"referrer": "~news"}, lambda v: v.referrer[0] == 3),
    ({"referrer": "null"}, lambda v: v.referrer[2] == ""),
    ({"referrer": "^news"}, lambda v: v.referrer[0] != 3),
    ({"utm_source": "newsletter"}, lambda v: v.referrer[0] == 6),
    ({"utm_medium": "email"}, lambda v: v.referrer[0] == 6),
    ({"utm_campaign": "spring"}, lambda v: v.referrer[0] == 6),
    ({"channel": "Referral"}, lambda v: v.referrer[0] == 3),
    ({"entry_path": "/pricing"}, lambda v: v.pages[0] == "/pricing"),
    ({"exit_path": "/docs"}, lambda v: v.pages[-1] == "/docs"),
    ({"path": "", "limit": "0", "tz": "", "scale": ""}, lambda v: True),
    ({"session_id": "5"}, lambda v: v.sid == 5),
    ({"visitor_id": str(FIRST_VISITOR)}, lambda v: v.visitor == FIRST_VISITOR),
]


@pytest.mark.parametrize(("params", "keep"), FILTERS, ids=[str(p) for p, _ in FILTERS])
def test_session_filters(
    world: World, params: dict[str, Any], keep: Callable[[Visit], bool]
) -> None:
    answer = world.client.stats("total", **params)
    kept = [v for v in world.visits if keep(v)]
    assert answer["visitors"] == visitors(kept)
    assert answer["sessions"] == len(kept)


EVENT_FILTERS: list[tuple[dict[str, Any], Callable[[Visit, str], bool]]] = [
    ({"path": "/pricing"}, lambda v, p: p == "/pricing"),
    ({"path": ["/pricing", "/docs"]}, lambda v, p: p in ("/pricing", "/docs")),
    ({"path": "!/"}, lambda v, p: p != "/"),
    ({"path": "~blog"}, lambda v, p: "blog" in p),
    ({"pattern": r"^/blog/[^/]+$"}, lambda v, p: p.startswith("/blog/")),
    ({"pattern": r"(?i)^/DOCS$"}, lambda v, p: p == "/docs"),
    ({"tag_author": "ann"}, lambda v, p: v.tags.get("author") == "ann"),
    ({"tag": "author"}, lambda v, p: "author" in v.tags),
]


@pytest.mark.parametrize(("params", "keep"), EVENT_FILTERS, ids=[str(p) for p, _ in EVENT_FILTERS])
def test_page_view_filters(
    world: World, params: dict[str, Any], keep: Callable[[Visit, str], bool]
) -> None:
    answer = world.client.stats("total", **params)
    views = [(v, p) for v in world.visits for p in v.pages if keep(v, p)]
    assert answer["views"] == len(views)
    assert answer["visitors"] == len({v.visitor for v, _ in views})
    assert 0 < answer["cr"] <= 1


def test_event_filters(world: World) -> None:
    signup = world.client.stats("events", event="Signup")
    assert [e["name"] for e in signup] == ["Signup"]
    pro = world.client.stats("events", meta_plan="pro")
    want = sum(1 for v in world.visits for e in v.events if e[1].get("plan") == "pro")
    assert [(e["name"], e["count"]) for e in pro] == [("Signup", want)]
    # the tags of an event's hit filter events, and are no metadata filter
    by_ann = world.client.stats("events", tag_author="ann")
    want_ann = Counter(
        e[0] for v in world.visits if v.tags.get("author") == "ann" for e in v.events
    )
    assert {e["name"]: e["count"] for e in by_ann} == dict(want_ann)
    assert world.client.stats("events", meta_author="ann") == []


def test_sort_direction_limit_offset_search(world: World) -> None:
    by_path = world.client.stats("page", sort="path", direction="asc")
    assert [p["path"] for p in by_path] == sorted(PATHS)
    first = world.client.stats("page", sort="path", direction="asc", limit=2)
    second = world.client.stats("page", sort="path", direction="asc", limit=2, offset=2)
    assert [p["path"] for p in first + second] == sorted(PATHS)[:4]
    assert [p["path"] for p in world.client.stats("page", search="blog")] in (
        ["/blog/a", "/blog/b"],
        ["/blog/b", "/blog/a"],
    )
    assert len(world.client.stats("page", limit=1000)) == len(PATHS)  # limit ≤ 100


def test_iso_datetimes_and_tz(world: World) -> None:
    iso = world.client.stats(
        "total", **{"from": "2026-11-02T00:00:00.000Z", "to": "2026-11-04T00:00:00.000Z"}
    )
    assert iso["visitors"] == visitors(world.visits)
    one = world.client.stats("total", **{"from": "2026-11-03", "to": "2026-11-03"})
    assert one["sessions"] == sum(v.day == "2026-11-03" for v in world.visits)
    shifted = world.client.stats(
        "total", **{"from": "2026-11-03", "to": "2026-11-03", "tz": "Asia/Tokyo"}
    )
    tokyo = [v for v in world.visits if 86400 - 9 * 3600 <= v.start - DAY0 < 2 * 86400 - 9 * 3600]
    assert shifted["sessions"] == len(tokyo)


def test_website_guard(world: World) -> None:
    mine = world.client.stats("total")
    other = world.client.stats("total", id=world.other)
    assert other["sessions"] == 10 and mine["sessions"] == len(world.visits)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": ""}, "to"),
        ({"to": "2026-11-01"}, "to"),
        ({"scale": "decade"}, "scale"),
        ({"tz": "Mars/Base"}, "tz"),
        ({"direction": "up"}, "direction"),
        ({"limit": "-1"}, "limit"),
        ({"start": "7200"}, "start"),
        ({"pattern": "(?=x)"}, "pattern"),
        ({"pattern": "(["}, "pattern"),
        ({"platform": "tv"}, "platform"),
        ({"screen_class": "XXXL"}, "screen_class"),
        ({"channel": "radio"}, "channel"),
        ({"session_id": "-1"}, "session_id"),
        ({"visitor_id": "18446744073709551616"}, "visitor_id"),
        ({"include_title": "yes"}, "include_title"),
    ],
)
def test_bad_filters_name_the_field(world: World, params: dict[str, Any], field: str) -> None:
    query = {"id": world.website, **PERIOD, **params}
    r = world.client.get("/api/v1/statistics/total", **query)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation"]


def test_unknown_domain_and_missing_token(world: World) -> None:
    missing = world.client.get(
        "/api/v1/statistics/total", id="00000000-0000-4000-8000-000000000000", **PERIOD
    )
    assert missing.status_code == 404
    assert world.client.get("/api/v1/statistics/total", id="nope", **PERIOD).status_code == 404
    r = world.client.get("/api/v1/statistics/total", token="", id=world.website, **PERIOD)
    assert r.status_code == 401
    assert set(r.json()) == {"validation", "error"}
    assert world.client.get("/api/v1/statistics/total", **PERIOD).status_code == 400


def test_active_visitors(world: World) -> None:
    active = world.client.stats("active", start="60")
    assert active == {"visitors": 0, "stats": [], "countries": []}


def test_scope_denials(world: World) -> None:
    """Reading needs the statistics scope; a domain client sees its own domain only."""
    query = {"id": world.website, **PERIOD}
    total = "/api/v1/statistics/total"
    reader = world.client.get(total, token=world.tokens["reader"], **query)
    assert reader.status_code == 200 and reader.json()["sessions"] == len(world.visits)
    for name in ("writer", "key"):
        r = world.client.get(total, token=world.tokens[name], **query)
        assert r.status_code == 403, name
        assert r.json()["error"] == ["the client lacks the statistics scope (r)"]
    other = world.client.get(total, token=world.tokens["reader"], **{**query, "id": world.other})
    assert other.status_code == 404


def test_include_title_groups_pages_by_title(world: World) -> None:
    titled = world.client.stats("page", include_title="true")
    assert {(p["path"], p["title"]) for p in titled} == {(p, f"Title {p}") for p in PATHS}
    assert sum(p["views"] for p in titled) == sum(len(v.pages) for v in world.visits)


def in_order(visit: Visit, steps: list[Callable[[Visit, str], bool]]) -> int:
    """How many steps one visit went through in order (a step may match the page of the
    previous one: a session-level step does)."""
    at, done = 0, 0
    for step in steps:
        found = next((i for i in range(at, len(visit.pages)) if step(visit, visit.pages[i])), None)
        if found is None:
            break
        at, done = found, done + 1
    return done


def funnel_truth(visits: list[Visit], steps: list[Callable[[Visit, str], bool]]) -> list[int]:
    reached = [in_order(v, steps) for v in visits]
    return [
        len({v.visitor for v, n in zip(visits, reached, strict=True) if n > k})
        for k in range(len(steps))
    ]


def test_funnel(world: World) -> None:
    answer = world.client.stats("funnel", funnel_id=world.funnel_id)
    assert answer["definition"]["name"] == "Buy"
    assert [s["name"] for s in answer["definition"]["steps"]] == ["Home", "Pricing"]
    home, both = funnel_truth(world.visits, [lambda v, p: p == "/", lambda v, p: p == "/pricing"])
    # the traffic has visits that saw /pricing only before /: they must not count
    unordered = {v.visitor for v in world.visits if "/" in v.pages} & {
        v.visitor for v in world.visits if "/pricing" in v.pages
    }
    assert len(unordered) > both
    first, second = answer["data"]
    assert first == {
        "step": 1,
        "visitors": home,
        "relative_visitors": 1.0,
        "previous_visitors": 0,
        "relative_previous_visitors": 0.0,
        "dropped": 0,
        "drop_off": 0.0,
    }
    assert (second["visitors"], second["dropped"]) == (both, home - both)
    assert second["previous_visitors"] == home and second["relative_previous_visitors"] == 1.0
    assert second["relative_visitors"] == pytest.approx(both / home)
    assert second["drop_off"] == pytest.approx(1 - both / home)
    assert world.client.get("/api/v1/statistics/funnel", id=world.website, **PERIOD).json() == {
        "validation": {"funnel_id": "funnel_id is required"},
        "error": [],
    }
    missing = world.client.get(
        "/api/v1/statistics/funnel", id=world.other, funnel_id=world.funnel_id, **PERIOD
    )
    assert missing.status_code == 404


def test_funnel_steps_in_order_within_a_visit(world: World) -> None:
    """/pricing, then (on that page or later) a Polish visit, then / after it: out-of-order
    visits and a step that only says something of the session."""
    answer = world.client.stats("funnel", funnel_id=world.back_funnel_id)
    want = funnel_truth(
        world.visits,
        [
            lambda v, p: p == "/pricing",
            lambda v, p: v.country == "PL",
            lambda v, p: p == "/",
        ],
    )
    assert [s["visitors"] for s in answer["data"]] == want
    assert want[2] > 0 and want[2] < want[1] < want[0]
