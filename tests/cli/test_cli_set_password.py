"""`footfall users set-password`: the dashboard password, stored argon2-hashed."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from footfall.cli import main
from footfall.meta import services
from footfall.meta.store import MetaStore


def set_password(monkeypatch: pytest.MonkeyPatch, data: Path, email: str, password: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    argv = ["users", "set-password", "--data-dir", str(data), "--email", email]
    return main([*argv, "--password-stdin"])


def test_set_password_lets_the_user_sign_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["users", "create", "--data-dir", str(tmp_path), "--email", "ann@b.c"]) == 0
    assert set_password(monkeypatch, tmp_path, "Ann@B.c", "Correct-Horse-9") == 0
    assert "Password set for ann@b.c" in capsys.readouterr().out
    meta = MetaStore(f"sqlite:///{tmp_path / 'meta.sqlite'}")
    try:
        assert services.verify_password(meta, "ann@b.c", "Correct-Horse-9") is not None
        assert services.verify_password(meta, "ann@b.c", "correct-horse-9") is None
    finally:
        meta.close()


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ann@b.c", "short1A", "password"),
        ("ann@b.c", "no-digits-at-allA", "password"),
        ("nobody@b.c", "Correct-Horse-9", "no user with email nobody@b.c"),
    ],
)
def test_set_password_errors_are_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    email: str,
    password: str,
    message: str,
) -> None:
    assert main(["users", "create", "--data-dir", str(tmp_path), "--email", "ann@b.c"]) == 0
    capsys.readouterr()
    assert set_password(monkeypatch, tmp_path, email, password) != 0
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_users_invite_prints_a_link_for_new_and_existing_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["users", "invite", "--data-dir", str(tmp_path), "--email", "Zoe@B.c", "--json"]
    assert main(argv) == 0
    first = orjson.loads(capsys.readouterr().out)
    assert first["email"] == "zoe@b.c" and first["role"] == "USER"
    assert first["invitation_url"].startswith("http://127.0.0.1:8000/dashboard/invitation/")
    assert main(argv[:-1]) == 0  # again, as text: a fresh link for the same user
    second = capsys.readouterr().out.splitlines()[-1]
    assert second.startswith("http://") and second != first["invitation_url"]
    meta = MetaStore(f"sqlite:///{tmp_path / 'meta.sqlite'}")
    try:
        with pytest.raises(services.InvitationError):  # the first link was voided
            services.check_invitation(meta, first["invitation_url"].rsplit("/", 1)[1])
        token = second.rsplit("/", 1)[1]
        user = services.accept_invitation(meta, token, "Correct-Horse-9")
        assert services.verify_password(meta, "zoe@b.c", "Correct-Horse-9") == user
    finally:
        meta.close()
