"""drop_excluded: drops hits from excluded IPs, excluded user agents and unknown URLs (DATA-MODEL §4.1 pre-checks)."""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import HostPatterns, Interned, PerApp, app_hosts, host_of, interned, strip_www

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class _Rules:
    """An app's exclusion lists, parsed once; IPv4 rules also as integers for the fast path."""

    addresses: frozenset[Address]
    networks: tuple[Network, ...]
    wildcards: re.Pattern[str] | None
    agents: Interned[tuple[str, ...]]
    hosts: HostPatterns[bool]
    any_ip: bool  #: some IP rule is configured
    v4_addresses: frozenset[int]
    v4_networks: tuple[tuple[int, int], ...]  #: (network, netmask)


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
    v4_networks = tuple(
        (int(n.network_address), int(n.netmask))
        for n in networks
        if isinstance(n, ipaddress.IPv4Network)
    )
    return _Rules(
        addresses=frozenset(addresses),
        networks=tuple(networks),
        wildcards=regex,
        agents=interned("excluded_user_agents", agents),
        hosts=app_hosts(app),
        any_ip=bool(addresses or networks or regex),
        v4_addresses=frozenset(int(a) for a in addresses if isinstance(a, ipaddress.IPv4Address)),
        v4_networks=v4_networks,
    )


_rules = PerApp(_build)


_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
#: a dotted quad exactly as `ipaddress` accepts it: ASCII digits, no leading zero, at most 255
_DOTTED_QUAD = re.compile(r"\.".join([_OCTET] * 4))


def _ipv4_int(ip: str) -> int | None:
    """A dotted quad as `ipaddress.IPv4Address` parses it, as an integer; None for anything else."""
    m = _DOTTED_QUAD.fullmatch(ip)
    if m is None:
        return None
    a, b, c, d = m.groups()
    return int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)


def _ip_excluded(ip: str, rules: _Rules) -> bool:
    if not rules.any_ip or not ip:
        return False
    if rules.wildcards is not None and rules.wildcards.fullmatch(ip.lower()):
        return True
    v4 = _ipv4_int(ip)
    if v4 is not None:  # the common case, without building an address object
        if v4 in rules.v4_addresses:
            return True
        return any(v4 & mask == net for net, mask in rules.v4_networks)
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
    if rules.agents.value and _agent_excluded(hit.user_agent, rules.agents):
        return Reason.EXCLUDED_USER_AGENT
    # why: TS `exclude_unknown_urls` keeps only hits whose url host is one of the app's urls
    if app.exclude_unknown_urls and not rules.hosts.match(strip_www(host_of(hit.url))):
        return Reason.EXCLUDED_UNKNOWN_URL
    return None


@functools.lru_cache(maxsize=4096)
def _agent_excluded(user_agent: str, agents: Interned[tuple[str, ...]]) -> bool:
    """Whether one of the lowercased substrings occurs in the user agent (a few dozen UAs recur)."""
    ua = user_agent.lower()
    return any(agent in ua for agent in agents.value)
