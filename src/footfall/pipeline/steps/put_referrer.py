"""put_referrer: search engine, social, website or direct channel from `urlref` (DATA-MODEL §1.3 steps 2-5)."""

from __future__ import annotations

from typing import NamedTuple

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import HostPatterns, PerApp, app_hosts, host_of, load_json, query_params, strip_www

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


def put_referrer(hit: Hit, app: AppSettings) -> Reason | None:
    """Classifies the referrer unless put_campaign already found a campaign."""
    if hit.referrer_type == CAMPAIGN:
        return None
    ref = hit.referrer_url.strip()
    host = host_of(ref)
    bare = strip_www(host)
    # why: internal = one of the app's urls (TS `urls`) or the page's own host → direct
    if not bare or _own_hosts.get(app).match(bare) or bare == strip_www(host_of(hit.url)):
        hit.referrer_type, hit.source, hit.medium = DIRECT, "direct", "direct"
        return None
    engine = SEARCH_ENGINES.match(host)
    if engine is not None:
        hit.referrer_type, hit.source, hit.medium = SEARCH_ENGINE, engine.name, "organic"
        hit.keyword = _keyword(ref, engine.params)
        return None
    network = SOCIAL_NETWORKS.match(host)
    if network is not None:
        hit.referrer_type, hit.source, hit.medium = SOCIAL, network, "organic"
        return None
    hit.referrer_type, hit.source, hit.medium = WEBSITE, bare, "referral"
    return None
