"""Pirsch email reports: rendered from the statistics answers, previewed over HTTP, and sent
through the operator's SMTP server (`FOOTFALL_SMTP_URL`) when they are due.

A report covers the days before it is sent: the previous day for a daily report (interval 0),
otherwise `interval` weeks, in the app's timezone. Its figures are those of
`/statistics/total` and `/statistics/page` for that period, so the email and the API agree.
"""

from __future__ import annotations

import html
import logging
import smtplib
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from footfall import telemetry
from footfall.api.pirsch.access import authenticate, may_see
from footfall.api.pirsch.errors import PirschError, pirsch_error_response
from footfall.api.pirsch.filter import parse
from footfall.api.pirsch.stats_pages import page
from footfall.api.pirsch.stats_query import Runner
from footfall.api.pirsch.stats_time import total
from footfall.auth.access import authorizer_of
from footfall.meta import pirsch_objects as objects
from footfall.meta.apps import App, find_app
from footfall.meta.store import MetaStore, utcnow
from footfall.query.execute import Reader

__all__ = ["ReportSender", "make_report_routes", "render", "smtp_send"]

log = logging.getLogger("footfall.pirsch.reports")
SENT = "footfall_pirsch_reports_total"
telemetry.describe(SENT, "Pirsch email reports by outcome (sent, failed).")


def period_of(app: App, interval: int, now: datetime) -> tuple[str, str]:
    """The first and last day the report covers, in the app's timezone."""
    today = now.astimezone(ZoneInfo(app.timezone)).date()
    days = 1 if interval == 0 else 7 * interval
    return (today - timedelta(days=days)).isoformat(), (today - timedelta(days=1)).isoformat()


def render(store: Reader, meta: MetaStore, report: dict[str, Any], now: datetime) -> EmailMessage:
    """The report email of one recipient row, for the period ending the day before `now`."""
    app = find_app(meta, report["app_id"])
    if app is None:
        raise PirschError(404, "domain not found")
    first, last = period_of(app, int(report["interval"]), now)
    params = {"id": [app.id], "from": [first], "to": [last], "limit": ["10"]}
    f = parse(params, lambda _: app.timezone)
    runner = Runner(store)
    totals = total(runner, f, meta)
    pages = page(runner, f, meta)
    rows = [(str(p["path"]), int(p["visitors"])) for p in pages]
    figures = [
        ("Visitors", f"{totals['visitors']:,}"),
        ("Page views", f"{totals['views']:,}"),
        ("Sessions", f"{totals['sessions']:,}"),
        ("Bounce rate", f"{totals['bounce_rate'] * 100:.1f} %"),
    ]
    title = f"{app.name}: {first} to {last}" if first != last else f"{app.name}: {first}"
    text = "\n".join(
        [title, "", *(f"{k}: {v}" for k, v in figures), "", "Top pages:"]
        + [f"  {visitors:>8,}  {path}" for path, visitors in rows]
    )
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in figures)
    top = "".join(
        f"<tr><td>{html.escape(path)}</td><td>{visitors:,}</td></tr>" for path, visitors in rows
    )
    body = (
        f"<!doctype html><html><body><h1>{html.escape(title)}</h1>"
        f"<table>{cells}</table><h2>Top pages</h2>"
        f"<table><tr><th>Page</th><th>Visitors</th></tr>{top}</table></body></html>"
    )
    message = EmailMessage()
    message["Subject"] = f"Footfall report for {title}"
    message["To"] = report["email"]
    message.set_content(text)
    message.add_alternative(body, subtype="html")
    return message


def smtp_send(smtp_url: str, sender: str, message: EmailMessage) -> None:
    """Send through `smtp://[user:password@]host[:port]` (STARTTLS when the server offers it)
    or `smtps://…` (TLS from the start)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("the SMTP URL must be smtp://host[:port] or smtps://host[:port]")
    kind = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    with kind(parts.hostname, port, timeout=30) as smtp:
        if parts.scheme == "smtp":
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        del message["From"]
        message["From"] = sender
        smtp.send_message(message)


class ReportSender:
    """Sends due reports once a minute on a daemon thread; a failure is logged and retried at
    the next round, a sent report moves to its next date."""

    def __init__(
        self, store: Reader, meta: MetaStore, smtp_url: str, sender: str, every: float = 60.0
    ) -> None:
        self.store, self.meta = store, meta
        self.smtp_url, self.sender, self.every = smtp_url, sender, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def send_due(self, now: datetime | None = None) -> int:
        """Send every report whose date has come; returns how many went out."""
        now = (now or utcnow()).astimezone(UTC)
        sent = 0
        for report in objects.due_reports(self.meta, now):
            try:
                smtp_send(self.smtp_url, self.sender, render(self.store, self.meta, report, now))
            except Exception:
                log.exception("email report %s failed", report["id"])
                telemetry.inc(SENT, outcome="failed")
                continue
            objects.report_sent(self.meta, report["id"], now)
            telemetry.inc(SENT, outcome="sent")
            sent += 1
        return sent

    def start(self) -> None:
        """Run `send_due` every `every` seconds until `stop`."""
        self._thread = threading.Thread(target=self._run, name="pirsch-reports", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.send_due()
            except Exception:  # the metadata store may be briefly unavailable: try again
                log.exception("email reports round failed")

    def stop(self) -> None:
        """Stop the thread (a round in progress finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)


def make_report_routes(store: Reader) -> list[Route]:
    """`GET /api/v1/report/preview?id=<report>`: the report as it would be sent now (HTML)."""

    async def preview(request: Request) -> Response:
        try:
            caller = await authenticate(request)
            if not (caller.may("domains") or caller.may("statistics")):
                raise PirschError(403, "the client lacks the domains scope (r)")
            meta = authorizer_of(request).meta
            report = objects.find(meta, "report", request.query_params.get("id", ""))
            if report is None or not await run_in_threadpool(
                may_see, request, caller, report["app_id"]
            ):
                raise PirschError(404, "report not found")
            message = await run_in_threadpool(render, store, meta, report, datetime.now(UTC))
        except PirschError as e:
            return pirsch_error_response(e)
        html_part = message.get_body(("html",))
        return HTMLResponse(html_part.get_content() if html_part is not None else "")

    return [Route("/api/v1/report/preview", preview, methods=["GET"])]
