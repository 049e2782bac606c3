"""The Piwik PRO log importer (PyPI `piwik-pro-log-analytics`, its `import_logs.py`) run unchanged
against a live `footfall serve` (seed 001 §2.4.2, api-notes §12).

Known truth: the access log of `scenarios.access_log`; `truth()` is what must be stored and
`summary()` what the importer's own summary must count. `test_import_logs.py` checks the same
truth for `footfall import-logs`, so both importers store the same counts for the same log.

What it calls (api-notes §12.2): POST /auth/token (JSON body), then GET /api/apps/v2/{id} with
--idsite or GET /api/tracker/v2/settings/app/url?app_url=<host> without it (Bearer token, one
re-authentication and retry on a 401), then POST /ppms.php bulk bodies of objects (GET with
--disable-bulk-tracking), whose response body it never reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.conftest import Provisioned
from e2e.server import Server
from e2e.test_import_logs import stored
from scenarios.access_log import AccessLog, Flags, Truth, generate, summary, truth

IMPORTER = Path(sys.executable).parent / "piwik_pro_log_analytics"
#: the importer's summary lines (Statistics.print_summary) → scenarios.access_log.summary keys
SUMMARY_LINES = {
    "recorded": r"(\d+) requests imported successfully",
    "downloads": r"(\d+) requests were downloads",
    "http_errors": r"(\d+) HTTP errors",
    "http_redirects": r"(\d+) HTTP redirects",
    "invalid": r"(\d+) invalid log lines",
    "no_site": r"(\d+) requests did not match any known site",
    "hostname": r"(\d+) requests did not match any --hostname",
    "bots": r"(\d+) requests done by bots, search engines",
    "static": r"(\d+) requests to static resources",
}


def run_importer(
    server: Server, p: Provisioned, log: Path, *args: str, secret: str | None = None
) -> subprocess.CompletedProcess[str]:
    """import_logs.py as the seed's sample command runs it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_SESSION"}
    return subprocess.run(
        [
            str(IMPORTER),
            f"--url={server.url}",
            f"--client-id={p.client_id}",
            f"--client-secret={secret or p.client_secret}",
            "--retry-delay=1",
            *args,
            str(log),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def summary_of(stdout: str) -> dict[str, int]:
    """The importer's summary counts (zero ones left out)."""
    found = {
        key: int(m.group(1)) for key, rx in SUMMARY_LINES.items() if (m := re.search(rx, stdout))
    }
    assert "recorded" in found, stdout
    return {k: v for k, v in found.items() if v}


def imported(server: Server, p: Provisioned, log: AccessLog, flags: Flags, *args: str) -> str:
    """Run the importer over `log`, check its summary, stop the server; returns its stdout."""
    path = p.data_dir.parent / "access.log"
    path.write_text(log.text())
    done = run_importer(server, p, path, *flags.args(), *args)
    assert done.returncode == 0, done.stderr[-2000:]
    # why: import_logs.py counts a line left out by --exclude-path under no heading at all
    want = {k: n for k, n in summary(log, flags).items() if k != "excluded_path"}
    assert summary_of(done.stdout) == want, done.stdout
    server.wait_idle()
    server.stop()
    return done.stdout


def test_with_idsite_bulk_stores_the_truth(server: Server, provisioned: Provisioned) -> None:
    log = generate()
    imported(server, provisioned, log, Flags(), f"--idsite={provisioned.app_id}")
    assert stored(provisioned.data_dir) == truth(log)


def test_the_seed_sample_command_with_every_class(server: Server, provisioned: Provisioned) -> None:
    log = generate(visitors=30, bots=4)
    flags = Flags(static=True, bots=True, redirects=True, exclude_path="/blog")
    out = imported(
        server,
        provisioned,
        log,
        flags,
        f"--idsite={provisioned.app_id}",
        "--recorders=2",
        "--show-progress",
        "--useragent-exclude=NoSuchAgent",
    )
    assert "lines parsed" in out or "Parsing log" in out  # --show-progress output
    assert stored(provisioned.data_dir) == truth(log, flags)


@pytest.fixture
def short_tokens(provisioned: Provisioned) -> Iterator[Server]:
    """A server whose access tokens live one second (FOOTFALL_TOKEN_TTL_SECONDS)."""
    s = Server(provisioned.data_dir, env={"FOOTFALL_TOKEN_TTL_SECONDS": "1"})
    s.start()
    try:
        yield s
    finally:
        s.stop()


def test_apps_by_host_single_requests_and_reauthentication(
    short_tokens: Server, provisioned: Provisioned
) -> None:
    # tokens expire after 1 s and the importer waits 2.5 s before each batch of 20 lines, so the
    # host lookup meets an expired token: 401, a new token, the same call again
    shop = generate(visitors=6, bots=0, host="shop.example.com")
    other = generate(visitors=3, bots=0, seed=5, host="www.other.example.org")
    path = provisioned.data_dir.parent / "access.log"
    path.write_text(shop.text() + other.text())
    done = run_importer(
        short_tokens,
        provisioned,
        path,
        "--disable-bulk-tracking",
        "--hostname=shop.example.com",
        "--recorder-max-payload-size=20",
        "--sleep-between-requests-ms=2500",
        "--debug",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.count("Authentication token is:") >= 2  # it fetched a second token
    # the --hostname rule comes right after the download count (api-notes §12, classify.py)
    want = summary(shop)
    want["invalid"] += summary(other)["invalid"]
    want["downloads"] += summary(other).get("downloads", 0)
    want["hostname"] = sum(1 for line in other.lines if line.kind != "invalid")
    assert summary_of(done.stdout) == want, done.stdout
    short_tokens.wait_idle()
    short_tokens.stop()
    assert stored(provisioned.data_dir) == truth(shop)


def test_credentials_and_flags_the_importer_itself_refuses(
    server: Server, provisioned: Provisioned
) -> None:
    path = provisioned.data_dir.parent / "access.log"
    path.write_text(generate(visitors=2, bots=0).text())
    wrong = run_importer(server, provisioned, path, f"--idsite={provisioned.app_id}", secret="x")
    assert wrong.returncode == 1
    assert "error when fetching OAuth token from the API: HTTP Error 401" in wrong.stderr
    # the seed's --enable-bulk-tracking is not an option of 5.2.1 (bulk is its default)
    old = run_importer(server, provisioned, path, "--enable-bulk-tracking")
    assert old.returncode == 2 and "unrecognized arguments: --enable-bulk-tracking" in old.stderr
    server.stop()
    assert stored(provisioned.data_dir) == Truth(0, 0, 0, 0)
