"""Every supported log format reads its sample lines into the right fields; detection picks it."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.importer.formats import FORMAT_NAMES, by_name, detect

UA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
T = 1710223336.0  # 2024-03-12 06:02:16 UTC
CLF = '[12/Mar/2024:07:02:16 +0100] "GET /docs/a.html?x=1&y=2 HTTP/1.1" 200 5120'
COMBINED = f'1.2.3.4 - alice {CLF} "https://ref.example/p" "{UA}"'

CASES = {
    "common": [f"1.2.3.4 - alice {CLF}"],
    "ncsa_extended": [COMBINED],
    "common_vhost": [f"Shop.Example.com:443 1.2.3.4 - alice {CLF}"],
    "common_complete": [f'shop.example.com 1.2.3.4 - alice {CLF} "https://ref.example/p" "{UA}"'],
    "icecast2": [f"{COMBINED} 3600"],
    "s3": [
        "79a5 shop.example.com [12/Mar/2024:07:02:16 +0100] 1.2.3.4 alice 3E57 "
        'REST.GET.OBJECT docs/a.html "GET /docs/a.html?x=1&y=2 HTTP/1.1" 200 - 5120 5120 20 '
        f'10 "https://ref.example/p" "{UA}" -'
    ],
    "nginx_json": [
        '{"ip": "1.2.3.4", "host": "shop.example.com", "path": "/docs/a.html?x=1&y=2", '
        '"status": "200", "referrer": "https://ref.example/p", '
        f'"user_agent": "{UA}", "length": 5120, "generation_time_milli": 0.25, '
        '"date": "2024-03-12T07:02:16+01:00", "userid": "alice", "method": "GET"}'
    ],
    "w3c_extended": [
        "#Software: some server",
        "#Fields: date time c-ip cs-username cs-method cs-uri-stem cs-uri-query sc-status "
        "sc-bytes time-taken cs(User-Agent) cs(Referer) cs-host",
        f"2024-03-12 06:02:16 1.2.3.4 alice GET /docs/a.html x=1&y=2 200 5120 0.25 "
        f"{UA.replace(' ', '+')} https://ref.example/p shop.example.com",
    ],
    "iis": [
        "#Software: Microsoft Internet Information Services 10.0",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken",
        f"2024-03-12 06:02:16 10.0.0.1 GET /docs/a.html x=1&y=2 443 alice 1.2.3.4 "
        f"{UA.replace(' ', '+')} https://ref.example/p 200 0 0 5120 250",
    ],
    "amazon_cloudfront": [
        "#Version: 1.0",
        "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
        "sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
        "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken",
        "\t".join(
            [
                "2024-03-12",
                "06:02:16",
                "FRA2",
                "5120",
                "1.2.3.4",
                "GET",
                "d111.cloudfront.net",
                "/docs/a.html",
                "200",
                "https://ref.example/p",
                UA.replace(" ", "%2520"),
                "x=1&y=2",
                "-",
                "Hit",
                "abc==",
                "shop.example.com",
                "https",
                "300",
                "0.250",
            ]
        ),
    ],
}
HOSTS = {"common_vhost", "common_complete", "s3", "nginx_json", "w3c_extended", "amazon_cloudfront"}
AGENTS = set(CASES) - {"common", "common_vhost"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_format_reads_fields_and_is_detected(name: str) -> None:
    lines = CASES[name]
    found = detect(lines)
    assert found is not None and found.name == name
    entry = found.parse(lines[-1])
    assert entry is not None
    assert (entry.ip, entry.path, entry.query, entry.status) == (
        "1.2.3.4",
        "/docs/a.html",
        "x=1&y=2",
        "200",
    )
    assert entry.time == T
    assert entry.length == "5120"
    assert entry.host == ("shop.example.com" if name in HOSTS else "")
    assert entry.userid == ("" if name == "amazon_cloudfront" else "alice")
    if name in AGENTS:
        assert entry.user_agent == UA
        assert entry.referrer == "https://ref.example/p"
    if name in ("nginx_json", "w3c_extended", "iis", "amazon_cloudfront"):
        assert entry.generation_ms == pytest.approx(250.0)


def test_detection_prefers_the_most_specific_format() -> None:
    # a combined line is also a common line; the vhost line is neither
    assert detect([COMBINED]).name == "ncsa_extended"  # type: ignore[union-attr]
    assert detect(["garbage", COMBINED]).name == "ncsa_extended"  # type: ignore[union-attr]
    assert detect(["nothing here", "at all"]) is None


def test_vhost_host_is_lowercased_and_the_port_dropped() -> None:
    entry = by_name("common_vhost").parse(CASES["common_vhost"][0])
    assert entry is not None and entry.host == "shop.example.com"


def test_escaped_quotes_in_the_user_agent_are_unescaped() -> None:
    line = f'1.2.3.4 - - {CLF} "-" "Agent \\"quoted\\" 1.0"'
    entry = by_name("ncsa_extended").parse(line)
    assert entry is not None and entry.user_agent == 'Agent "quoted" 1.0' and entry.referrer == ""


def test_a_malformed_date_gives_no_time_but_a_line() -> None:
    entry = by_name("common").parse(
        '1.2.3.4 - - [99/Foo/2024:07:02:16 +0100] "GET / HTTP/1.1" 200 1'
    )
    assert entry is not None and entry.time is None


def test_w3c_formats_need_their_fields_line() -> None:
    with pytest.raises(ValueError, match="#Fields:"):
        by_name("iis", [COMBINED])
    with pytest.raises(ValueError, match="unknown log format"):
        by_name("apache2")
    assert set(FORMAT_NAMES) >= set(CASES)


def test_w3c_directives_and_short_lines_are_not_entries() -> None:
    w3c = detect(CASES["w3c_extended"])
    assert w3c is not None
    assert w3c.parse("#Date: 2024-03-12 00:00:00") is None
    assert w3c.parse("2024-03-12 06:02:16 1.2.3.4") is None


@given(st.text(max_size=300))
def test_no_format_raises_on_any_text(line: str) -> None:
    for name in FORMAT_NAMES:
        head = CASES[name][:-1] if name in CASES else []
        by_name(name, head).parse(line)


_PATH = st.text(string.ascii_letters + string.digits + "/-_.~%", min_size=0, max_size=40)
_AGENT = st.text(string.printable.replace('"', "").replace("\\", "").replace("\n", ""), max_size=80)


@given(path=_PATH, agent=_AGENT, status=st.integers(100, 599), size=st.integers(0, 10**9))
def test_combined_lines_round_trip(path: str, agent: str, status: int, size: int) -> None:
    line = (
        f'9.8.7.6 - - [01/Jan/2024:00:00:00 +0000] "POST /{path} HTTP/2.0" {status} {size} '
        f'"-" "{agent}"'
    )
    entry = by_name("ncsa_extended").parse(line)
    assert entry is not None
    assert (entry.path + ("?" + entry.query if entry.query else "")) == "/" + path
    assert (entry.status, entry.length, entry.user_agent) == (str(status), str(size), agent)
    assert entry.time == 1704067200.0 and entry.method == "POST"
