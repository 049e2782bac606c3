"""Pirsch email reports: the preview endpoint, and sending due reports to a real SMTP listener
(a minimal SMTP server on loopback in this process)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message

import pytest

from api.pirsch.conftest import Pirsch
from footfall.api.pirsch.reports import ReportSender, period_of
from footfall.meta import pirsch_objects as objects
from footfall.meta import services
from footfall.store import open_store


class _Mailbox(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Smtp)
        self.messages: list[tuple[str, list[str], Message]] = []


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    server: _Mailbox

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        sender, recipients = "", []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == b"MAIL":
                sender = line.decode().split(":", 1)[1].strip().strip("<>").split(">")[0]
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append((sender, recipients, message_from_bytes(data)))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def mailbox() -> Iterator[_Mailbox]:
    box = _Mailbox()
    thread = threading.Thread(target=box.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        box.shutdown()
        box.server_close()


def _reports(api: Pirsch, interval: int) -> list[dict[str, object]]:
    admin = api.token(None, "domains:w")
    body = {
        "domain_id": api.shop_id,
        "emails": ["a@example.com", "b@example.com"],
        "interval": interval,
    }
    made = api.request("POST", "/api/v1/report", admin, json=body)
    assert made.status_code == 200
    return list(made.json())


def test_preview_renders_the_report(api: Pirsch) -> None:
    [first, _] = _reports(api, 1)
    token = api.token(api.shop_id, "statistics")
    r = api.request("GET", f"/api/v1/report/preview?id={first['id']}", token)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Shop" in r.text and "Visitors" in r.text and "Top pages" in r.text
    # a client of another domain does not see it; an access key reads nothing
    other = api.token(api.blog_id, "statistics")
    assert api.request("GET", f"/api/v1/report/preview?id={first['id']}", other).status_code == 404
    assert api.request("GET", "/api/v1/report/preview?id=nope", token).status_code == 404


def test_period_is_the_days_before_in_the_app_timezone() -> None:
    app = services.App("x", 1, "S", (), "Pacific/Auckland", "USD", "web")
    now = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # already 11 March in Auckland
    assert period_of(app, 0, now) == ("2026-03-10", "2026-03-10")
    assert period_of(app, 2, now) == ("2026-02-25", "2026-03-10")


def test_due_reports_are_sent_and_rescheduled(
    api: Pirsch, mailbox: _Mailbox, tmp_path: object
) -> None:
    made = _reports(api, 0)
    now = datetime.now(UTC) + timedelta(days=2)  # both are due
    store = open_store("duckdb:///:memory:")
    store.migrate()
    try:
        host, port = mailbox.server_address[:2]
        sender = ReportSender(store, api.meta, f"smtp://{host}:{port}", "reports@example.com")
        assert sender.send_due(now) == 2
        assert sender.send_due(now) == 0  # rescheduled: nothing is due twice
    finally:
        store.close()
    assert sorted(r for _, rcpt, _ in mailbox.messages for r in rcpt) == [
        "a@example.com",
        "b@example.com",
    ]
    from_, _, message = mailbox.messages[0]
    assert from_ == "reports@example.com" and message["Subject"].startswith(
        "Footfall report for Shop"
    )
    report = objects.get(api.meta, "report", str(made[0]["id"]))
    assert report["next_report"].date() == (now + timedelta(days=1)).date()


def test_a_failing_smtp_server_leaves_the_report_due(api: Pirsch) -> None:
    _reports(api, 0)
    store = open_store("duckdb:///:memory:")
    store.migrate()
    try:
        sender = ReportSender(store, api.meta, "smtp://127.0.0.1:9", "r@example.com")
        now = datetime.now(UTC) + timedelta(days=2)
        assert sender.send_due(now) == 0
        assert len(objects.due_reports(api.meta, now)) == 2
    finally:
        store.close()
