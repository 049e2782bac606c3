"""Browser fixtures: Debian's Chromium driven by Playwright, one `footfall serve` for the session,
and a tiny static server for the test pages under several `*.test` host names.

Chromium resolves every `*.test` name to 127.0.0.1 (`--host-resolver-rules`), so one static
server on one port serves `shop.test`, `www.shop.test`, `blog.test`...: distinct sites with
distinct cookie jars, as cross-domain linking and `setDomains` need.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e.conftest import Provisioned
from e2e.server import Server
from footfall.meta import services
from footfall.meta.custom_dimensions import create_custom_dimension
from footfall.meta.store import MetaStore

CHROMIUM = Path("/usr/bin/chromium")
#: one app per API group, so each test module reads only its own rows
GROUPS = (
    "pageviews",
    "events",
    "ecommerce",
    "custom",
    "content",
    "links",
    "users",
    "crossdomain",
    "misc",
    "amp",
)


@dataclass
class Footfall:
    """The running server, its data dir and the app id of each group."""

    server: Server
    data_dir: Path
    apps: dict[str, str]
    goals: dict[str, int]
    provisioned: Provisioned

    @property
    def url(self) -> str:
        return self.server.url

    def rows(
        self, sql: str, params: list[Any] | tuple[Any, ...] = (), *, until: int = 1
    ) -> list[tuple[Any, ...]]:
        """Run `sql` on a snapshot of the live store until it returns `until` rows or more.

        why: the server holds DuckDB's file lock, so the test reads a copy taken while the
        pipeline is idle (the WAL comes along and is replayed by the copy).
        """
        deadline = time.monotonic() + 15
        rows: list[tuple[Any, ...]] = []
        while time.monotonic() < deadline:
            self.server.wait_idle()
            rows = snapshot_query(self.data_dir, sql, params)
            if len(rows) >= until:
                return rows
            time.sleep(0.3)
        return rows

    def expect(
        self, sql: str, params: list[Any] | tuple[Any, ...], expected: list[tuple[Any, ...]]
    ) -> None:
        """Assert that `sql` returns `expected`, waiting up to 15 s for the pipeline to get there
        (session rows are rewritten while a visit is active)."""
        deadline = time.monotonic() + 15
        rows: list[tuple[Any, ...]] = []
        while time.monotonic() < deadline:
            self.server.wait_idle()
            rows = snapshot_query(self.data_dir, sql, params)
            if rows == expected:
                return
            time.sleep(0.3)
        assert rows == expected, f"store rows {rows}"


def snapshot_query(data_dir: Path, sql: str, params: Any) -> list[tuple[Any, ...]]:
    """Copy events.duckdb (and its WAL) aside and query the copy."""
    import duckdb

    target = data_dir.parent / f"snapshot-{uuid.uuid4().hex}"
    target.mkdir()
    try:
        for name in ("events.duckdb", "events.duckdb.wal"):
            source = data_dir / name
            if source.exists():
                shutil.copyfile(source, target / name)
        con = duckdb.connect(str(target / "events.duckdb"))
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()
    finally:
        shutil.rmtree(target, ignore_errors=True)


@pytest.fixture(scope="session")
def footfall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Footfall]:
    """One provisioned server for every browser test; one app per group, one goal per app."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    data_dir.mkdir()
    # why: in-process, the same services the CLI calls, without paying three interpreter starts
    meta = MetaStore(f"sqlite:///{data_dir / 'meta.sqlite'}")
    apps: dict[str, str] = {}
    goals: dict[str, int] = {}
    try:
        meta.migrate()
        made = services.init_owner(meta)
        for group in GROUPS:
            app = services.create_app(
                meta,
                name=f"browser {group}",
                urls=["http://shop.test", "http://www.shop.test", "http://blog.test"],
            )
            apps[group] = app.id
            goals[group] = services.create_goal(meta, app.id, name="Newsletter").id
        # tracking ids 1-3 are session dimensions (slots 1-3), 4-6 event dimensions (slots 1-3)
        for n, scope in enumerate(("session",) * 3 + ("event",) * 3, start=1):
            create_custom_dimension(
                meta,
                apps["custom"],
                {"name": f"dimension {n}", "scope": scope, "active": True, "case_sensitive": True},
            )
    finally:
        meta.close()
    provisioned = Provisioned(
        data_dir=data_dir,
        app_id=apps["pageviews"],
        app_alias=1,
        token_auth=made.token_auth or "",
        client_id=made.client_id,
        client_secret=made.client_secret,
    )
    server = Server(data_dir)
    server.start()
    try:
        yield Footfall(server, data_dir, apps, goals, provisioned)
    finally:
        server.stop()


class Pages:
    """Test pages by path, served to every host name by a static server on one port."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(urlsplit(self.path).path)
                if body is None:
                    self.send_response(404)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def pages() -> Iterator[Pages]:
    p = Pages()
    yield p
    p.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium; `make test` installs /usr/bin/chromium when it is missing.

    why: module scope: Playwright's sync API holds an event loop on the main thread while it
    runs, which would break every later test that calls asyncio.run().
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        "Chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--host-resolver-rules=MAP *.test 127.0.0.1"],
        )
        yield b
        b.close()


def parse_hits(method: str, url: str, body: str | None) -> list[dict[str, str]]:
    """The tracking requests inside one HTTP request: query, form body or bulk JSON."""
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if method != "POST" or not body:
        return [query]
    if body.lstrip().startswith("{"):
        items = orjson.loads(body)["requests"]
        return [dict(parse_qsl(urlsplit(i).query, keep_blank_values=True)) for i in items]
    return [{**dict(parse_qsl(body, keep_blank_values=True)), **query}]


@dataclass
class Sent:
    """One HTTP request to ppms.php as the browser sent it."""

    method: str
    url: str
    resource_type: str
    content_type: str
    hits: list[dict[str, str]]


@dataclass
class Tab:
    """A browser context and page recording every request it sends to the tracker."""

    context: Any
    page: Any
    footfall: Footfall
    pages: Pages
    app: str
    sent: list[Sent] = field(default_factory=list)

    def hits(self) -> list[dict[str, str]]:
        return [h for s in self.sent for h in s.hits]

    def wait_hits(
        self, predicate: Callable[[dict[str, str]], bool] = lambda h: True, count: int = 1
    ) -> list[dict[str, str]]:
        """The hits matching `predicate`, waiting up to 10 s until there are `count`."""
        deadline = time.monotonic() + 10
        while True:
            found = [h for h in self.hits() if predicate(h)]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"expected {count} hits, got {found} of {self.hits()}"
                return found
            self.page.wait_for_timeout(50)

    def open(
        self, host: str, path: str, body: str, commands: str = "", *, script: str = "ppms.js"
    ) -> None:
        """Serve a page at host/path: `commands` run before the tracker loads, like the snippet."""
        self.pages.pages[urlsplit(path).path] = page_html(
            self.footfall.url, self.app, body, commands, script
        )
        self.page.goto(self.pages.url(host, path))

    def run(self, js: str) -> Any:
        return self.page.evaluate(js)


def sign_in(page: Any, url: str, who: tuple[str, str], target: str) -> None:
    """Open dashboard page `target` of the server at `url`, get sent to the sign-in form, sign in
    as `who` (email, password) and land on the page."""
    page.goto(url + target)
    assert "/dashboard/login" in page.url
    page.get_by_label("Email").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def page_html(server: str, app: str, body: str, commands: str, script: str = "ppms.js") -> str:
    """A page with the documented snippet (seed 001 §2.1.2) plus `commands` pushed first.

    Page-performance sampling is off unless `commands` turn it on, so tests see no random hits.
    """
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Test page</title>
<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(["setTimingDataSamplingOnPageLoad", 0]);  // no random page-performance hits
  {commands}
  (function() {{
    var u="{server}/";
    _paq.push(["setTrackerUrl", u+"ppms.php"]);
    _paq.push(["setSiteId", "{app}"]);
    var d=document, g=d.createElement("script"), s=d.getElementsByTagName("script")[0];
    g.async=true; g.src=u+"{script}"; s.parentNode.insertBefore(g,s);
  }})();
</script></head><body>{body}</body></html>"""


@pytest.fixture
def tab_factory(browser: Any, footfall: Footfall, pages: Pages) -> Iterator[Callable[[str], Tab]]:
    """New tabs (fresh contexts: own cookies) recording the tracking requests they send."""
    contexts: list[Any] = []

    def make(group: str) -> Tab:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        tab = Tab(context, page, footfall, pages, footfall.apps[group])

        def on_request(request: Any) -> None:
            if "/ppms.php" not in request.url:
                return
            body = request.post_data
            tab.sent.append(
                Sent(
                    request.method,
                    request.url,
                    request.resource_type,
                    request.headers.get("content-type", ""),
                    parse_hits(request.method, request.url, body),
                )
            )

        context.on("request", on_request)
        return tab

    yield make
    for c in contexts:
        c.close()
