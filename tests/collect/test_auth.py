"""Privileged parameters (seed 000 "Special parameters"): back-dating, cip and location overrides."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from footfall import telemetry

from .conftest import BEARER, OTHER_APP, TOKEN, Harness

BASE = "idsite=1&rec=1&url=https%3A%2F%2Fexample.org%2F"


def cdt(hours_ago: float) -> str:
    moment = datetime.fromtimestamp(time.time() - hours_ago * 3600, tz=UTC)
    return quote(moment.strftime("%Y-%m-%d %H:%M:%S"))


NO_CREDENTIALS: dict[str, str] = {}
GOOD_TOKEN = {"query": f"&token_auth={TOKEN}"}
GOOD_BEARER = {"header": BEARER}
BAD_TOKEN = {"query": "&token_auth=nope"}

# (protocol path, privileged extra, credentials, expected status, expected trusted)
CASES = [
    ("/matomo.php", f"&cdt={cdt(1)}", NO_CREDENTIALS, 200, False),
    ("/matomo.php", f"&cdt={cdt(5)}", NO_CREDENTIALS, 400, None),
    ("/matomo.php", f"&cdt={cdt(5)}", BAD_TOKEN, 400, None),
    ("/matomo.php", f"&cdt={cdt(5)}", GOOD_TOKEN, 200, True),
    ("/matomo.php", f"&cdt={cdt(5)}", GOOD_BEARER, 200, True),
    ("/matomo.php", f"&cdt={int(time.time()) - 86400}", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&cip=198.51.100.7", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&cip=198.51.100.7", GOOD_TOKEN, 200, True),
    ("/matomo.php", "&cip=garbage", NO_CREDENTIALS, 200, False),
    ("/matomo.php", "&country=fr", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&region=DS", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&city=Tokyo", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&lat=1.5&long=2.5", NO_CREDENTIALS, 400, None),
    ("/matomo.php", "&lat=1.5&long=2.5", GOOD_BEARER, 200, True),
    ("/matomo.php", "&country=", NO_CREDENTIALS, 200, False),
    ("/ppms.php", f"&cdt={cdt(48)}&cip=198.51.100.7", NO_CREDENTIALS, 202, False),
    ("/ppms.php", "&country=fr&lon=3", NO_CREDENTIALS, 202, False),
    ("/ppms.php", f"&cdt={cdt(48)}", GOOD_TOKEN, 202, True),
    ("/matomo.php", "", GOOD_TOKEN, 200, True),
]


@pytest.mark.parametrize(("path", "extra", "credentials", "status", "trusted"), CASES)
def test_privileged_parameters(
    harness: Harness,
    path: str,
    extra: str,
    credentials: dict[str, str],
    status: int,
    trusted: bool | None,
) -> None:
    headers = (
        {"Authorization": f"Bearer {credentials['header']}"} if "header" in credentials else {}
    )
    r = harness.get(f"{path}?{BASE}{extra}{credentials.get('query', '')}", headers=headers)
    assert r.status_code == status
    if trusted is None:
        assert harness.spool.batches == []
    else:
        (record,) = harness.spool.records
        assert record.trusted is trusted


def test_reasons_are_counted(harness: Harness) -> None:
    harness.get(f"/matomo.php?{BASE}&cdt={cdt(5)}")
    harness.get(f"/matomo.php?{BASE}&cip=192.0.2.1")
    assert (
        telemetry.value("footfall_requests_rejected_total", reason="unauthenticated_backdating")
        == 1
    )
    assert (
        telemetry.value("footfall_requests_rejected_total", reason="unauthenticated_override") == 1
    )


def test_token_for_another_app_does_not_authorize(harness: Harness) -> None:
    r = harness.get(f"/matomo.php?idsite={OTHER_APP}&rec=1&url=x&cip=192.0.2.1&token_auth={TOKEN}")
    assert r.status_code == 400


def test_ppms_can_require_auth(make_harness: Callable[..., Harness]) -> None:
    h = make_harness(ppms_require_auth=True)
    assert h.get(f"/ppms.php?{BASE}&cdt={cdt(48)}").status_code == 400
    assert h.get(f"/ppms.php?{BASE}&cip=192.0.2.1").status_code == 400
    assert h.get(f"/ppms.php?{BASE}&cdt={cdt(48)}&token_auth={TOKEN}").status_code == 202


def test_no_token_check_without_credentials(harness: Harness) -> None:
    harness.get(f"/matomo.php?{BASE}")
    assert harness.tokens.calls == 0
