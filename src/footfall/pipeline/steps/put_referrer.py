"""put_referrer: search engine, social, website or direct channel from `urlref` (DATA-MODEL §1.3 steps 2-5)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import (
    URL_CACHE_SIZE,
    HostPatterns,
    PerApp,
    app_hosts,
    host_of,
    load_json,
    query_params,
    strip_www,
)

DIRECT, SEARCH_ENGINE, WEBSITE, CAMPAIGN, SOCIAL = 1, 2, 3, 6, 7  # referrer_type (DATA-MODEL §2)


class Engine(NamedTuple):
    """A search engine: its source name (lowercase, as `google / organic`) and keyword parameters."""

    name: str
    params: tuple[str, ...]


def _engines() -> HostPatterns[Engine]:
    data = load_json("search_engines.json")["engines"]
    return HostPatterns(
        (host, Engine(name.lower(), tuple(spec["params"])))
        for name, spec in data.items()
        for host in spec["hosts"]
    )


def _networks() -> HostPatterns[str]:
    data = load_json("social_networks.json")["networks"]
    return HostPatterns((host, name.lower()) for name, hosts in data.items() for host in hosts)


SEARCH_ENGINES = _engines()
SOCIAL_NETWORKS = _networks()
_own_hosts = PerApp(app_hosts)


def _keyword(referrer: str, params: tuple[str, ...]) -> str:
    values = query_params(referrer)
    for name in params:
        if values.get(name):
            return values[name]
    return ""


class _Channel(NamedTuple):
    """What a referrer URL alone says (cached): type, source, medium, keyword, bare host."""

    type: int
    source: str
    medium: str
    keyword: str | None  #: None: leave the hit's keyword alone
    bare: str  #: referrer host without www. ("" when there is none)


_DIRECT = _Channel(DIRECT, "direct", "direct", None, "")


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _channel(ref: str, own: HostPatterns[bool]) -> _Channel:
    """The channel of a (stripped) referrer for an app's own hosts, before the page-host check."""
    host = host_of(ref)
    bare = strip_www(host)
    # why: internal = one of the app's urls (TS `urls`) → direct
    if not bare or own.match(bare):
        return _DIRECT
    engine = SEARCH_ENGINES.match(host)
    if engine is not None:
        return _Channel(SEARCH_ENGINE, engine.name, "organic", _keyword(ref, engine.params), bare)
    network = SOCIAL_NETWORKS.match(host)
    if network is not None:
        return _Channel(SOCIAL, network, "organic", None, bare)
    return _Channel(WEBSITE, bare, "referral", None, bare)


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _page_host(url: str) -> str:
    return strip_www(host_of(url))


def put_referrer(hit: Hit, app: AppSettings) -> Reason | None:
    """Classifies the referrer unless put_campaign already found a campaign."""
    if hit.referrer_type == CAMPAIGN:
        return None
    ref = hit.referrer_url.strip()
    channel = _channel(ref, _own_hosts.get(app)) if ref else _DIRECT
    # why: a referrer on the page's own host is internal too → direct
    if channel.type == DIRECT or channel.bare == _page_host(hit.url):
        hit.referrer_type, hit.source, hit.medium = DIRECT, "direct", "direct"
        return None
    hit.referrer_type, hit.source, hit.medium = channel.type, channel.source, channel.medium
    if channel.keyword is not None:
        hit.keyword = channel.keyword
    return None
