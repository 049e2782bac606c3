"""drop_excluded: drops hits from excluded IPs, excluded user agents and unknown URLs (DATA-MODEL §4.1 pre-checks)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import HostPatterns, PerApp, app_hosts, host_of, strip_www

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class _Rules:
    """An app's exclusion lists, parsed once."""

    addresses: frozenset[Address]
    networks: tuple[Network, ...]
    wildcards: re.Pattern[str] | None
    agents: tuple[str, ...]
    hosts: HostPatterns[bool]


def _parse_ip_rule(rule: str) -> Address | Network | str | None:
    """An address, a network, or a wildcard regex source; None when unusable."""
    rule = rule.strip()
    if "*" in rule:
        parts = rule.split(".")
        stars = len(parts) - len([p for p in parts if p != "*"])
        # trailing stars only ("10.0.*.*") is a CIDR range; anything else a regex on the text
        if (
            len(parts) == 4
            and parts[4 - stars :] == ["*"] * stars
            and "*" not in parts[: 4 - stars]
        ):
            fixed = [*parts[: 4 - stars], *["0"] * stars]
            try:
                return ipaddress.ip_network(".".join(fixed) + f"/{32 - 8 * stars}")
            except ValueError:
                return None
        return re.escape(rule.lower()).replace(r"\*", r"[0-9a-f:]*")
    try:
        return (
            ipaddress.ip_network(rule, strict=False) if "/" in rule else ipaddress.ip_address(rule)
        )
    except ValueError:
        return None


def _build(app: AppSettings) -> _Rules:
    addresses: set[Address] = set()
    networks: list[Network] = []
    wildcards: list[str] = []
    for rule in app.excluded_ips:
        parsed = _parse_ip_rule(rule)
        if isinstance(parsed, str):
            wildcards.append(parsed)
        elif isinstance(parsed, ipaddress.IPv4Network | ipaddress.IPv6Network):
            networks.append(parsed)
        elif parsed is not None:
            addresses.add(parsed)
    agents = tuple(a.strip().lower() for a in app.excluded_user_agents if a.strip())
    regex = re.compile("|".join(wildcards)) if wildcards else None
    return _Rules(frozenset(addresses), tuple(networks), regex, agents, app_hosts(app))


_rules = PerApp(_build)


def _ip_excluded(ip: str, rules: _Rules) -> bool:
    if not (rules.addresses or rules.networks or rules.wildcards) or not ip:
        return False
    if rules.wildcards is not None and rules.wildcards.fullmatch(ip.lower()):
        return True
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr in rules.addresses or any(addr in net for net in rules.networks)


def drop_excluded(hit: Hit, app: AppSettings) -> Reason | None:
    """Drops a hit whose IP, user agent or URL host the app excludes (TS `excluded_*`)."""
    rules = _rules.get(app)
    if _ip_excluded(hit.ip, rules):
        return Reason.EXCLUDED_IP
    if rules.agents:
        ua = hit.user_agent.lower()
        if any(agent in ua for agent in rules.agents):
            return Reason.EXCLUDED_USER_AGENT
    # why: TS `exclude_unknown_urls` keeps only hits whose url host is one of the app's urls
    if app.exclude_unknown_urls and not rules.hosts.match(strip_www(host_of(hit.url))):
        return Reason.EXCLUDED_UNKNOWN_URL
    return None
