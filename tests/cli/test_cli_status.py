"""`footfall status` against a real HTTP server exposing /metrics, and without a server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from footfall.cli import main, parse_prometheus, summarize

METRICS = """\
# HELP footfall_hits_accepted_total Hits accepted.
# TYPE footfall_hits_accepted_total counter
footfall_hits_accepted_total{protocol="matomo"} 40
footfall_hits_accepted_total{protocol="pirsch"} 2
footfall_requests_rejected_total{reason="unknown_site"} 3
footfall_requests_rejected_total{reason="body_too_large"} 1
footfall_pipeline_dropped_total{reason="bot"} 5
footfall_pipeline_rows_total{table="events"} 37
footfall_pipeline_records_total 42
# TYPE footfall_spool_lag_records gauge
footfall_spool_lag_records 0
"""


class _Metrics(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = METRICS.encode()
        self.send_response(200 if self.path == "/metrics" else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Metrics)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_parse_prometheus() -> None:
    samples = parse_prometheus('a_total{x="1",y="q\\"uote"} 2\n# HELP a_total x\nb 1.5\nbad line\n')
    assert samples == [("a_total", {"x": "1", "y": 'q\\"uote'}, 2.0), ("b", {}, 1.5)]


def test_summarize_rates() -> None:
    before = parse_prometheus("footfall_pipeline_records_total 10\n")
    after = parse_prometheus("footfall_pipeline_records_total 30\n")
    summary = summarize(after, before, 2.0)
    assert summary["pipeline"] == {"records": 30}
    assert summary["pipeline_per_second"] == {"records": 10.0}


def test_status_json(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--url", server, "--interval", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == server
    assert data["accepted_hits"] == 42
    assert data["rejected"] == {"unknown_site": 3, "body_too_large": 1}
    assert data["dropped"] == {"bot": 5}
    assert data["spool_lag_records"] == 0
    assert data["pipeline"] == {"rows[events]": 37, "records": 42}


def test_status_text(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--url", server, "--interval", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "Accepted hits:  42" in out and "unknown_site 3" in out and "0 records" in out
    assert "Pipeline records: 42  (0.0/s)" in out


def test_status_without_server(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["status", "--port", str(port), "--interval", "0"]) == 1
    err = capsys.readouterr().err
    assert err == f"footfall: error: server not running at http://127.0.0.1:{port}\n"
