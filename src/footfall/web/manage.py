"""Administration pages for apps and tracker settings: create an app, edit its details, and change
the tracker settings of one app or the global ones (api-notes §3, §4).

The same rules as the platform API: creating an app and the global settings are for OWNERs,
editing an app and its tracker settings need `manage` on it. Every change goes through
`meta.services` (validation, audit log) and then tells the collector and pipeline to reload. Bad
input re-renders the form with the message next to the field it names (400).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Awaitable, Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from footfall.auth.access import authorizer_of
from footfall.meta import services
from footfall.meta.errors import MetaError
from footfall.meta.tracker import GLOBAL
from footfall.web import forms

if TYPE_CHECKING:
    from footfall.web.routes import Caller, Dashboard

Form = dict[str, str] | None


@cache
def timezones() -> tuple[str, ...]:
    """The IANA time zones the app form suggests."""
    return tuple(sorted(zoneinfo.available_timezones()))


class Manage:
    """The app and tracker settings pages of one dashboard."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.meta = dashboard.meta

    def handler(
        self, page: Callable[[Request, Caller, Form], Response]
    ) -> Callable[[Request], Awaitable[Response]]:
        """An ASGI endpoint: signed in, form read for a POST, then `page` on a worker thread."""

        async def endpoint(request: Request) -> Response:
            caller = await run_in_threadpool(self.dashboard.caller_of, request)
            if caller is None:
                return self.dashboard.sign_in_redirect(request)
            form = await self.dashboard.form_of(request) if request.method == "POST" else None
            if form is not None and not self.dashboard.csrf_ok(request, form):
                return self.dashboard.error(
                    request, 403, "The form expired; reload the page.", caller
                )
            return await run_in_threadpool(page, request, caller, form)

        return endpoint

    def _app(self, request: Request, caller: Caller, level: str) -> services.App | Response:
        app = services.find_app(self.meta, request.path_params["app_id"])
        if app is None:
            return self.dashboard.error(request, 404, "There is no such app.", caller)
        if not authorizer_of(request).allows(caller.principal, app.id, level):
            message = f"Changing this app needs the {level} permission."
            return self.dashboard.error(request, 403, message, caller)
        return app

    def _save(self, errors: dict[str, str], field: str, save: Callable[[], str]) -> Response | None:
        """Run `save`, which returns the page to show next (a path under the dashboard). Done, the
        collector and pipeline reload and the browser is sent there; a MetaError is noted next to
        its field (`field` when it names none) and None is returned, for the form to show again."""
        try:
            path = save()
        except MetaError as e:
            errors[e.field or field] = e.message
            return None
        self.dashboard.on_change()
        return RedirectResponse(f"{self.dashboard.prefix}{path}", status_code=303)

    # --- apps --------------------------------------------------------------------------------

    def new_app(self, request: Request, caller: Caller, form: Form) -> Response:
        """GET/POST /dashboard/apps/new: create an app (OWNERs)."""
        if not caller.principal.is_owner:
            return self.dashboard.error(request, 403, "Creating apps is for owners.", caller)
        errors: dict[str, str] = {}
        if form is not None:
            values = forms.app_values(form)

            def create() -> str:
                app = services.create_app(self.meta, **values, actor=caller.principal.actor())
                return f"/apps/{app.id}/settings?created=1"

            if done := self._save(errors, "name", create):
                return done
        shown = form or {"timezone": "UTC", "currency": "USD"}
        return self._app_form(request, caller, None, shown, errors)

    def edit_app(self, request: Request, caller: Caller, form: Form) -> Response:
        """GET/POST /dashboard/apps/{id}/edit: name, URLs, timezone, currency (`manage`)."""
        app = self._app(request, caller, "manage")
        if isinstance(app, Response):
            return app
        errors: dict[str, str] = {}
        if form is not None:
            changes = forms.app_values(form)

            def update() -> str:
                services.update_app(self.meta, app.id, changes, caller.principal.actor())
                return f"/apps/{app.id}/settings?saved=1"

            if done := self._save(errors, "name", update):
                return done
        shown = form or {
            "name": app.name,
            "urls": "\n".join(app.urls),
            "timezone": app.timezone,
            "currency": app.currency,
        }
        return self._app_form(request, caller, app, shown, errors)

    def _app_form(
        self,
        request: Request,
        caller: Caller,
        app: services.App | None,
        form: dict[str, str],
        errors: dict[str, str],
    ) -> Response:
        return self.dashboard.page(
            request,
            "app_form.html",
            400 if errors else 200,
            caller=caller,
            app=app,
            form=form,
            errors=errors,
            timezones=timezones(),
        )

    # --- tracker settings --------------------------------------------------------------------

    def app_tracker(self, request: Request, caller: Caller, form: Form) -> Response:
        """GET/POST /dashboard/apps/{id}/tracker: one app's tracker settings (`manage`)."""
        app = self._app(request, caller, "manage")
        if isinstance(app, Response):
            return app
        return self._tracker(request, caller, app, form)

    def global_tracker(self, request: Request, caller: Caller, form: Form) -> Response:
        """GET/POST /dashboard/tracker: the global tracker settings (OWNERs)."""
        if not caller.principal.is_owner:
            return self.dashboard.error(
                request, 403, "The global tracker settings are for owners.", caller
            )
        return self._tracker(request, caller, None, form)

    def _tracker(
        self, request: Request, caller: Caller, app: services.App | None, form: Form
    ) -> Response:
        scope = app.id if app else GLOBAL
        actor = caller.principal.actor()
        errors: dict[str, str] = {}
        current = services.get_tracker_settings(self.meta, scope)
        if form is not None:

            def save() -> str:
                if form.get("reset"):
                    services.reset_tracker_setting(self.meta, scope, form["reset"], actor)
                else:
                    changes = forms.tracker_changes(form, current)
                    if changes:
                        services.set_tracker_settings(self.meta, scope, changes, actor)
                return (f"/apps/{app.id}/tracker" if app else "/tracker") + "?saved=1"

            if done := self._save(errors, "form", save):
                return done
        shown: dict[str, Any] = {name: forms.as_text(v) for name, v in current.items()}
        if form is not None:  # show what was typed, not what is stored
            shown.update(form)
            for _, fields in forms.SECTIONS:
                for field in fields:
                    if field.attribute.kind == "bool":
                        shown[field.name] = "True" if field.name in form else "False"
        return self.dashboard.page(
            request,
            "tracker.html",
            400 if errors else 200,
            caller=caller,
            app=app,
            sections=forms.SECTIONS,
            labels={f.name: f.label for _, fields in forms.SECTIONS for f in fields},
            values=shown,
            overridden=services.tracker_overrides(self.meta, scope) if app else frozenset(),
            errors=errors,
            saved=request.query_params.get("saved") == "1",
        )


def manage_routes(dashboard: Dashboard) -> list[tuple[str, Callable[[Request], Any]]]:
    """(path, endpoint) of the pages above, under the dashboard prefix; GET and POST each."""
    manage = Manage(dashboard)
    return [
        ("/apps/new", manage.handler(manage.new_app)),
        ("/apps/{app_id}/edit", manage.handler(manage.edit_app)),
        ("/apps/{app_id}/tracker", manage.handler(manage.app_tracker)),
        ("/tracker", manage.handler(manage.global_tracker)),
    ]
