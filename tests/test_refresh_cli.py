"""The real CLI as a subprocess (`python -m briefing ...`) against the
loopback server: `refresh`, `feeds` and `opml import|export`."""

from __future__ import annotations

import tomllib

import pytest

from tests.helpers.cli import config_for, last_line
from tests.helpers.feedserver import Reply, item, rss, write_config

FEED = rss(
    item("g1", "Erdoğan receives al-Sharaa", "http://example.invalid/1", "Talks."),
    item("g2", "Air base talks", "http://example.invalid/2", "Bases."),
)


@pytest.mark.slow
def test_refresh_succeeds_then_is_not_modified(tmp_path, feed_server, run):
    feed_server.route(
        "/a.xml",
        lambda seen: Reply(304) if seen.header("if-none-match") == '"x"' else Reply(body=FEED, headers={"ETag": '"x"'}),
    )
    feed_server.route("/b.xml", Reply(body=rss(item("b", "Other story", "http://example.invalid/b"))))
    config_for(tmp_path, feed_server, {"A": "/a.xml", "B": "/b.xml"})
    first = run("refresh")
    assert first.returncode == 0, first.stderr
    assert last_line(first.stdout) == "2 feeds: 2 updated, 0 not modified, 0 failed; 3 new articles"
    assert first.stderr == ""
    assert "A: updated: 2 new" in first.stdout
    second = run("refresh")
    assert second.returncode == 0
    assert last_line(second.stdout) == "2 feeds: 1 updated, 1 not modified, 0 failed; 0 new articles"
    assert feed_server.requests("/a.xml")[1].header("if-none-match") == '"x"'


@pytest.mark.slow
def test_refresh_with_one_failure_is_still_a_success(tmp_path, feed_server, run):
    feed_server.route("/a.xml", Reply(body=FEED))
    feed_server.route("/gone.xml", Reply(404))
    config_for(tmp_path, feed_server, {"A": "/a.xml", "Gone": "/gone.xml"})
    done = run("refresh")
    assert done.returncode == 0
    assert "Gone: failed: HTTP 404" in done.stdout
    assert last_line(done.stdout) == "2 feeds: 1 updated, 0 not modified, 1 failed; 2 new articles"


@pytest.mark.slow
def test_refresh_where_every_feed_fails_exits_1(tmp_path, feed_server, run):
    feed_server.route("/page", Reply(body=b"<html><body>hi</body></html>", content_type="text/html"))
    feed_server.route("/err", Reply(500))
    config_for(tmp_path, feed_server, {"Page": "/page", "Err": "/err"})
    done = run("refresh")
    assert done.returncode == 1
    assert "Page: failed: not a feed: got an HTML page" in done.stdout
    assert last_line(done.stdout) == "2 feeds: 0 updated, 0 not modified, 2 failed; 0 new articles"


@pytest.mark.slow
def test_refresh_only_the_named_feeds(tmp_path, feed_server, run):
    feed_server.route("/a.xml", Reply(body=FEED))
    feed_server.route("/b.xml", Reply(body=FEED))
    config_for(tmp_path, feed_server, {"A": "/a.xml", "B": "/b.xml"})
    done = run("refresh", "--feed", "B")
    assert done.returncode == 0
    assert last_line(done.stdout) == "1 feed: 1 updated, 0 not modified, 0 failed; 2 new articles"
    assert (feed_server.hits("/a.xml"), feed_server.hits("/b.xml")) == (0, 1)


def test_an_unknown_feed_name_is_one_line_and_exit_2(tmp_path, feed_server, run):
    feed_server.route("/a.xml", Reply(body=FEED))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml"})
    done = run("refresh", "--feed", "A", "--feed", "Nope")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"briefing: error: {config}: no feed named 'Nope'")
    assert feed_server.hits("/a.xml") == 0


@pytest.mark.parametrize("text", ["[story\n", '[story]\nid = "x"\n', "not toml at all = = ="])
def test_a_bad_config_exits_2(tmp_path, run, text):
    (tmp_path / "feeds.toml").write_text(text)
    for command in (["refresh"], ["feeds"], ["opml", "export"]):
        done = run(*command)
        assert done.returncode == 2, command
        assert done.stderr.startswith("briefing: error: ") and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_feeds_lists_each_feeds_health(tmp_path, feed_server, run):
    feed_server.route(
        "/a.xml", Reply(body=FEED, headers={"ETag": '"e"', "Last-Modified": "Tue, 04 Feb 2025 12:00:00 GMT"})
    )
    feed_server.route("/busy.xml", Reply(429, headers={"Retry-After": "7200"}))
    config_for(tmp_path, feed_server, {"A": "/a.xml", "Busy": "/busy.xml", "Evil \\u001b[31mRed": "/never.xml"})
    before = run("feeds")  # no store yet: `feeds` only reads, and says so
    assert before.returncode == 2 and "no store there" in before.stderr
    run("refresh", "--feed", "A", "--feed", "Busy")
    done = run("feeds")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        "FEED",
        "LAST",
        "STATUS",
        "LAST",
        "SUCCESS",
        "FAILURES",
        "ARTICLES",
        "VALIDATORS",
        "NEXT",
        "FETCH",
    ]
    row = {line.split()[0]: line for line in lines[1:]}
    assert "updated" in row["A"] and "ETag+Last-Modified" in row["A"]
    assert row["A"].split()[-1] == "now"
    a_cells = row["A"].split()
    assert a_cells[a_cells.index("ETag+Last-Modified") - 1] == "2"  # articles
    assert "failed: HTTP 429" in row["Busy"] and "never" in row["Busy"]
    busy_cells = row["Busy"].split()
    assert busy_cells[busy_cells.index("none") - 2 : busy_cells.index("none")] == ["1", "0"]
    assert busy_cells[-2].count("-") == 2  # NEXT FETCH is a date and time, not "now"
    assert "\x1b" not in done.stdout and "Evil Red" in done.stdout
    # Aligned: every row puts VALIDATORS at the same column.
    column = lines[0].index("VALIDATORS")
    assert all(line[column - 2 : column] == "  " for line in lines[1:])


@pytest.mark.slow
def test_opml_export_then_import_round_trip(tmp_path, feed_server, run):
    # write_config writes names as TOML basic-string content: \" is a quote.
    config_for(tmp_path, feed_server, {"Al Jazeera": "/aj.xml", 'Quote \\"and\\" <angle> & amp': "/q.xml"})
    exported = run("opml", "export")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    out_file = tmp_path / "out.opml"
    written = run("opml", "export", "-o", str(out_file))
    assert written.returncode == 0 and out_file.read_text().count("<outline") == 2
    assert str(out_file) in written.stderr

    target = tmp_path / "other.toml"
    original = (
        "# My own story file. Keep this comment!\n"
        '[story]\nid = "mine"   # trailing comment\ntitle = "Mine"\n\n'
        '# feeds below\n[[feeds]]\nname = "Existing"\nurl = "https://example.com/rss"\n'
    )
    target.write_bytes(original.encode())
    done = run("opml", "import", str(out_file), config=target)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{target}: added 2 feeds, skipped 0 already listed"
    after = target.read_bytes()
    assert after.startswith(original.encode())  # every byte that was there is still there
    feeds = tomllib.loads(after.decode())["feeds"]
    assert [(f["name"], f["url"]) for f in feeds] == [
        ("Existing", "https://example.com/rss"),
        ("Al Jazeera", feed_server.url("/aj.xml")),
        ('Quote "and" <angle> & amp', feed_server.url("/q.xml")),
    ]
    again = run("opml", "import", str(out_file), config=target)
    assert again.returncode == 0
    assert again.stdout.strip() == f"{target}: added 0 feeds, skipped 2 already listed (file unchanged)"
    assert target.read_bytes() == after
    from briefing.store.database import Store

    Store(tmp_path / "store.db").close()  # `feeds` reads a store, never makes one
    listed = run("feeds", config=target)
    assert listed.returncode == 0 and "Al Jazeera" in listed.stdout


def _opml(*outlines: str) -> str:
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        + "".join(outlines)
        + "</body></opml>"
    )


@pytest.mark.parametrize(
    "document, message",
    [
        (_opml('<outline text="Run" xmlUrl="exec:rm -rf ~"/>'), "has a exec: URL"),
        (_opml('<outline text="Local" xmlUrl="file:///etc/passwd"/>'), "has a file: URL"),
        (_opml('<outline text="Filter" xmlUrl="filter:script.sh:https://example.com/"/>'), "has a filter: URL"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            '<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://example.com/x"/></body></opml>',
            "refused: the file has a DOCTYPE declaration",
        ),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
            "not an OPML file (the root element is <rss>, not <opml>)",
        ),
        ("this is not xml at all", "not an OPML file: XML error"),
        (_opml('<outline text="folder"/>'), "no feeds in it"),
    ],
)
def test_opml_import_rejections_change_nothing(tmp_path, run, document, message):
    config = write_config(tmp_path / "feeds.toml", [("Existing", "https://example.com/rss")])
    before = config.read_bytes()
    stamp = config.stat().st_mtime_ns
    opml = tmp_path / "subs.opml"
    opml.write_text(document)
    done = run("opml", "import", str(opml))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"briefing: error: {opml}: ")
    assert message in done.stderr
    assert config.read_bytes() == before and config.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_opml_import_of_a_missing_file(tmp_path, run):
    write_config(tmp_path / "feeds.toml", [])
    done = run("opml", "import", str(tmp_path / "nope.opml"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"briefing: error: {tmp_path / 'nope.opml'}: no such file"
