"""`footfall credentials list` and `footfall permissions set`, with their audit entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.meta import services
from footfall.meta.permissions import effective_level
from footfall.meta.store import MetaStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_credentials_list_and_permissions_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert run(capsys, "init", "--data-dir", data, "--json")[0] == 0
    code, out, _ = run(
        capsys, "apps", "create", "--data-dir", data, "--name", "A", "--url", "a.example", "--json"
    )
    app_id = json.loads(out)["id"]
    assert run(capsys, "users", "create", "--data-dir", data, "--email", "u@example.com")[0] == 0
    code, out, _ = run(
        capsys,
        "credentials",
        "create",
        "--data-dir",
        data,
        "--user",
        "u@example.com",
        "--name",
        "ci",
        "--json",
    )
    made = json.loads(out)
    code, out, _ = run(
        capsys, "credentials", "list", "--data-dir", data, "--user", "u@example.com", "--json"
    )
    listed = json.loads(out)
    assert code == 0 and [c["client_id"] for c in listed] == [made["client_id"]]
    assert listed[0]["name"] == "ci" and listed[0]["revoked_at"] is None
    assert made["client_secret"] not in out  # the secret is shown once, at creation
    assert run(capsys, "credentials", "revoke", "--data-dir", data, made["client_id"])[0] == 0
    code, out, _ = run(capsys, "credentials", "list", "--data-dir", data)
    assert "revoked" in out and "default" in out

    code, out, _ = run(
        capsys,
        "permissions",
        "set",
        "--data-dir",
        data,
        "--user",
        "u@example.com",
        "--app",
        app_id,
        "--level",
        "edit",
        "--json",
    )
    assert code == 0 and json.loads(out)["permission"] == "edit"
    with MetaStore(f"sqlite:///{tmp_path / 'data' / 'meta.sqlite'}") as meta:
        user = services.find_user(meta, "u@example.com")
        assert user is not None and effective_level(meta, user.id, app_id) == "edit"
        entry = services.list_audit_entries(meta, type_="permission.user.changed.app")[0]
        assert entry.author_email == "cli" and entry.payload["permission"] == "edit"
    code, _, err = run(
        capsys,
        "permissions",
        "set",
        "--data-dir",
        data,
        "--user",
        "nobody@example.com",
        "--app",
        app_id,
        "--level",
        "view",
    )
    assert code == 1 and "no user" in err
    code, _, err = run(
        capsys,
        "permissions",
        "set",
        "--data-dir",
        data,
        "--user",
        "u@example.com",
        "--app",
        "00000000-0000-0000-0000-000000000000",
        "--level",
        "view",
    )
    assert code == 1 and "does not exist" in err
