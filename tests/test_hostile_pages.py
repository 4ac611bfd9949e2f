"""Hostile article pages, over a real loopback server: each ends bounded in
time and memory, the article keeps its feed's text, the reason is recorded
in words, and the rest of the refresh completes (the other feed, the good
pages)."""

from __future__ import annotations

import re
import sqlite3
import time

from briefing.config import load_config
from briefing.refresh.run import refresh
from tests.helpers.feedserver import Reply, gzipped, item, rss
from tests.helpers.hostile import CONTROL_PAYLOADS, HOSTILE_MARKUP, Dribbler, controls_in, gzip_bomb, run_measured
from tests.helpers.pages import ARTICLES, article_page, page_of, page_only_sentence, write_page_config

HTML = "text/html; charset=utf-8"

CONSENT_WALL = (
    b"<!doctype html><html><head><title>Before you continue</title></head><body>"
    b"<div class='consent'><h2>We value your privacy</h2>"
    b"<p>We and our partners use cookies.</p>"
    b"<button>Accept all</button><button>Manage options</button></div>"
    b"<script>window.location='/consent'</script></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


def deep_page(depth: int = 100_000) -> bytes:
    return (
        b"<!doctype html><html><head><title>Deep</title></head><body>"
        + b"<div>" * depth
        + b"Ferry crews in Lakeport are on strike."
        + b"</div>" * depth
        + b"</body></html>"
    )


def hostile_article() -> bytes:
    """A real article whose text carries escape sequences, controls and markup."""
    paragraphs = [p.replace("Mara Quist", f"Mara Quist {HOSTILE_MARKUP}") for p in ARTICLES["talks"][2]]
    paragraphs[1] += " " + " ".join(CONTROL_PAYLOADS.values())
    return article_page(ARTICLES["talks"][0], paragraphs).replace(b"Neither side", b"Neither\x1b[2J side")


def serve_hostile_pages(server, dribbler: Dribbler) -> dict[str, str]:
    """Route every hostile page and return {slug: url}; 429's page is on
    another host name (localhost), so that its wait does not stop the rest."""
    routes = {
        "forbidden": Reply(403, b"<html><body>Forbidden</body></html>", content_type=HTML),
        "missing": Reply(404, b"<html><body>Not found</body></html>", content_type=HTML),
        "not-modified": Reply(304, content_type=None),
        "busy": Reply(429, b"slow down", content_type="text/plain", headers={"Retry-After": "3600"}),
        "to-file": Reply(302, headers={"Location": "file:///etc/passwd"}),
        "loop-a": Reply(302, headers={"Location": "/pages/loop-b"}),
        "pdf": Reply(body=PDF, content_type="application/pdf"),
        "image": Reply(body=PNG, content_type="image/png"),
        "pdf-said-html": Reply(body=PDF, content_type=HTML),
        "bomb": Reply(body=gzip_bomb(), content_type=HTML, headers={"Content-Encoding": "gzip"}),
        "huge": Reply(
            body=b"<html><body><p>" + b"ferry " * (50 * 1024 * 1024 // 6) + b"</p></body></html>", content_type=HTML
        ),
        "huge-unsaid": Reply(
            body=b"<html><body><p>" + b"strike " * (20 * 1024 * 1024 // 7), content_type=HTML, content_length=False
        ),
        "nested": Reply(body=deep_page(), content_type=HTML),
        "consent": Reply(body=CONSENT_WALL, content_type=HTML),
        "controls": Reply(body=hostile_article(), content_type=HTML),
        "good": Reply(body=gzipped(page_of("walkout")), content_type=HTML, headers={"Content-Encoding": "gzip"}),
    }
    server.route("/pages/loop-b", Reply(302, headers={"Location": "/pages/loop-a"}))
    urls = {}
    for slug, reply in routes.items():
        server.route(f"/pages/{slug}", reply)
        urls[slug] = server.url(f"/pages/{slug}", host="localhost" if slug == "busy" else "127.0.0.1")
    urls["dribble"] = dribbler.url("/pages/dribble")
    return urls


EXPECTED = {
    "forbidden": "HTTP 403",
    "missing": "HTTP 404",
    "not-modified": "server answered 304 Not Modified to a request that asked for no cached copy",
    "busy": "HTTP 429",
    "to-file": "redirect to a non-http(s) URL refused (file:)",
    "loop-a": "redirect loop: redirected back to http://127.0.0.1:{port}/pages/loop-a",
    "pdf": "not HTML (application/pdf)",
    "image": "not HTML (image/png)",
    "pdf-said-html": "not HTML: the page is binary data (an image, a PDF, an archive?)",
    "bomb": "body larger than 10 MB",
    "huge": "body larger than 10 MB",
    "huge-unsaid": "body larger than 10 MB",
    "nested": "the page is too deeply nested (over 256 levels), with no article text above that",
    # How many words of the banner the extractor keeps is its own affair.
    "consent": "the page has no article text, only {words} words (a consent or paywall page?)",
    "dribble": "timed out after 2 s",
}


def feeds_of(server, urls: dict[str, str]) -> None:
    hostile = [
        item(slug, f"Lakeport ferry strike, report {n}", url, f"Ferry crews in Lakeport strike, report {n}.")
        for n, (slug, url) in enumerate(urls.items())
    ]
    server.route("/hostile.xml", Reply(body=rss(*hostile)))
    server.route(
        "/other.xml",
        Reply(body=rss(item("other", "Lakeport ferry strike, other", None, "Ferry crews in Lakeport strike."))),
    )


def stored(store_path) -> dict[str, sqlite3.Row]:
    db = sqlite3.connect(store_path)
    db.row_factory = sqlite3.Row
    try:
        return {row["key"].split("|", 1)[1]: row for row in db.execute("SELECT * FROM articles")}
    finally:
        db.close()


def test_hostile_pages_each_end_in_words_and_the_refresh_completes(tmp_path, feed_server):
    with Dribbler("body") as dribbler:
        urls = serve_hostile_pages(feed_server, dribbler)
        feeds_of(feed_server, urls)
        config = write_page_config(
            tmp_path / "feeds.toml",
            [
                {"name": "Hostile", "url": feed_server.url("/hostile.xml"), "full_text": "always"},
                {"name": "Other", "url": feed_server.url("/other.xml")},
            ],
            {"timeout": 2, "connect_timeout": 2},
        )
        measured = run_measured(
            ["--config", str(config), "--cache", str(tmp_path / "store.db"), "refresh"], tmp_path, timeout=120
        )
    assert measured.returncode == 0, measured.err
    # Bounded: the slowest page is the one a byte a second, cut at 2 s.
    assert measured.seconds < 60, measured.seconds
    assert measured.max_rss_mb < 250, measured.max_rss_mb  # about 80 MB measured
    assert measured.err == ""
    lines = measured.out.splitlines()
    assert lines[-1] == (
        f"2 feeds: 2 updated, 0 not modified, 0 failed; {len(urls) + 1} new articles; 2 pages fetched, "
        f"{len(EXPECTED)} failed"
    ), measured.out

    rows = stored(tmp_path / "store.db")
    errors = {slug: rows[slug]["page_error"] for slug in EXPECTED}
    banner = re.search(r"only (\d+) words", errors["consent"] or "")
    words = banner[1] if banner and int(banner[1]) < 20 else "(fewer than 20)"
    assert errors == {slug: text.format(port=feed_server.port, words=words) for slug, text in EXPECTED.items()}
    for slug in EXPECTED:
        row = rows[slug]
        assert (row["page_status"], row["text_source"]) == ("failed", "feed"), slug
        assert row["text"].startswith("Ferry crews in Lakeport strike, report"), slug
        assert row["summary"] is None and row["page_hash"] == row["content_hash"], slug
    # The good page (sent gzipped) arrives whole.
    assert page_only_sentence("walkout") in rows["good"]["text"]
    # Controls are gone from the stored text, the words around them and the
    # markup stay as plain text (drawn as text, never parsed as markup).
    hostile = rows["controls"]
    assert hostile["text_source"] == "page" and controls_in(hostile["text"]) == []
    assert "[@click=app.quit]Quitword[/]" in hostile["text"] and "Redword" in hostile["text"]
    assert "Neither side would say" in hostile["text"]  # an escape sequence inside a word's gap, gone
    assert "evil.example" not in hostile["text"]
    # The loop's two pages were each asked twice at most; the bomb once.
    assert feed_server.hits("/pages/loop-a") <= 2 and feed_server.hits("/pages/loop-b") <= 2
    assert feed_server.hits("/pages/bomb") == 1
    assert rows["other"]["page_status"] is None  # no link: nothing to fetch


def test_a_site_that_asks_to_wait_is_not_asked_for_another_page_until_then(tmp_path, feed_server):
    busy_host = lambda path: feed_server.url(path, host="localhost")  # noqa: E731 - one host, named apart
    feed_server.route("/p/1", Reply(429, b"slow down", content_type="text/plain", headers={"Retry-After": "3600"}))
    feed_server.route("/p/2", Reply(body=page_of("talks"), content_type=HTML))
    feed_server.route("/p/3", Reply(body=page_of("walkout"), content_type=HTML))
    first = rss(item("one", "Lakeport ferry strike one", busy_host("/p/1"), "Ferry crews in Lakeport strike, one."))
    feed_server.route("/feed.xml", Reply(body=first))
    config = load_config(
        write_page_config(tmp_path / "feeds.toml", [{"name": "Courier", "url": feed_server.url("/feed.xml")}])
    )
    report = refresh(config, tmp_path / "store.db")
    assert (report.pages_fetched, report.pages_failed) == (0, 1)
    assert stored(tmp_path / "store.db")["one"]["page_error"] == "HTTP 429"

    # The next refresh brings an article on the same site, and one elsewhere.
    second = first.replace(
        b"</channel>",
        item("two", "Lakeport ferry strike two", busy_host("/p/2"), "Ferry crews in Lakeport strike, two.").encode()
        + item(
            "three", "Lakeport ferry strike three", feed_server.url("/p/3"), "Ferry crews in Lakeport, three."
        ).encode()
        + b"</channel>",
    )
    feed_server.route("/feed.xml", Reply(body=second))
    started = time.monotonic()
    report = refresh(config, tmp_path / "store.db")
    assert time.monotonic() - started < 30
    assert feed_server.hits("/p/2") == 0 and feed_server.hits("/p/3") == 1
    assert (report.pages_fetched, report.pages_failed) == (1, 1)
    two = stored(tmp_path / "store.db")["two"]
    assert two["page_status"] == "failed"
    assert two["page_error"].startswith("not asked: localhost asked to wait until ")
    assert feed_server.hits("/p/1") == 1  # and the failed one is not asked again either
