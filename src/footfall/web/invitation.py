"""The invitation page: an invited user opens their one-time link, sets a password and is signed in.

The link comes from the users API (`POST /api/users/v2/invite`), `footfall users invite` or the
dashboard's users page (`meta.invitations`). A spent, expired or unknown link gets a page that says
which (410 or 404) and never a form. Unknown links count as failed sign-ins for the IP throttle,
so links cannot be guessed at speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from footfall.meta import services
from footfall.web.session import SESSION_COOKIE, SESSION_SECONDS, set_cookie

if TYPE_CHECKING:
    from footfall.web.routes import Dashboard

_STATUS = {"unknown": 404, "expired": 410, "used": 410}


class InvitationPage:
    """GET shows the set-a-password form, POST spends the link and signs the user in."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.meta = dashboard.meta

    async def endpoint(self, request: Request) -> Response:
        """GET /dashboard/invitation/{token}; POST sets the password."""
        token = request.path_params["token"]
        ip = request.client.host if request.client else "unknown"
        if self.dashboard.throttle.blocked(ip):
            message = "Too many failed attempts; try again in 15 minutes."
            return self.dashboard.error(request, 429, message, None)
        if request.method == "GET":
            return await run_in_threadpool(self._show, request, token, ip)
        form = await self.dashboard.form_of(request)
        if not self.dashboard.csrf_ok(request, form):
            return self.dashboard.error(request, 403, "The form expired; reload the page.", None)
        return await run_in_threadpool(self._accept, request, token, ip, form)

    def _refused(self, request: Request, e: services.InvitationError, ip: str) -> Response:
        if e.reason == "unknown":
            self.dashboard.throttle.failed(ip)
        return self.dashboard.error(request, _STATUS[e.reason], e.message, None)

    def _show(self, request: Request, token: str, ip: str, **more: Any) -> Response:
        try:
            invitation = services.check_invitation(self.meta, token)
        except services.InvitationError as e:
            return self._refused(request, e, ip)
        return self.dashboard.page(
            request,
            "invitation.html",
            400 if more.get("errors") else 200,
            caller=None,
            email=invitation.user.email,
            expires_at=invitation.expires_at,
            errors=more.get("errors", {}),
        )

    def _accept(self, request: Request, token: str, ip: str, form: dict[str, str]) -> Response:
        password = form.get("password", "")
        if password != form.get("repeat", ""):
            return self._show(request, token, ip, errors={"repeat": "The passwords differ."})
        try:
            user = services.accept_invitation(self.meta, token, password, ip=ip)
        except services.ValidationError as e:
            return self._show(request, token, ip, errors={"password": e.message})
        except services.InvitationError as e:
            return self._refused(request, e, ip)
        response = RedirectResponse(f"{self.dashboard.prefix}/", status_code=303)
        value = self.dashboard.signer.session_value(user.id)
        set_cookie(response, request, SESSION_COOKIE, value, SESSION_SECONDS)
        return response


def invitation_routes(dashboard: Dashboard) -> list[tuple[str, Callable[[Request], Any]]]:
    """(path, endpoint) of the invitation page under the dashboard prefix."""
    return [("/invitation/{token}", InvitationPage(dashboard).endpoint)]
