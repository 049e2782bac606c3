"""Helpers shared by the steps: per-app parsed settings, host patterns, URL pieces, data files.

Speed: the steps run on every hit, so what depends only on a few input strings (a URL, an IP, a
user agent) plus some app settings is memoized in bounded module-level LRU caches. Settings take
part in those keys as an `Interned` value: equal settings (the directory hands out a new
AppSettings object every second or so) give the same object, which hashes by identity (cheap) and
stays alive as long as a cache entry names it, so a changed setting is a different key.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any, Final, Generic, TypeVar, cast
from urllib.parse import unquote_plus

from footfall.model.settings import AppSettings

T = TypeVar("T")

# any country TLD: "de", "com", "co.uk", "com.br" (what ".*" stands for in our host patterns)
_TLD = r"(?:[a-z]{2,3}|(?:co|com|org|net|gov|edu|ac|or|ne|gob|go)\.[a-z]{2})"


#: entries of each per-URL (or per-referrer) step cache; ~300 bytes an entry with its key string
URL_CACHE_SIZE: Final = 8192
#: bound of the `Interned` pool (distinct settings values at once); cleared when full
_POOL_SIZE: Final = 4096
_pool: dict[tuple[str, object], Interned[Any]] = {}


class Interned(Generic[T]):
    """An immutable settings value shared by every app with equal settings; hashes by identity."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


def interned(kind: str, value: T) -> Interned[T]:
    """The one Interned holding `value` (hashable) for this `kind` of settings."""
    key = (kind, value)
    found = _pool.get(key)
    if found is None:
        if len(_pool) >= _POOL_SIZE:
            _pool.clear()  # live entries keep their objects; equal values just get a new one
        found = _pool[key] = Interned(value)
    return cast("Interned[T]", found)


class PerApp(Generic[T]):
    """Parses some AppSettings lists once per AppSettings object (apps are frozen, read live)."""

    def __init__(self, build: Callable[[AppSettings], T], size: int = 4096) -> None:
        self._build = build
        self._size = size
        # id -> (app, parsed): the app is kept so its id cannot be reused while cached
        self._cache: dict[int, tuple[AppSettings, T]] = {}

    def get(self, app: AppSettings) -> T:
        """The parsed value for `app`, built on first use."""
        hit = self._cache.get(id(app))
        if hit is not None and hit[0] is app:
            return hit[1]
        if len(self._cache) >= self._size:
            self._cache.clear()
        value = self._build(app)
        self._cache[id(app)] = (app, value)
        return value


class HostPatterns(Generic[T]):
    """Maps a host to a value by exact host, `*.` (any subdomain) or `.*` (any country TLD)."""

    def __init__(self, patterns: Iterable[tuple[str, T]]) -> None:
        self._exact: dict[str, T] = {}
        regexes: list[str] = []
        self._values: list[T] = []
        for pattern, value in patterns:
            p = pattern.lower()
            if "*" not in p:
                self._exact.setdefault(p, value)
                continue
            rx = re.escape(p).replace(r"\*\.", r"(?:[a-z0-9-]+\.)+").replace(r"\.\*", r"\." + _TLD)
            regexes.append(f"(?P<g{len(self._values)}>{rx})")
            self._values.append(value)
        self._regex = re.compile("|".join(regexes)) if regexes else None
        self.match = functools.lru_cache(maxsize=8192)(self._match)

    def _match(self, host: str) -> T | None:
        if host in self._exact:
            return self._exact[host]
        if self._regex is not None:
            m = self._regex.fullmatch(host)
            if m is not None and m.lastgroup is not None:
                return self._values[int(m.lastgroup[1:])]
        return None


def host_of(url: str) -> str:
    """Lowercase host of an absolute URL without port or credentials; '' when there is none."""
    start = url.find("//")
    if start < 0:
        return ""
    rest = url[start + 2 :]
    for sep in "/?#":
        cut = rest.find(sep)
        if cut >= 0:
            rest = rest[:cut]
    rest = rest.rpartition("@")[2]
    if rest.startswith("["):  # IPv6 literal
        return rest[1:].partition("]")[0].lower()
    return rest.partition(":")[0].lower().rstrip(".")


def strip_www(host: str) -> str:
    """`www.example.com` → `example.com`."""
    return host[4:] if host.startswith("www.") else host


def app_hosts(app: AppSettings) -> HostPatterns[bool]:
    """The app's own hosts from `urls` (`*.example.com` also matches subdomains), www-insensitive."""
    return _hosts_of(tuple(app.urls))


@functools.lru_cache(maxsize=1024)
def _hosts_of(urls: tuple[str, ...]) -> HostPatterns[bool]:
    # one HostPatterns (and match cache) per distinct `urls`, so equal settings share it
    patterns: list[tuple[str, bool]] = []
    for url in urls:
        host = host_of(url if "//" in url else "//" + url)
        if host.startswith("*."):
            patterns += [(host, True), (host[2:], True)]
        elif host:
            patterns.append((strip_www(host), True))
    return HostPatterns(patterns)


def query_params(url: str, fragment_too: bool = True) -> dict[str, str]:
    """Lowercased parameter names → last value, query first, then the fragment (which wins)."""
    base, _, fragment = url.partition("#")
    out: dict[str, str] = {}
    parts = [base.partition("?")[2]]
    if fragment_too and fragment:
        parts.append(fragment.rpartition("?")[2])
    for part in parts:
        for pair in part.split("&"):
            if not pair:
                continue
            name, _, value = pair.partition("=")
            out[unquote_plus(name).strip().lower()] = unquote_plus(value).strip()
    return out


def load_json(name: str) -> Any:
    """A JSON data file of `footfall/data`."""
    return json.loads(resources.files("footfall.data").joinpath(name).read_text("utf-8"))
