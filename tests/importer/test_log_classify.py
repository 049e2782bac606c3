"""Exclusions and line classes, in the Piwik PRO importer's order (api-notes §12)."""

from __future__ import annotations

import pytest

from footfall.importer.classify import BOT, DOWNLOAD, ERROR, Classifier, ImportOptions, Skip
from footfall.importer.entry import LogEntry

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


def entry(path: str, status: str = "200", ua: str = BROWSER, host: str = "") -> LogEntry:
    return LogEntry("1.2.3.4", host, "", 0.0, "GET", path, "", status, "1", "", ua)


DEFAULT = ImportOptions()
EVERYTHING = ImportOptions(
    enable_static=True, enable_bots=True, enable_http_errors=True, enable_http_redirects=True
)

CASES = [
    # (options, path, status, user agent, expected)
    (DEFAULT, "/", "200", BROWSER, 0),
    (DEFAULT, "/a/b.HTML", "304", BROWSER, 0),
    (DEFAULT, "/files/x.PDF", "200", BROWSER, DOWNLOAD),
    (DEFAULT, "/app.css", "200", BROWSER, Skip.STATIC),
    (DEFAULT, "/robots.txt", "200", BROWSER, Skip.STATIC),  # counted a download, then static
    (DEFAULT, "/x", "404", BROWSER, Skip.HTTP_ERROR),
    (DEFAULT, "/x", "503", BROWSER, Skip.HTTP_ERROR),
    (DEFAULT, "/x", "301", BROWSER, Skip.HTTP_REDIRECT),
    (DEFAULT, "/x", "200", "Googlebot/2.1", Skip.BOT),
    (DEFAULT, "/x", "200", "curl/8.0", Skip.BOT),
    (DEFAULT, "/x.css", "404", "curl/8.0", Skip.HTTP_ERROR),  # the error rule comes first
    (EVERYTHING, "/app.css", "200", BROWSER, DOWNLOAD),
    (EVERYTHING, "/x", "404", "curl/8.0", ERROR | BOT),
    (EVERYTHING, "/x", "302", BROWSER, 0),
    (
        ImportOptions(download_extensions=frozenset({"zip"})),
        "/a.pdf",
        "200",
        BROWSER,
        Skip.DOWNLOAD,
    ),
]


@pytest.mark.parametrize(("options", "path", "status", "ua", "expected"), CASES)
def test_classes_and_precedence(
    options: ImportOptions, path: str, status: str, ua: str, expected: Skip | int
) -> None:
    assert Classifier(options).classify(entry(path, status, ua)) == expected


def test_downloads_are_counted_even_when_a_later_rule_skips_them() -> None:
    classifier = Classifier(DEFAULT)
    assert classifier.classify(entry("/f.pdf", "404")) is Skip.HTTP_ERROR
    assert classifier.classify(entry("/f.xml")) is Skip.STATIC  # xml: download and static
    assert classifier.downloads == 2


def test_path_host_and_user_agent_options() -> None:
    classifier = Classifier(
        ImportOptions(
            hostnames=("*.example.com",),
            exclude_paths=("/admin/*",),
            useragent_exclude=("Uptime-Kuma",),
        )
    )
    assert classifier.classify(entry("/admin/x", host="www.example.com")) is Skip.EXCLUDED_PATH
    assert classifier.classify(entry("/x", host="other.org")) is Skip.HOSTNAME
    assert classifier.classify(entry("/x", host="www.example.com")) == 0
    assert classifier.classify(entry("/x", ua="uptime-kuma/1.23")) is Skip.BOT
    only = Classifier(ImportOptions(include_paths=("/shop/*",)))
    assert only.classify(entry("/shop/cart")) == 0
    assert only.classify(entry("/blog/")) is Skip.EXCLUDED_PATH
