"""The dashboard's pages: sign-in, the list of apps a user may view, the site overview, CSV.

Pages are server-rendered (Jinja2); the tables work without JavaScript and the one script only
draws the chart. Who may see what is the platform's permission model (`auth.access`): a user sees
the apps on which they hold `view` or more (an OWNER sees all). Reading the metadata store,
verifying a password (argon2) and querying the event store run on worker threads.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from footfall.auth.access import Principal, authorizer_of
from footfall.meta import services
from footfall.meta.errors import NotFound
from footfall.meta.store import MetaStore
from footfall.query import catalog, enums
from footfall.query.compile import Compiler
from footfall.query.dialects import by_name
from footfall.query.execute import Reader
from footfall.query.parse import QueryError, Resolver, Site
from footfall.query.render import Labels
from footfall.web import admin, display
from footfall.web.invitation import invitation_routes
from footfall.web.manage import manage_routes
from footfall.web.reports import (
    BY_SLUG,
    FIGURES,
    FILTERABLE,
    MAP_DIMENSION,
    REPORTS,
    REVENUE,
    Overview,
    Reports,
    realtime,
)
from footfall.web.session import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Signer,
    Throttle,
    csrf_cookie,
    set_cookie,
)
from footfall.web.view import (
    COMPARE_LABELS,
    COMPARES,
    INTERVALS,
    RANGES,
    View,
    ViewError,
    parse_view,
)
from footfall.web.worldmap import world_map

log = logging.getLogger("footfall.web")

PREFIX = "/dashboard"
CSV_LIMIT = 10_000
MAX_FORM = 1 << 16
#: the note the settings page shows after a redirect from the app form
_SAVED = {"created": "The app was added.", "saved": "The app was saved."}


@dataclass(frozen=True, slots=True)
class Caller:
    """A signed-in user on one request."""

    principal: Principal

    @property
    def email(self) -> str:
        """Shown in the page header."""
        return self.principal.user.email


class Dashboard:
    """The dashboard over one event store and one metadata store."""

    prefix = PREFIX

    def __init__(
        self,
        store: Reader,
        meta: MetaStore,
        secret: bytes,
        public_url: str = "",
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.meta = meta
        self.public_url = public_url
        self.on_change = on_change  #: tells the collector and pipeline that settings changed
        self.signer = Signer(secret)
        self.throttle = Throttle()
        self.reports = Reports(store, Compiler(by_name(store.dialect)), self._labels)
        self.templates = Environment(
            loader=PackageLoader("footfall.web", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        display.install(self.templates)

    # --- rendering -------------------------------------------------------------------------

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """Render a template; every page gets the CSRF token of its forms."""
        cookie = csrf_cookie(request)
        html = self.templates.get_template(name).render(
            prefix=PREFIX, csrf=self.signer.csrf_token(cookie), **context
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["cache-control"] = "no-store"
        response.headers["x-frame-options"] = "DENY"
        response.headers["content-security-policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        if request.cookies.get(CSRF_COOKIE) != cookie:
            set_cookie(response, request, CSRF_COOKIE, cookie, None)
        return response

    def error(self, request: Request, status: int, message: str, caller: Caller | None) -> Response:
        """An error page."""
        return self.page(request, "error.html", status, message=message, caller=caller)

    # --- who is calling ------------------------------------------------------------------

    @staticmethod
    async def form_of(request: Request) -> dict[str, str]:
        """The posted form (see `_form`)."""
        return await _form(request)

    def caller_of(self, request: Request) -> Caller | None:
        """The signed-in user of a request (read afresh), or None."""
        user_id = self.signer.session_user(request.cookies.get(SESSION_COOKIE))
        if user_id is None:
            return None
        try:
            user = services.get_user(self.meta, user_id)
        except NotFound:
            return None
        ip = request.client.host if request.client else None
        return Caller(Principal(user, ip=ip))

    def sign_in_redirect(self, request: Request) -> Response:
        """To the sign-in form, coming back here afterwards."""
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{PREFIX}/login?next={quote(target)}", status_code=303)

    def csrf_ok(self, request: Request, form: dict[str, str]) -> bool:
        """Whether a posted form carries the token of this browser's CSRF cookie."""
        return self.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), form.get("csrf"))

    def visible_apps(self, request: Request, caller: Caller) -> list[services.App]:
        """The apps the caller holds `view` or more on."""
        authorizer = authorizer_of(request)
        return [
            app
            for app in services.list_apps(self.meta)
            if authorizer.allows(caller.principal, app.id, "view")
        ]

    def _resolver(self, request: Request, caller: Caller) -> Resolver:
        """website_id → Site for this caller, checked once per page (a page runs ~22 queries)."""
        authorizer = authorizer_of(request)
        seen: dict[str, Site | None] = {}

        def resolve(website_id: str) -> Site | None:
            if website_id not in seen:
                app = services.find_app(self.meta, website_id)
                if app is not None and not authorizer.allows(caller.principal, app.id, "view"):
                    raise QueryError("website_id", "You do not have access to this app.", 403)
                seen[website_id] = None if app is None else Site((app.id,), app.timezone)
            return seen[website_id]

        return resolve

    def _labels(self, website_ids: tuple[str, ...]) -> Labels:
        goals: dict[Any, str] = {}
        for website_id in website_ids:
            for goal in services.list_goals(self.meta, website_id):
                goals[goal.id] = goal.name
        return {"goal_id": goals}

    # --- pages ---------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        """GET /dashboard/login."""
        return self.page(request, "login.html", next=_safe_next(request), caller=None)

    async def login(self, request: Request) -> Response:
        """POST /dashboard/login: email and password, then a session cookie."""
        form = await _form(request)
        nxt = _safe_next(request, str(form.get("next") or ""))
        if not self.csrf_ok(request, form):
            return self.page(
                request,
                "login.html",
                403,
                next=nxt,
                caller=None,
                problem="Your form expired; please sign in again.",
            )
        ip = request.client.host if request.client else "unknown"
        if self.throttle.blocked(ip):
            return self.page(
                request,
                "login.html",
                429,
                next=nxt,
                caller=None,
                problem="Too many failed sign-ins; try again in 15 minutes.",
            )
        email, password = str(form.get("email") or ""), str(form.get("password") or "")
        user = None
        if email and password and len(password) <= 1024:
            user = await run_in_threadpool(services.verify_password, self.meta, email, password)
        if user is None:
            self.throttle.failed(ip)
            return self.page(
                request,
                "login.html",
                401,
                next=nxt,
                caller=None,
                email=email,
                problem="The email or password is not correct.",
            )
        response = RedirectResponse(nxt, status_code=303)
        set_cookie(
            response,
            request,
            SESSION_COOKIE,
            self.signer.session_value(user.id),
            SESSION_SECONDS,
        )
        return response

    async def logout(self, request: Request) -> Response:
        """POST /dashboard/logout."""
        form = await _form(request)
        if not self.csrf_ok(request, form):
            return self.error(request, 403, "The form expired; reload the page and retry.", None)
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def home(self, request: Request) -> Response:
        """GET /dashboard/: the apps the user may view."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        apps = await run_in_threadpool(self.visible_apps, request, caller)
        return self.page(request, "apps.html", caller=caller, apps=apps)

    def _app_view(
        self, request: Request, caller: Caller, app_id: str
    ) -> tuple[services.App, View] | Response:
        app = services.find_app(self.meta, app_id)
        if app is None:
            return self.error(request, 404, "There is no such app.", caller)
        if not authorizer_of(request).allows(caller.principal, app.id, "view"):
            return self.error(request, 403, "You do not have access to this app.", caller)
        try:
            view = parse_view(
                request.query_params,
                request.query_params.getlist("f"),
                app.timezone,
                FILTERABLE,
            )
        except ViewError as e:
            return self.error(request, 400, f"{e.parameter}: {e.detail}", caller)
        return app, view

    def _overview(self, request: Request, caller: Caller, app_id: str) -> Response:
        found = self._app_view(request, caller, app_id)
        if isinstance(found, Response):
            return found
        app, view = found
        resolve = self._resolver(request, caller)
        try:
            overview = self.reports.overview(resolve, app.id, view)
            live = realtime(self.reports, resolve, app.id, app.timezone, _now())
        except QueryError as e:
            return self.error(request, e.status, f"{e.parameter}: {e.detail}", caller)
        apps = self.visible_apps(request, caller)
        goals = self._labels((app.id,))["goal_id"]
        return self.page(
            request,
            "overview.html",
            caller=caller,
            app=app,
            apps=apps,
            view=view,
            overview=overview,
            live=live,
            can_edit=authorizer_of(request).allows(caller.principal, app.id, "edit"),
            figures=(*FIGURES, REVENUE),
            ranges=RANGES,
            compares=COMPARES,
            compare_labels=COMPARE_LABELS,
            intervals=tuple(INTERVALS),
            reports=REPORTS,
            chip_names={c.column_id: catalog.columns()[c.column_id].name for c in view.chips},
            chip_labels=[str(enums.label(c.column_id, c.typed, goals)) for c in view.chips],
            series_json=orjson.dumps(_series_data(view, overview)).decode(),
            export_query=urlencode(view.params()),
            world=world_map(overview.countries or {}),
            map_dimension=MAP_DIMENSION,
        )

    async def overview(self, request: Request) -> Response:
        """GET /dashboard/apps/{app_id}/: the site overview."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        return await run_in_threadpool(
            self._overview, request, caller, request.path_params["app_id"]
        )

    def _realtime(self, request: Request, caller: Caller, app_id: str) -> Response:
        app = services.find_app(self.meta, app_id)
        if app is None:
            return self.error(request, 404, "There is no such app.", caller)
        if not authorizer_of(request).allows(caller.principal, app.id, "view"):
            return self.error(request, 403, "You do not have access to this app.", caller)
        live = realtime(self.reports, self._resolver(request, caller), app.id, app.timezone, _now())
        return self.page(request, "realtime.html", app=app, live=live)

    async def live(self, request: Request) -> Response:
        """GET /dashboard/apps/{app_id}/realtime: the realtime panel alone (polled by the page)."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        return await run_in_threadpool(
            self._realtime, request, caller, request.path_params["app_id"]
        )

    def _settings(
        self, request: Request, caller: Caller, app_id: str, form: dict[str, str] | None
    ) -> Response:
        app = services.find_app(self.meta, app_id)
        if app is None:
            return self.error(request, 404, "There is no such app.", caller)
        if not authorizer_of(request).allows(caller.principal, app.id, "edit"):
            return self.error(request, 403, "Editing this app needs the edit permission.", caller)
        problem, status = None, 200
        if form is not None:
            if not self.csrf_ok(request, form):
                return self.error(request, 403, "The form expired; reload the page.", caller)
            try:
                admin.add_goal(self.meta, app, form, caller.principal.actor())
            except services.ValidationError as e:
                problem, status = f"{e.field}: {e.message}", 400
            else:
                self.on_change()
                return RedirectResponse(f"{PREFIX}/apps/{app.id}/settings", status_code=303)
        base = self.public_url or str(request.base_url)
        return self.page(
            request,
            "settings.html",
            status,
            caller=caller,
            app=app,
            problem=problem,
            form=form or {},
            can_manage=authorizer_of(request).allows(caller.principal, app.id, "manage"),
            request_saved=_SAVED.get(next(iter(request.query_params), "")),
            **admin.settings_context(self.meta, app, base),
        )

    async def settings(self, request: Request) -> Response:
        """GET /dashboard/apps/{app_id}/settings; POST adds a goal."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        form = await _form(request) if request.method == "POST" else None
        return await run_in_threadpool(
            self._settings, request, caller, request.path_params["app_id"], form
        )

    def _credentials(
        self, request: Request, caller: Caller, form: dict[str, str] | None
    ) -> Response:
        user, actor = caller.principal.user, caller.principal.actor()
        problem, created, status = None, None, 200
        if form is not None:
            if not self.csrf_ok(request, form):
                return self.error(request, 403, "The form expired; reload the page.", caller)
            try:
                if form.get("revoke"):
                    admin.revoke_own_credential(self.meta, user.id, form["revoke"], actor)
                else:
                    created = services.create_credential(
                        self.meta, user.id, form.get("name", ""), actor
                    )
            except services.ValidationError as e:
                problem, status = f"{e.field}: {e.message}", 400
            except NotFound as e:
                problem, status = str(e), 404
        return self.page(
            request,
            "credentials.html",
            status,
            caller=caller,
            created=created,
            problem=problem,
            credentials=services.list_credentials(self.meta, user.id),
        )

    async def credentials(self, request: Request) -> Response:
        """GET /dashboard/credentials: your API credentials; POST creates or revokes one."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        form = await _form(request) if request.method == "POST" else None
        return await run_in_threadpool(self._credentials, request, caller, form)

    def _users(self, request: Request, caller: Caller, form: dict[str, str] | None) -> Response:
        if not caller.principal.is_owner:
            return self.error(request, 403, "Managing users is for owners.", caller)
        problem, status, invited = None, 200, None
        if form is not None:
            if not self.csrf_ok(request, form):
                return self.error(request, 403, "The form expired; reload the page.", caller)
            try:
                if form.get("action") == "invite":
                    base = self.public_url or str(request.base_url)
                    invited = admin.invite(self.meta, form, base, caller.principal.actor())
                else:
                    admin.set_level(self.meta, form, caller.principal.actor())
            except services.MetaError as e:
                problem = f"{e.field}: {e.message}" if e.field else e.message
                status = 404 if isinstance(e, NotFound) else 400
            else:
                if invited is None:
                    return RedirectResponse(f"{PREFIX}/users", status_code=303)
        return self.page(
            request,
            "users.html",
            status,
            caller=caller,
            problem=problem,
            invited=invited,
            form=form or {},
            **admin.users_context(self.meta),
        )

    async def users(self, request: Request) -> Response:
        """GET /dashboard/users: users and their levels per app (OWNERs); POST sets a level or
        invites a user (the one-time link is shown once)."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        form = await _form(request) if request.method == "POST" else None
        return await run_in_threadpool(self._users, request, caller, form)

    def _export(self, request: Request, caller: Caller, app_id: str, slug: str) -> Response:
        report = BY_SLUG.get(slug)
        if report is None:
            return self.error(request, 404, f'There is no table "{slug}".', caller)
        found = self._app_view(request, caller, app_id)
        if isinstance(found, Response):
            return found
        app, view = found
        resolve = self._resolver(request, caller)
        try:
            totals = self.reports.figures(resolve, app.id, (view.first, view.last), view)
            table = self.reports.table(
                resolve, app.id, view, report, totals.get(report.metric), CSV_LIMIT
            )
        except QueryError as e:
            return self.error(request, e.status, f"{e.parameter}: {e.detail}", caller)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([report.title, "id", report.metric_label, "share"])
        for row in table.rows:
            writer.writerow(
                [
                    _csv_safe(row.label),
                    _csv_safe(row.value),
                    display.number(row.count),
                    f"{row.share:.4f}",
                ]
            )
        stamp = datetime.now().strftime("%Y%m%d")
        filename = f"{report.slug}-{view.first.isoformat()}-{view.last.isoformat()}-{stamp}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{filename}"',
                "cache-control": "no-store",
            },
        )

    async def export(self, request: Request) -> Response:
        """GET /dashboard/apps/{app_id}/export/{slug}.csv: one whole table as CSV."""
        caller = await run_in_threadpool(self.caller_of, request)
        if caller is None:
            return self.sign_in_redirect(request)
        return await run_in_threadpool(
            self._export,
            request,
            caller,
            request.path_params["app_id"],
            request.path_params["slug"],
        )


def _series_data(view: View, overview: Overview) -> dict[str, Any]:
    """What the chart script draws: the buckets, their values, and the comparison's beside them."""
    data: dict[str, Any] = {
        "interval": view.interval,
        "labels": [b for b, _ in overview.series],
        "rows": [v for _, v in overview.series],
    }
    if overview.previous_series is not None:
        data["compare"] = COMPARE_LABELS[view.compare]
        data["previous"] = {
            "labels": [p[0] if p else None for p in overview.previous_series],
            "rows": [p[1] if p else None for p in overview.previous_series],
        }
    return data


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body (the dashboard's forms post nothing else; at most 64 KiB)."""
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _now() -> datetime:
    return datetime.now(UTC)


def _safe_next(request: Request, value: str | None = None) -> str:
    """Where to go after sign-in: only a path of the dashboard itself (no open redirect)."""
    target = value if value is not None else request.query_params.get("next", "")
    if target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading = + - @ gets a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


async def _root(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/", status_code=303)


def make_dashboard_routes(
    store: Reader,
    meta: MetaStore,
    secret: bytes,
    public_url: str = "",
    on_change: Callable[[], None] = lambda: None,
) -> list[BaseRoute]:
    """The dashboard's routes, its static files, and `/` redirecting to it."""
    from importlib import resources

    dashboard = Dashboard(store, meta, secret, public_url, on_change)
    static = str(resources.files("footfall.web") / "static")
    return [
        Route("/", _root),
        Route(PREFIX, _root),
        Route(f"{PREFIX}/", dashboard.home),
        Route(f"{PREFIX}/login", dashboard.login_form, methods=["GET"]),
        Route(f"{PREFIX}/login", dashboard.login, methods=["POST"]),
        Route(f"{PREFIX}/logout", dashboard.logout, methods=["POST"]),
        *(
            Route(PREFIX + path, endpoint, methods=["GET", "POST"])
            for path, endpoint in manage_routes(dashboard)
        ),
        *(
            Route(PREFIX + path, endpoint, methods=["GET", "POST"])
            for path, endpoint in invitation_routes(dashboard)
        ),
        Route(f"{PREFIX}/apps/{{app_id}}/", dashboard.overview),
        Route(f"{PREFIX}/apps/{{app_id}}/export/{{slug}}.csv", dashboard.export),
        Route(f"{PREFIX}/apps/{{app_id}}/realtime", dashboard.live),
        Route(f"{PREFIX}/credentials", dashboard.credentials, methods=["GET", "POST"]),
        Route(f"{PREFIX}/users", dashboard.users, methods=["GET", "POST"]),
        Route(f"{PREFIX}/apps/{{app_id}}/settings", dashboard.settings, methods=["GET", "POST"]),
        Mount(f"{PREFIX}/static", StaticFiles(directory=static), name="dashboard-static"),
    ]
