"""`briefing import URL...`: an article from its address, fetched and
extracted as a refresh fetches an article's page, through the real CLI and
a real loopback server. A failure is one line naming the address and why,
exit status 2, and nothing is written; files import as before, alongside."""

from __future__ import annotations

import json
import sqlite3

from briefing.ingest.fetch import USER_AGENT
from tests.helpers.cli import tree_snapshot, write
from tests.helpers.feedserver import Reply
from tests.helpers.hostile import Dribbler
from tests.helpers.pages import ARTICLES, article_page, page_of, page_only_sentence, write_page_config

HTML = "text/html; charset=utf-8"


def config(tmp_path, **settings):
    return write_page_config(tmp_path / "feeds.toml", [], settings)


def stored(tmp_path) -> list[sqlite3.Row]:
    db = sqlite3.connect(tmp_path / "store.db")
    db.row_factory = sqlite3.Row
    try:
        return list(db.execute("SELECT * FROM articles ORDER BY id"))
    finally:
        db.close()


def test_an_address_is_fetched_and_its_article_stored(tmp_path, feed_server, run):
    feed_server.route("/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    config(tmp_path)
    url = feed_server.url("/walkout.html")
    done = run("import", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "imported 1 article from 1 address: 1 new, 0 updated, 0 unchanged"
    [row] = stored(tmp_path)
    assert page_only_sentence("walkout") in row["text"]
    assert "All rights reserved" not in row["text"] and "Another headline" not in row["text"]
    assert (row["title"], row["source"], row["link"], row["feed"]) == (
        ARTICLES["walkout"][0],
        "The Lake Courier",
        url,
        None,
    )
    assert (row["text_source"], row["page_status"], row["page_error"]) == ("page", "ok", None)
    assert row["page_hash"] == row["content_hash"] and row["page_fetched"]
    seen = feed_server.requests("/walkout.html")[0]
    assert seen.header("user-agent") == USER_AGENT and seen.header("accept").startswith("text/html")
    # Imported again, the same address is the same article.
    again = run("import", url)
    assert again.stdout.splitlines()[0] == "imported 1 article from 1 address: 0 new, 0 updated, 1 unchanged"


def test_source_and_date_options_apply_and_a_page_without_a_site_name_is_named_by_its_host(tmp_path, feed_server, run):
    page = page_of("talks").replace(b"<meta property='og:site_name' content='The Lake Courier'>", b"")
    feed_server.route("/talks.html", Reply(body=page, content_type=HTML))
    feed_server.route("/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    config(tmp_path)
    done = run("import", feed_server.url("/talks.html"))
    assert done.returncode == 0, done.stderr
    done = run("import", "--source", "Shore Radio", "--published", "2025-03-02", feed_server.url("/walkout.html"))
    assert done.returncode == 0, done.stderr
    rows = stored(tmp_path)
    assert [(r["source"], r["published"]) for r in rows] == [
        ("127.0.0.1", None),
        ("Shore Radio", "2025-03-02T00:00:00Z"),
    ]


def test_files_and_addresses_import_together(tmp_path, feed_server, run):
    feed_server.route("/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    config(tmp_path)
    note = write(tmp_path / "note.txt", "Harbour notes\n\nThe harbour master counted forty idle boats on Tuesday.\n")
    done = run("import", str(note), feed_server.url("/walkout.html"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "imported 2 articles from 1 file and 1 address: 2 new, 0 updated, 0 unchanged"
    assert [(r["title"], r["text_source"]) for r in stored(tmp_path)] == [
        ("Harbour notes", "file"),
        (ARTICLES["walkout"][0], "page"),
    ]


def test_an_address_that_fails_is_one_line_and_nothing_is_written(tmp_path, feed_server, run):
    feed_server.route("/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    feed_server.route("/gone.html", Reply(404, b"<html><body>gone</body></html>", content_type=HTML))
    config(tmp_path)
    note = write(tmp_path / "note.txt", "Harbour notes\n\nThe harbour master counted forty idle boats.\n")
    before = tree_snapshot(tmp_path)
    gone = feed_server.url("/gone.html")
    done = run("import", str(note), feed_server.url("/walkout.html"), gone)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"briefing: error: {gone}: HTTP 404; nothing was imported\n"
    assert tree_snapshot(tmp_path) == before  # no store, not even an empty one


def test_each_way_a_page_fails_is_said_in_words(tmp_path, feed_server, run):
    consent = (
        b"<html><head><title>Before you continue</title></head><body><h2>We value your privacy</h2>"
        b"<button>Accept all</button></body></html>"
    )
    routes = {
        "/to-file": (
            Reply(302, headers={"Location": "file:///etc/passwd"}),
            "redirect to a non-http(s) URL refused (file:)",
        ),
        "/pdf": (
            Reply(body=b"%PDF-1.7\n" + bytes(range(256)), content_type="application/pdf"),
            "not HTML (application/pdf)",
        ),
        "/consent": (Reply(body=consent, content_type=HTML), "the page has no article text"),
        "/big": (Reply(body=b"<p>" + b"x" * (2 * 1024 * 1024)), "body larger than 1 MB"),
    }
    config(tmp_path, max_bytes=1024 * 1024)
    for path, (reply, words) in routes.items():
        feed_server.route(path, reply)
        done = run("import", feed_server.url(path))
        assert done.returncode == 2, (path, done.stdout, done.stderr)
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"briefing: error: {feed_server.url(path)}: {words}"), lines
    assert not (tmp_path / "store.db").exists()


def test_a_page_one_byte_a_second_ends_at_the_configs_timeout(tmp_path, run):
    config(tmp_path, timeout=2)
    with Dribbler("body") as dribbler:
        url = dribbler.url("/slow.html")
        done = run("import", url)
    assert done.returncode == 2
    assert done.stderr == f"briefing: error: {url}: timed out after 2 s; nothing was imported\n"


def test_an_address_with_link_or_that_cannot_be_fetched_is_refused_before_anything(tmp_path, feed_server, run):
    config(tmp_path)
    done = run("import", "--link", "https://example.org/a", feed_server.url("/walkout.html"))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "--link" in done.stderr
    done = run("import", "http://exa mple.org/a b")
    assert done.returncode == 2
    assert done.stderr == "briefing: error: http://exa mple.org/a b: not an http(s) address that can be fetched\n"
    assert feed_server.requests() == []
    assert not (tmp_path / "store.db").exists()


def test_markup_and_controls_in_a_page_are_stored_as_plain_clean_text(tmp_path, feed_server, run):
    paragraphs = list(ARTICLES["talks"][2])
    paragraphs[0] += " [@click=app.quit]Quitword[/] \x1b]52;c;cm0gLXJmIH4K\x07Clipword"
    feed_server.route("/talks.html", Reply(body=article_page("Talks \x1b[31mbegin", paragraphs), content_type=HTML))
    config(tmp_path)
    done = run("import", feed_server.url("/talks.html"))
    assert done.returncode == 0, done.stderr
    [row] = stored(tmp_path)
    assert "[@click=app.quit]Quitword[/]" in row["text"] and "Clipword" in row["text"]
    assert "\x1b" not in row["text"] + row["title"] and "cm0gLXJmIH4K" not in row["text"]
    assert row["title"] == "Talks begin"


def test_one_address_imported_for_two_outlets_is_two_copies(tmp_path, feed_server, run):
    """As with files: a second --source adds that outlet's copy, it does not
    replace the first."""
    feed_server.route("/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    config(tmp_path)
    url = feed_server.url("/walkout.html")
    assert run("import", url, "--source", "Nordic Shipping News").returncode == 0
    assert run("import", url, "--source", "Coastal Times").returncode == 0
    listed = run("articles", "--format", "jsonl")
    sources = sorted(json.loads(line)["source"] for line in listed.stdout.splitlines())
    assert sources == ["Coastal Times", "Nordic Shipping News"]
