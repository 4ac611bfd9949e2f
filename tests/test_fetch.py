"""briefing.ingest.fetch against a real HTTP server on 127.0.0.1 (tests/helpers/feedserver.py)."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from briefing import __version__
from briefing.config import Settings
from briefing.ingest.fetch import (
    Fetcher,
    FetchRequest,
    describe_size,
    fetch_all,
    parse_retry_after,
)
from tests.helpers.feedserver import Clock, Reply, gzipped, item, rss

FEED = rss(item("a-1", "Ankara talks", "http://example.invalid/1", "<p>Body</p>"))
FAST = Settings(timeout=5, connect_timeout=2)


def fetch(url: str, settings: Settings = FAST, etag: str | None = None, last_modified: str | None = None):
    return asyncio.run(fetch_all([FetchRequest("feed", url, etag, last_modified)], settings))[0]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_200_returns_the_body_and_the_validators_exactly(feed_server):
    feed_server.route(
        "/f.xml", Reply(body=FEED, headers={"ETag": 'W/"v1-abc"', "Last-Modified": "Tue, 04 Feb 2025 12:00:00 GMT"})
    )
    result = fetch(feed_server.url("/f.xml"))
    assert result.status == "ok", result.error
    assert result.http_status == 200
    assert result.body == FEED
    assert result.etag == 'W/"v1-abc"'
    assert result.last_modified == "Tue, 04 Feb 2025 12:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    seen = feed_server.requests("/f.xml")[0]
    assert seen.header("user-agent").startswith(f"briefing/{__version__} ")
    assert "gzip" in seen.header("accept-encoding")
    assert seen.header("if-none-match") is None and seen.header("if-modified-since") is None


def test_conditional_get_sends_the_etag_back_byte_for_byte(feed_server):
    etag = 'W/"ü-1 \\"quoted\\""'  # weak, quotes, a backslash and a non-ASCII byte
    stamp = "Tue, 04 Feb 2025 12:00:00 GMT"

    def answer(seen):
        if seen.header("if-none-match") == etag and seen.header("if-modified-since") == stamp:
            return Reply(304, headers={"ETag": etag})
        return Reply(body=FEED, headers={"ETag": etag, "Last-Modified": stamp})

    feed_server.route("/f.xml", answer)
    first = fetch(feed_server.url("/f.xml"))
    assert first.status == "ok" and first.etag == etag and first.last_modified == stamp
    second = fetch(feed_server.url("/f.xml"), etag=first.etag, last_modified=first.last_modified)
    assert second.status == "not_modified", second.error
    assert second.http_status == 304 and second.body is None
    sent = feed_server.requests("/f.xml")[1]
    assert sent.header("if-none-match") == etag
    assert sent.header("if-modified-since") == stamp


def test_redirects_are_followed_and_counted(feed_server):
    feed_server.route("/old", Reply(301, headers={"Location": "/older"}))
    feed_server.route("/older", Reply(302, headers={"Location": feed_server.url("/new.xml")}))
    feed_server.route("/new.xml", Reply(body=FEED))
    result = fetch(feed_server.url("/old"))
    assert result.status == "ok", result.error
    assert result.final_url == feed_server.url("/new.xml")
    assert result.url == feed_server.url("/old")
    assert [feed_server.hits(p) for p in ("/old", "/older", "/new.xml")] == [1, 1, 1]


def test_five_redirects_are_fine_and_six_are_too_many(feed_server):
    for i in range(6):
        feed_server.route(f"/r{i}", Reply(307, headers={"Location": f"/r{i + 1}"}))
    feed_server.route("/r6", Reply(body=FEED))
    assert fetch(feed_server.url("/r1")).status == "ok"  # r1 -> ... -> r6: five redirects
    result = fetch(feed_server.url("/r0"))  # six
    assert result.status == "failed"
    assert result.error == "too many redirects (more than 5)"


def test_a_redirect_loop_stops(feed_server):
    feed_server.route("/a", Reply(302, headers={"Location": "/b"}))
    feed_server.route("/b", Reply(302, headers={"Location": "/a"}))
    with Clock() as clock:
        result = fetch(feed_server.url("/a"))
    assert result.error == f"redirect loop: redirected back to {feed_server.url('/a')}"
    assert feed_server.hits("/a") + feed_server.hits("/b") == 4  # A, B, A, B: back to A twice is a loop
    assert clock.seconds < 3


def test_a_redirect_back_once_is_followed(feed_server):
    # A site that sets a cookie and sends the reader back where it came from.
    served = []

    def answer(seen):
        served.append(1)
        if len(served) == 1:
            return Reply(302, headers={"Location": "/c", "Set-Cookie": "seen=1; Path=/"})
        return Reply(body=rss(item("c1", "Back once", "http://example.invalid/c1")))

    feed_server.route("/c", answer)
    result = fetch(feed_server.url("/c"))
    assert result.status == "ok", result.error
    assert len(served) == 2


@pytest.mark.parametrize(
    "target, scheme",
    [
        ("file:///etc/passwd", "file"),
        ("ftp://127.0.0.1/feed.xml", "ftp"),
        ("javascript:alert(1)", "javascript"),
    ],
)
def test_a_redirect_to_a_non_http_url_is_refused(feed_server, target, scheme):
    feed_server.route("/f.xml", Reply(302, headers={"Location": target}))
    result = fetch(feed_server.url("/f.xml"))
    assert result.status == "failed"
    assert result.error == f"redirect to a non-http(s) URL refused ({scheme}:)"


@pytest.mark.parametrize("status", [404, 410, 500, 502])
def test_http_errors_in_words(feed_server, status):
    feed_server.route("/f.xml", Reply(status, body=b"<html>error</html>", content_type="text/html"))
    result = fetch(feed_server.url("/f.xml"))
    assert result.status == "failed"
    assert result.error == f"HTTP {status}"
    assert result.http_status == status
    assert result.retry_after is None


def test_429_with_retry_after_seconds(feed_server):
    feed_server.route("/f.xml", Reply(429, headers={"Retry-After": "120"}))
    before = datetime.now(UTC)
    result = fetch(feed_server.url("/f.xml"))
    assert result.error == "HTTP 429"
    assert before + timedelta(seconds=119) <= result.retry_after <= before + timedelta(seconds=125)


def test_503_with_retry_after_date(feed_server):
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    feed_server.route("/f.xml", Reply(503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    result = fetch(feed_server.url("/f.xml"))
    assert result.error == "HTTP 503"
    assert result.retry_after == when


def test_retry_after_parsing():
    now = datetime(2025, 2, 4, 12, 0, tzinfo=UTC)
    assert parse_retry_after("60", now) == now + timedelta(seconds=60)
    assert parse_retry_after("Tue, 04 Feb 2025 13:00:00 GMT", now) == now + timedelta(hours=1)
    assert parse_retry_after("Tue, 04 Feb 2025 11:00:00 GMT", now) is None  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after("99999999999", now) == now + timedelta(hours=24)  # capped


@pytest.mark.slow
def test_a_server_that_never_answers_times_out(feed_server):
    feed_server.route("/f.xml", Reply(hang=True))
    with Clock() as clock:
        result = fetch(feed_server.url("/f.xml"), Settings(timeout=1, connect_timeout=1))
    assert result.status == "failed"
    assert result.error == "timed out after 1 s"
    assert 0.9 <= clock.seconds < 3


@pytest.mark.slow
def test_a_body_that_trickles_forever_hits_the_total_timeout(feed_server):
    # Each byte comes well within the read timeout; the whole never ends.
    import threading

    port_ready = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle():
        port_ready.set()
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b" ")
            except OSError:
                break
            stop.wait(0.1)
        conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    port_ready.wait()
    try:
        with Clock() as clock:
            result = fetch(f"http://127.0.0.1:{port}/f.xml", Settings(timeout=1.5, connect_timeout=1))
    finally:
        stop.set()
        listener.close()
    assert result.error == "timed out after 1.5 s"
    assert clock.seconds < 3


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/f.xml")
    assert result.status == "failed"
    assert result.error == "connection refused"


def test_a_body_over_the_cap_stops_there(feed_server):
    big = rss(*(item(str(i), f"Story {i}", description="x" * 500) for i in range(100)))
    assert len(big) > 40_000
    feed_server.route("/declared.xml", Reply(body=big))
    feed_server.route("/undeclared.xml", Reply(body=big, content_length=False))
    settings = Settings(timeout=5, connect_timeout=2, max_bytes=10 * 1024)
    for path in ("/declared.xml", "/undeclared.xml"):
        result = fetch(feed_server.url(path), settings)
        assert result.status == "failed", path
        assert result.error == "body larger than 10 KB"
        assert result.body is None
    small = Settings(timeout=5, connect_timeout=2, max_bytes=len(big))
    assert fetch(feed_server.url("/undeclared.xml"), small).status == "ok"  # exactly the cap is fine


def test_a_gzip_bomb_stops_at_the_cap_without_filling_memory(feed_server):
    bomb = gzipped(b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < 100_000
    feed_server.route("/bomb.xml", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    settings = Settings(timeout=10, connect_timeout=2, max_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with Clock() as clock:
            result = fetch(feed_server.url("/bomb.xml"), settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "failed"
    assert result.error == "body larger than 1 MB"
    # Decoded a bounded piece at a time: never anywhere near the 50 MB.
    assert peak < 8 * 1024 * 1024, peak
    assert clock.seconds < 5


@pytest.mark.parametrize(
    "encoding, encode",
    [
        ("gzip", gzipped),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
    ],
)
def test_compressed_bodies_are_decoded(feed_server, encoding, encode):
    feed_server.route("/f.xml", Reply(body=encode(FEED), headers={"Content-Encoding": encoding}))
    result = fetch(feed_server.url("/f.xml"))
    assert result.status == "ok", result.error
    assert result.body == FEED


def test_two_gzip_members_are_one_body(feed_server):
    feed_server.route(
        "/f.xml", Reply(body=gzipped(FEED[:100]) + gzipped(FEED[100:]), headers={"Content-Encoding": "gzip"})
    )
    assert fetch(feed_server.url("/f.xml")).body == FEED


def test_damaged_gzip_and_unknown_encodings_fail_in_words(feed_server):
    feed_server.route("/bad.xml", Reply(body=b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}))
    feed_server.route("/br.xml", Reply(body=FEED, headers={"Content-Encoding": "br"}))
    assert fetch(feed_server.url("/bad.xml")).error == "the compressed body is damaged"
    assert fetch(feed_server.url("/br.xml")).error == "unsupported content encoding 'br'"


@pytest.mark.slow
def test_concurrency_is_bounded_per_host_and_overall(feed_server):
    for i in range(8):
        feed_server.route(f"/{i}.xml", Reply(body=FEED, delay=0.15))
    per_host = Settings(timeout=5, connect_timeout=2, max_connections=8, max_per_host=2)
    requests = [FetchRequest(str(i), feed_server.url(f"/{i}.xml")) for i in range(8)]
    results = asyncio.run(fetch_all(requests, per_host))
    assert all(r.status == "ok" for r in results)
    assert feed_server.max_in_flight == 2

    feed_server.reset_counts()
    overall = Settings(timeout=5, connect_timeout=2, max_connections=3, max_per_host=8)
    # Two host names for the same server: the overall bound still holds.
    requests = [
        FetchRequest(str(i), feed_server.url(f"/{i}.xml", host="127.0.0.1" if i % 2 else "localhost")) for i in range(8)
    ]
    results = asyncio.run(fetch_all(requests, overall))
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    assert feed_server.max_in_flight == 3


def test_connections_are_kept_and_reused_after_200_and_304(feed_server):
    for i in range(6):
        feed_server.route(f"/{i}.xml", Reply(body=FEED, delay=0.05) if i % 2 else Reply(304, delay=0.05))
    two = Settings(timeout=5, connect_timeout=2, max_connections=2, max_per_host=2)
    # The 304s answer requests that carry a validator, as 304s must.
    results = asyncio.run(
        fetch_all(
            [FetchRequest(str(i), feed_server.url(f"/{i}.xml"), etag=None if i % 2 else '"v"') for i in range(6)], two
        )
    )
    assert [r.status for r in results] == ["not_modified", "ok"] * 3, [r.error for r in results]
    # Six answers over two connections: a 304 left unread would have closed
    # its connection and cost a new one.
    assert feed_server.connections == 2


@pytest.mark.slow
def test_the_time_limit_counts_from_the_start_of_the_fetch_not_the_queue(feed_server):
    for i in range(3):
        feed_server.route(f"/{i}.xml", Reply(body=FEED, delay=0.5))
    settings = Settings(timeout=1, connect_timeout=1, max_per_host=1)
    with Clock() as clock:
        results = asyncio.run(
            fetch_all([FetchRequest(str(i), feed_server.url(f"/{i}.xml")) for i in range(3)], settings)
        )
    assert [r.status for r in results] == ["ok", "ok", "ok"], [r.error for r in results]
    assert clock.seconds >= 1.4  # one after the other


def test_results_come_back_in_request_order_and_nothing_escapes(feed_server):
    feed_server.route("/ok.xml", Reply(body=FEED))
    requests = [
        FetchRequest("bad-scheme", "ftp://127.0.0.1/x"),
        FetchRequest("ok", feed_server.url("/ok.xml")),
        FetchRequest("no-host", "http:///x"),
    ]
    results = asyncio.run(fetch_all(requests, FAST))
    assert [r.name for r in results] == ["bad-scheme", "ok", "no-host"]
    assert results[0].error == "not an http(s) URL (ftp:)"
    assert results[1].status == "ok"
    assert results[2].status == "failed"


def test_fetcher_is_usable_as_an_async_context_manager(feed_server):
    feed_server.route("/f.xml", Reply(body=FEED))

    async def go():
        async with Fetcher(FAST) as fetcher:
            return await fetcher.fetch(FetchRequest("f", feed_server.url("/f.xml")))

    assert asyncio.run(go()).body == FEED


def test_describe_size():
    assert describe_size(10 * 1024 * 1024) == "10 MB"
    assert describe_size(1536 * 1024) == "1.5 MB"
    assert describe_size(10 * 1024) == "10 KB"
    assert describe_size(900) == "900 bytes"


def test_first_connections_to_a_host_are_opened_apart_then_not_paced():
    from briefing.ingest.fetch import CONNECT_SPACING, _Host

    async def starts():
        host = _Host(max_per_host=3)
        loop = asyncio.get_running_loop()
        begun = loop.time()
        moments = []
        for _ in range(5):
            await host.pace()
            moments.append(loop.time() - begun)
        return moments

    moments = asyncio.run(starts())
    assert moments[1] >= CONNECT_SPACING * 0.9 and moments[2] >= 2 * CONNECT_SPACING * 0.9
    # After the first three (the host's connections), no more waiting.
    assert moments[4] - moments[2] < CONNECT_SPACING
