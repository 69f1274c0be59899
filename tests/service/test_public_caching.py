"""What a public reader costs: every public answer is bytes built once per snapshot version, with a strong ETag,
`If-None-Match` -> 304, a live page's `Cache-Control`, and a gzip body for a reader that accepts one.

The figures the page must show after an accepted protocol come from examples/almaty-2023/protocols/district-01.csv
(station 101's list ballot, `STATION_101_LIST`), never from saylau's own count.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import socket
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import saylau.web
from saylau.web.public import PATHS, POLL_SECONDS, accepts_gzip
from tests.service.conftest import ALMATY
from tests.service.helpers import STATION_101_LIST, user
from tests.service.live import Server

ENTRIES = "/api/protocols/101/list/entries"
PLAIN = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip, deflate"}


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: what is cached is the snapshot's rendering, the same on both backends."""
    return f"sqlite:///{tmp_path / 'saylau.sqlite'}"


def _raw(client: TestClient, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body as sent (not decompressed)."""
    with client.stream("GET", path, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def _accept_station_101(client: TestClient) -> None:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    assert client.post(ENTRIES, json=STATION_101_LIST, headers=one).status_code in (200, 201)
    accepted = client.post(ENTRIES, json=STATION_101_LIST, headers=two)
    assert accepted.json()["state"] == "accepted", accepted.text


@pytest.mark.parametrize("path", sorted(PATHS))
def test_one_version_is_the_same_bytes_and_a_reader_who_has_them_gets_304(client: TestClient, path: str) -> None:
    first = client.get(path, headers=PLAIN)
    again = client.get(path, headers=PLAIN)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    tag = first.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/"), "a strong ETag"
    assert first.headers["cache-control"] == "public, max-age=0, s-maxage=1, must-revalidate"
    assert first.headers["vary"] == "Accept-Language, Accept-Encoding"
    held = client.get(path, headers={**PLAIN, "If-None-Match": tag})
    assert held.status_code == 304 and held.content == b"" and held.headers["etag"] == tag
    assert client.get(path, headers={**PLAIN, "If-None-Match": f'"x", W/{tag}'}).status_code == 304
    assert client.get(path, headers={**PLAIN, "If-None-Match": "*"}).status_code == 304
    assert client.get(path, headers={**PLAIN, "If-None-Match": '"v0-other"'}).status_code == 200


def test_an_accepted_protocol_gives_a_new_version_with_new_bytes(client: TestClient) -> None:
    before = client.get("/live?lang=en", headers=PLAIN)
    tag = before.headers["etag"]
    _accept_station_101(client)
    deadline = time.monotonic() + 30
    after = client.get("/live?lang=en", headers={**PLAIN, "If-None-Match": tag})
    while (after.status_code == 304 or "1 of 553 stations" not in after.text) and time.monotonic() < deadline:
        time.sleep(0.1)
        after = client.get("/live?lang=en", headers={**PLAIN, "If-None-Match": tag})
    assert after.status_code == 200, "the reader's version is not the latest once a protocol is accepted"
    assert after.headers["etag"] != tag and after.content != before.content
    assert "1 of 553 stations" in after.text and "0 of 553 stations" in before.text
    new = after.headers["etag"]
    assert client.get("/live?lang=en", headers={**PLAIN, "If-None-Match": new}).status_code == 304
    figures = client.get("/api/public/results.json").json()
    assert {p["name"]: p["list_votes"] for p in figures["parties"]}["Amanat"] == 343


def test_each_language_is_cached_apart(client: TestClient) -> None:
    said = {"kk": "553 учаскенің 0", "ru": "0 из 553 участков", "en": "0 of 553 stations"}
    pages = {lang: client.get(f"/?lang={lang}", headers=PLAIN) for lang in said}
    tags = {lang: page.headers["etag"] for lang, page in pages.items()}
    assert len(set(tags.values())) == 3
    for lang, page in pages.items():
        assert f'<html lang="{lang}">' in page.text and said[lang] in page.text
        for other in said:
            got = client.get(f"/?lang={other}", headers={**PLAIN, "If-None-Match": tags[lang]})
            assert got.status_code == (304 if other == lang else 200), (lang, other)
        by_browser = client.get("/", headers={**PLAIN, "Accept-Language": f"{lang}-KZ,{lang};q=0.9"})
        assert by_browser.content == page.content and by_browser.headers["etag"] == tags[lang]


def test_a_reader_that_accepts_gzip_gets_the_same_bytes_compressed(client: TestClient) -> None:
    status, plain_headers, plain = _raw(client, "/?lang=kk", PLAIN)
    assert status == 200 and "content-encoding" not in plain_headers
    status, headers, packed = _raw(client, "/?lang=kk", GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
    assert headers["content-length"] == str(len(packed))
    assert headers["etag"] != plain_headers["etag"], "other bytes, another strong ETag"
    assert _raw(client, "/?lang=kk", GZIP)[2] == packed, "compressed once per version: the same bytes"
    held = _raw(client, "/?lang=kk", {**GZIP, "If-None-Match": headers["etag"]})
    assert held[0] == 304 and held[1]["etag"] == headers["etag"]
    kept_plain = _raw(client, "/?lang=kk", {**GZIP, "If-None-Match": plain_headers["etag"]})
    assert kept_plain[0] == 304 and kept_plain[1]["etag"] == plain_headers["etag"], "the plain copy is still current"
    refused = _raw(client, "/?lang=kk", {"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused[1] and refused[2] == plain


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [("gzip", True), ("deflate, gzip;q=0.8", True), ("GZIP", True), ("*", True), ("x-gzip", True),
     ("gzip;q=0", False), ("gzip; q=0.0", False), ("identity", False), ("br, deflate", False), ("", False)],
)  # fmt: skip
def test_accept_encoding_as_rfc_9110_reads_it(header: str, gzip_ok: bool) -> None:
    assert accepts_gzip(header.encode()) is gzip_ok


@pytest.mark.parametrize(("page", "fragment"), [("/", "/live"), ("/projector", "/projector/live")])
def test_the_page_carries_its_fragments_etag_so_its_first_poll_is_a_304(
    client: TestClient, page: str, fragment: str
) -> None:
    for lang in ("kk", "ru"):
        html = client.get(f"{page}?lang={lang}").text
        found = re.search(r'<div id="live" data-live="([^"]+)" data-poll="(\d+)" data-etag="([^"]+)"', html)
        assert found, "the live box names its fragment, its interval and the fragment's ETag"
        live, tag = found.group(1).replace("&amp;", "&"), found.group(3).replace("&#34;", '"')
        assert live == f"{fragment}?lang={lang}"
        assert client.get(live, headers={"If-None-Match": tag}).status_code == 304
        assert client.get(live).headers["etag"] in (tag, tag[:-1] + '-gzip"')


def test_the_statistics_page_is_prepared_once_per_version(client: TestClient) -> None:
    first = client.get("/statistics?lang=ru", headers=PLAIN)
    assert first.status_code == 200 and "Статистика" in first.text
    again = client.get("/statistics?lang=ru", headers={**PLAIN, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert (
        client.get("/statistics?lang=kk", headers={**PLAIN, "If-None-Match": first.headers["etag"]}).status_code == 200
    )


def test_saylau_serve_keeps_a_polling_readers_connection(tmp_path: Path) -> None:
    """A browser polling every `POLL_SECONDS` keeps one connection: `saylau serve` holds an idle one longer than
    that (uvicorn's default, 5 s, closed it before the next poll)."""
    server = Server(ALMATY, f"sqlite:///{tmp_path / 'saylau.sqlite'}", tmp_path / "serve.log")
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as wire:
            ask = b"GET /live?lang=kk HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n"
            wire.sendall(ask + b"\r\n")
            first = _head(wire)
            assert first[0].startswith(b"HTTP/1.1 200"), first[0]
            tag = next(line.split(b":", 1)[1].strip() for line in first if line.lower().startswith(b"etag:"))
            length = next(int(line.split(b":", 1)[1]) for line in first if line.lower().startswith(b"content-length:"))
            _read(wire, length)
            time.sleep(POLL_SECONDS + 1)  # one poll interval and more, idle
            wire.sendall(ask + b"If-None-Match: " + tag + b"\r\n\r\n")
            assert _head(wire)[0].startswith(b"HTTP/1.1 304"), "the same connection answers the next poll"
    finally:
        server.stop()


def _head(wire: socket.socket) -> list[bytes]:
    """The status line and headers of the next answer on `wire`."""
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = wire.recv(1)
        assert chunk, "the server closed the connection"
        got += chunk
    return got[:-4].split(b"\r\n")


def _read(wire: socket.socket, length: int) -> None:
    while length > 0:
        chunk = wire.recv(length)
        assert chunk
        length -= len(chunk)


STATIC = Path(saylau.web.__file__).parent / "static"
YEAR = "public, max-age=31536000, immutable"


@pytest.mark.parametrize(("page", "sheet"), [("/?lang=kk", "public.css"), ("/login?lang=ru", "service.css")])
def test_a_page_names_its_style_by_its_content_and_that_address_is_cached_for_a_year(
    client: TestClient, page: str, sheet: str
) -> None:
    """The public page and a staff page link their style sheet (and script) by an address carrying the file's
    SHA-256: served with a year's immutable caching, the file's own bytes."""
    html = client.get(page).text
    stem, suffix = sheet.split(".")
    found = re.search(rf'href="/static/{stem}\.([0-9a-f]{{12}})\.{suffix}"', html)
    assert found, f"{page} links {sheet} by its fingerprint"
    body = (STATIC / sheet).read_bytes()
    assert found.group(1) == hashlib.sha256(body).hexdigest()[:12]
    answer = client.get(found.group(0)[6:-1])
    assert answer.status_code == 200 and answer.content == body
    assert answer.headers["cache-control"] == YEAR
    scripts = re.findall(r'src="(/static/[^"]+)"', html)
    for script in scripts:
        assert re.fullmatch(r"/static/[a-z_]+\.[0-9a-f]{12}\.js", script), script
        assert client.get(script).headers["cache-control"] == YEAR
    assert scripts or page.startswith("/login"), "the public page's live.js"


def test_a_plain_or_stale_static_address_is_revalidated_by_its_etag(client: TestClient) -> None:
    """`/static/public.css` (and an address whose fingerprint is not the file's: a page cached before an upgrade)
    serves the current file with `no-cache`: a cache keeps it but asks again, and gets a 304 while it is the same."""
    body = (STATIC / "public.css").read_bytes()
    for path in ("/static/public.css", "/static/public.000000000000.css"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.content == body
        assert answer.headers["cache-control"] == "no-cache"
        again = client.get(path, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"
    assert client.get("/static/nothing.abcdefabcdef.css").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404
