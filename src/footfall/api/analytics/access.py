"""Who may read a website's analytics: the platform's permission model (`auth.access`).

A `website_id` is an app or a meta site; reading either needs `view` on it (an OWNER reads all).
A meta site answers over all the apps it rolls up, in the meta site's own timezone.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from footfall.auth.access import Authorizer, NotAuthenticated, Principal, authorizer_of
from footfall.meta import services
from footfall.meta.errors import NotFound
from footfall.meta.meta_sites import get_meta_site, meta_site_app_ids
from footfall.meta.store import MetaStore
from footfall.query.parse import QueryError, Resolver, Site

NO_ACCESS = "You do not have access to this website."


def caller(connection: HTTPConnection) -> Principal | None:
    """The authenticated caller of a request, None without a usable bearer token (blocking)."""
    try:
        authorizer = authorizer_of(connection)
        ip = connection.client.host if connection.client else None
        return authorizer.authenticate(connection.headers.get("authorization"), ip)
    except NotAuthenticated:
        return None


@dataclass(frozen=True, slots=True)
class Access:
    """Resolves website ids for one caller, refusing those they may not view."""

    meta: MetaStore
    authorizer: Authorizer
    principal: Principal

    def resolver(self) -> Resolver:
        """website_id → the apps it covers; QueryError 403 when the caller may not view it."""

        def resolve(website_id: str) -> Site | None:
            app = services.find_app(self.meta, website_id)
            if app is not None:
                self._check(app.id)
                return Site((app.id,), app.timezone)
            try:
                site = get_meta_site(self.meta, website_id)
            except NotFound:
                return None
            self._check(site.id)
            app_ids = meta_site_app_ids(self.meta, site.id)
            if not app_ids:
                raise QueryError("website_id", "The meta site has no apps.")
            return Site(tuple(app_ids), site.timezone)

        return resolve

    def _check(self, entity_id: str) -> None:
        if not self.authorizer.allows(self.principal, entity_id, "view"):
            raise QueryError("website_id", NO_ACCESS, 403)
