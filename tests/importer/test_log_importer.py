"""LogImporter into a real spool: records the pipeline parses like HTTP hits, exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.collect.params import parse_hit
from footfall.importer import (
    ImportOptions,
    ImportState,
    LogImporter,
    SiteResolver,
    Skip,
    UnknownApp,
    UnknownFormat,
)
from footfall.meta.directory import MetaDirectory
from footfall.meta.services import create_app, find_app
from footfall.meta.store import MetaStore
from footfall.model.record import RawRecord
from footfall.spool import Spool
from scenarios.access_log import Flags, generate, summary


class Setup:
    def __init__(self, meta: MetaStore, tmp_path: Path) -> None:
        self.app = create_app(meta, name="Shop", urls=["https://shop.example.com"])
        self.other = create_app(meta, name="Blog", urls=["http://blog.example.org"])
        self.directory = MetaDirectory(meta)
        self.meta = meta
        self.spool = Spool(tmp_path / "spool")
        self.tmp = tmp_path

    def urls(self, website_id: str) -> tuple[str, ...]:
        app = find_app(self.meta, website_id)
        return app.urls if app else ()

    def importer(self, options: ImportOptions, state: ImportState | None = None) -> LogImporter:
        sites = SiteResolver(
            options.idsite, self.directory.resolve, self.directory.app_for_host, self.urls
        )
        return LogImporter(self.spool, sites, self.directory.resolve, options, state=state)

    def records(self) -> list[RawRecord]:
        return [RawRecord.decode(p, s) for s, p in self.spool.read(0, 1_000_000)]


@pytest.fixture
def setup(meta: MetaStore, tmp_path: Path) -> Setup:
    return Setup(meta, tmp_path)


def test_lines_become_the_records_of_a_ppms_bulk_request(setup: Setup) -> None:
    log = generate(visitors=12, bots=2)
    path = setup.tmp / "access.log"
    path.write_text(log.text())
    result = setup.importer(ImportOptions(idsite=str(setup.app.alias))).import_file(path)
    want = summary(log)
    assert result.recorded == want["recorded"] and result.downloads == want["downloads"]
    assert result.ignored[Skip.STATIC] == want["static"]
    assert result.ignored[Skip.BOT] == want["bots"]
    assert result.ignored[Skip.INVALID] == want["invalid"]
    records = setup.records()
    assert len(records) == want["recorded"]
    first = records[0]
    assert (first.website_id, first.protocol, first.trusted) == (setup.app.id, "ppms", True)
    hit = parse_hit(first)
    line = next(x for x in log.lines if x.kind == "page")
    assert hit.ip == line.text.split(" ", 1)[0]
    assert hit.url.startswith("https://shop.example.com/")
    assert hit.user_agent in line.text
    assert hit.timestamp < first.received_at - 3600  # the log's own time (cdt), not now
    assert hit.tracking_source.startswith("wla/")
    assert hit.page_custom_variables[1] == ("HTTP-code", "200")
    downloads = [parse_hit(r) for r in records if "download" in r.params]
    assert downloads and all(h.download_url.endswith(".pdf") for h in downloads)


def test_vhost_lines_go_to_the_app_of_their_host(setup: Setup) -> None:
    logs = [
        generate(visitors=5, bots=0, host="shop.example.com"),
        generate(visitors=3, bots=0, seed=9, host="blog.example.org"),
        generate(visitors=2, bots=0, seed=3, host="unknown.example.net"),
    ]
    shop, blog, stray = (summary(log, Flags(static=True))["recorded"] for log in logs)
    path = setup.tmp / "vhost.log"
    path.write_text("".join(log.text() for log in logs))
    importer = setup.importer(ImportOptions(enable_static=True))
    result = importer.import_file(path)
    by_app: dict[str, int] = {}
    for record in setup.records():
        by_app[record.website_id] = by_app.get(record.website_id, 0) + 1
        assert record.params["url"].startswith(
            "https://shop.example.com/" if record.website_id == setup.app.id else "http://blog."
        )
    assert by_app == {setup.app.id: shop, setup.other.id: blog}
    assert result.ignored[Skip.NO_SITE] == stray
    assert importer.sites.unmatched_hosts == {"unknown.example.net"}


def test_the_same_file_twice_imports_nothing_new_and_a_grown_file_only_its_tail(
    setup: Setup,
) -> None:
    lines = generate(visitors=20, bots=0).text().splitlines(keepends=True)
    path = setup.tmp / "access.log"
    path.write_text("".join(lines[:150]))
    state = ImportState(setup.tmp)
    options = ImportOptions(idsite=setup.app.id, enable_static=True)
    first = setup.importer(options, state).import_file(path)
    assert (first.lines, first.already_imported) == (150, 0)
    again = setup.importer(options, state).import_file(path)
    assert (again.lines, again.recorded, again.already_imported) == (0, 0, 150)
    with path.open("a") as f:
        f.write("".join(lines[150:]))
    grown = setup.importer(options, state).import_file(path)
    assert (grown.lines, grown.already_imported) == (len(lines) - 150, 150)
    assert len(setup.records()) == first.recorded + grown.recorded
    state.close()


def test_a_crash_between_spool_and_bookkeeping_neither_loses_nor_repeats(setup: Setup) -> None:
    path = setup.tmp / "access.log"
    path.write_text(generate(visitors=10, bots=0).text())
    options = ImportOptions(idsite=setup.app.id)
    state = ImportState(setup.tmp)
    importer = setup.importer(options, state)
    # the process dies right after the spool append, before the batch is recorded as done
    state.commit = lambda *args: None  # type: ignore[method-assign]
    recorded = importer.import_file(path).recorded
    state.close()
    state = ImportState(setup.tmp)
    assert state.settle(setup.spool.last_seq) == 1
    again = setup.importer(options, state).import_file(path)
    assert again.recorded == 0 and len(setup.records()) == recorded
    state.close()


def test_unknown_app_and_format_are_clear_errors(setup: Setup) -> None:
    with pytest.raises(UnknownApp, match="no app with id or alias '999'"):
        setup.importer(ImportOptions(idsite="999"))
    path = setup.tmp / "x.log"
    path.write_text("hello\nworld\n")
    with pytest.raises(UnknownFormat, match="--log-format-name"):
        setup.importer(ImportOptions(idsite=setup.app.id)).import_file(path)
