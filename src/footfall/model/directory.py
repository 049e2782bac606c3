"""AppDirectory: how the collector and the pipeline see apps, without knowing the metadata store."""

from __future__ import annotations

from typing import Protocol

from footfall.model.settings import AppSettings


class AppDirectory(Protocol):
    """Read side of the apps and their effective tracker settings; implementations cache briefly
    (a change through the API or CLI is visible within a second or two)."""

    def resolve(self, idsite: str) -> str | None:
        """The app UUID for an `idsite` given as UUID or integer alias; None when unknown."""
        ...

    def settings(self, website_id: str) -> AppSettings | None:
        """The effective settings of an app (app values over global ones); None when unknown."""
        ...

    def app_for_host(self, host: str) -> str | None:
        """The UUID of the first app whose urls match `host` (bare host or URL); None when none."""
        ...


class StaticDirectory:
    """An in-memory AppDirectory over a fixed list of settings (tests, benchmarks, import tools)."""

    def __init__(self, apps: list[AppSettings]) -> None:
        self._by_id = {a.website_id: a for a in apps}
        self._by_alias = {str(a.alias): a.website_id for a in apps if a.alias}

    def resolve(self, idsite: str) -> str | None:
        s = idsite.strip().lower()
        if s in self._by_id:
            return s
        return self._by_alias.get(s)

    def settings(self, website_id: str) -> AppSettings | None:
        return self._by_id.get(website_id)

    def app_for_host(self, host: str) -> str | None:
        from urllib.parse import urlsplit

        h = (urlsplit(host).hostname if "//" in host else host.split("/")[0].split(":")[0]) or ""
        h = h.lower().removeprefix("www.")
        for a in self._by_id.values():
            for u in a.urls:
                uh = (
                    (urlsplit(u if "//" in u else "//" + u).hostname or "")
                    .lower()
                    .removeprefix("www.")
                )
                if uh == h:
                    return a.website_id
        return None
