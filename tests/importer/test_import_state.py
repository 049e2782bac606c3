"""The importer's bookkeeping: done, pending and the crash rule against the spool's last seq."""

from __future__ import annotations

from pathlib import Path

from footfall.importer.state import ImportState, Progress


def test_progress_is_kept_across_opens(tmp_path: Path) -> None:
    state = ImportState(tmp_path)
    assert state.progress("f1") == Progress(0, 0)
    state.commit("f1", "/var/log/a.log", Progress(100, 3))
    state.close()
    again = ImportState(tmp_path)
    assert again.progress("f1") == Progress(100, 3)
    assert again.progress("f2") == Progress(0, 0)
    again.close()


def test_a_pending_batch_counts_only_if_the_spool_got_it(tmp_path: Path) -> None:
    state = ImportState(tmp_path)
    state.commit("got", "a", Progress(100, 3))
    state.begin("got", "a", Progress(250, 7), last_seq=40)  # appended, then a crash
    state.commit("lost", "b", Progress(10, 1))
    state.begin("lost", "b", Progress(90, 5), last_seq=41)  # crash before the append
    state.close()
    state = ImportState(tmp_path)
    assert state.progress("got") == Progress(100, 3)  # not done until settled
    assert state.settle(spool_last_seq=40) == 1
    assert state.progress("got") == Progress(250, 7)
    assert state.progress("lost") == Progress(10, 1)
    assert state.settle(spool_last_seq=99) == 0  # nothing pending any more
    state.close()
