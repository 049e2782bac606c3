"""A second MetaStore on the same file must not blind the first one's pooled connections."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from footfall.meta import services
from footfall.meta.store import MetaStore

FOOTFALL = Path(sys.executable).parent / "footfall"


def _create_user_elsewhere(data_dir: Path, email: str) -> None:
    """Another process writes (and checkpoints the WAL), as `footfall users create` does."""
    subprocess.run(
        [str(FOOTFALL), "--data-dir", str(data_dir), "users", "create", "--email", email],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_writes_of_other_processes_stay_visible_after_a_second_store_opens(
    tmp_path: Path,
) -> None:
    dsn = f"sqlite:///{tmp_path / 'meta.sqlite'}"
    first = MetaStore(dsn)
    first.migrate()
    _create_user_elsewhere(tmp_path, "a@example.com")
    assert services.find_user(first, "a@example.com") is not None
    second = MetaStore(dsn)  # the server opens one for its first-run bootstrap, for instance
    second.close()
    for email in ("b@example.com", "c@example.com"):
        _create_user_elsewhere(tmp_path, email)
        assert services.find_user(first, email) is not None, email
    first.close()
