"""Which app a log line belongs to: the one given by `--idsite`, else the app whose URLs match
the line's host (the same rule the Piwik PRO importer applies through
`/api/tracker/v2/settings/app/url`, api-notes §12.2)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from footfall.importer.hits import url_prefix

__all__ = ["SiteResolver", "UnknownApp"]

#: what the Piwik PRO importer calls a line without a host when it resolves by host
NO_HOST = "no-hostname-found-in-log"


class UnknownApp(Exception):
    """`--idsite` names no app."""


class SiteResolver:
    """Host → (app UUID, URL prefix), cached per host; None when no app matches."""

    def __init__(
        self,
        idsite: str | None,
        resolve: Callable[[str], str | None],
        app_for_host: Callable[[str], str | None],
        urls_of: Callable[[str], Sequence[str]],
    ) -> None:
        self._app_for_host = app_for_host
        self._urls_of = urls_of
        self._cache: dict[str, tuple[str, str] | None] = {}
        self.sites: set[str] = set()  #: apps that got lines
        self.unmatched_hosts: set[str] = set()  #: hosts no app matched
        self._fixed: str | None = None
        self._main_url = ""
        if idsite is not None:
            website_id = resolve(idsite)
            if website_id is None:
                raise UnknownApp(f"no app with id or alias {idsite!r} (see `footfall apps list`)")
            self._fixed = website_id
            urls = urls_of(website_id)
            self._main_url = urls[0] if urls else ""

    def resolve(self, host: str) -> tuple[str, str] | None:
        """(app UUID, scheme://host to prefix paths with) for a line's host."""
        found = self._cache.get(host)
        if found is not None or host in self._cache:
            return found
        if self._fixed is not None:
            found = (self._fixed, url_prefix(self._main_url, host))
        else:
            name = host or NO_HOST
            website_id = self._app_for_host(name) if host else None
            if website_id is None:
                self.unmatched_hosts.add(name)
            else:
                urls = self._urls_of(website_id)
                found = (website_id, url_prefix(urls[0] if urls else "", host))
        if found is not None:
            self.sites.add(found[0])
        self._cache[host] = found
        return found
