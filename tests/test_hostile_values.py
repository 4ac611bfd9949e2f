"""Values at the edge: dates far outside any news, numbers too big to use,
URLs the fetcher cannot even try, nesting too deep to read.

- A date outside 1800-2199 (UTC) is refused where it comes in (`import
  --published`, a `.json` article) in one line; a feed entry with one is
  kept, undated.
- A date already stored that briefing cannot read (year 1, year 999,
  garbage, a number) is an unknown date: every command and the dashboard
  still work, and prune goes by the row's first-seen time, as for an
  undated row (a row with no readable date at all counts as old).
- A config, an option or an import file that is wrong in any of these ways
  gets one line naming it and what is wrong, exit status 2, no traceback,
  and every file as it was, byte for byte.

Everything runs through the real CLI in a subprocess, on a real SQLite
store; the dashboard is the real app driven by Pilot; fetches go to a real
HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.workers.dashboard_workspace import DashboardWorkspace
from tests.helpers.cli import run_cli, tree_snapshot, write
from tests.helpers.feedserver import Reply, item, rss
from tests.helpers.waiting import until

STORY = """\
[story]
id = "edge-story"
title = "Syria and Türkiye talk"
keywords = ["Syria", "Türkiye"]
"""
ARTICLE = "Ankara hosts Damascus\n\nSyria and Türkiye discuss a defense pact in Ankara.\n"


def one_line_error(done, *must_contain: str) -> str:
    """Exit 2, exactly one line on stderr, naming what it must; no traceback."""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert done.returncode == 2, (done.returncode, err[-3000:])
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-3000:]
    assert lines[0].startswith("briefing: error: "), lines[0]
    for needle in must_contain:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def ok(done) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert done.returncode == 0, (done.returncode, err[-3000:])
    return done.stdout.decode("utf-8")


@pytest.fixture
def home(tmp_path) -> Path:
    """A folder with a good config, a store holding one article, and an
    article file to import: everything a command might touch."""
    write(tmp_path / "feeds.toml", STORY)
    with Store(tmp_path / "store.db") as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key="k1",
                    title="Syria talks",
                    source="Outlet",
                    link="https://example.invalid/1",
                    published=datetime.now(UTC) - timedelta(days=1),
                    text="Syria and Türkiye discuss a pact.",
                )
            ],
            "Feed",
        )
    write(tmp_path / "article.txt", ARTICLE)
    return tmp_path


def cli(folder: Path, *args: str, config: str = "feeds.toml"):
    return run_cli("--config", str(folder / config), "--cache", str(folder / "store.db"), *args, cwd=folder)


def refused(folder: Path, args: list[str], *must_contain: str, config: str = "feeds.toml") -> str:
    """The command is refused in one line, and no file in the folder changes."""
    before = tree_snapshot(folder)
    line = one_line_error(cli(folder, *args, config=config), *must_contain)
    assert tree_snapshot(folder) == before
    return line


# -- dates refused at the door ------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "0001-01-01",
        "0999-05-05",
        "1799-12-31T23:59:59Z",
        "2200-01-01",
        "9999-12-31",
        "0001-01-01T00:00:00+01:00",  # year 1 in UTC is before the calendar starts
        "9999-12-31T23:00:00-05:00",  # ... and this one after it ends
        "2199-12-31T23:00:00-05:00",  # 2200 in UTC
    ],
)
def test_import_refuses_a_published_date_out_of_range(home, date):
    refused(
        home,
        ["import", "article.txt", "--published", date],
        "--published",
        date,
        "out of range",
        "1800-01-01 to 2199-12-31",
    )


@pytest.mark.parametrize("date", ["0999-05-05", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"])
def test_import_refuses_a_json_article_dated_out_of_range(home, date):
    write(
        home / "articles.json",
        json.dumps(
            [
                {"title": "Fine", "text": "Syria talks.", "published": "2025-02-04"},
                {"title": "Odd", "text": "Syria talks.", "published": date},
            ]
        ),
    )
    refused(home, ["import", "article.txt", "articles.json"], "articles.json: article 1: published", "out of range")


def test_the_edges_of_the_range_are_accepted(home):
    write(
        home / "edges.json",
        json.dumps(
            [
                {"title": "First", "text": "Syria talks.", "published": "1800-01-01T00:00:00Z"},
                {"title": "Last", "text": "Syria talks.", "published": "2199-12-31T23:59:59Z"},
                {"title": "Offset", "text": "Syria talks.", "published": "1799-12-31T23:00:00-05:00"},
            ]
        ),
    )
    ok(cli(home, "import", "edges.json"))
    with sqlite3.connect(home / "store.db") as db:
        dates = dict(db.execute("SELECT title, published FROM articles"))
    db.close()
    assert dates["First"] == "1800-01-01T00:00:00Z"
    assert dates["Last"] == "2199-12-31T23:59:59Z"
    assert dates["Offset"] == "1800-01-01T04:00:00Z"


def test_a_feed_entry_dated_out_of_range_is_kept_undated(home):
    """A feed is not refused for one odd date: the entry comes in, undated."""
    write(
        home / "odd.xml",
        rss(
            item("a", "Normal Syria entry", pub_date="Tue, 04 Feb 2025 10:00:00 GMT"),
            item("b", "Syria entry from 2200", pub_date="Mon, 01 Jun 2200 10:00:00 GMT"),
            item("c", "Syria entry from 9999", pub_date="Fri, 31 Dec 9999 23:00:00 -0500"),
            item("d", "Syria entry from 0999", pub_date="Mon, 05 May 0999 10:00:00 GMT"),
        ).decode(),
    )
    ok(cli(home, "import", "odd.xml"))
    with sqlite3.connect(home / "store.db") as db:
        dates = dict(db.execute("SELECT title, published FROM articles"))
    db.close()
    assert dates["Normal Syria entry"] == "2025-02-04T10:00:00Z"
    for title in ("Syria entry from 2200", "Syria entry from 9999", "Syria entry from 0999"):
        assert dates[title] is None, (title, dates[title])


# -- dates already stored that cannot be read -----------------------------------------------

OLD = "2001-01-01T00:00:00Z"
BAD_ROWS = {
    # title: (published, first_seen) as written straight into the store
    "Year one": ("1-01-01T00:00:00Z", OLD),
    "Year 999": ("0999-05-05T00:00:00Z", None),
    "Garbage": ("garbage", None),
    "A number": (12345, None),
    "Nothing readable": ("0999-05-05T00:00:00Z", "garbage"),
}


def _bad_store(folder: Path) -> None:
    """Six gardening articles (nothing the story cites, so prune may take
    any of them), five of them with dates as no briefing writes them."""
    now = datetime.now(UTC).replace(microsecond=0)
    titles = ["Fresh", *BAD_ROWS]
    with Store(folder / "store.db") as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key=f"garden{i}",
                    title=title,
                    source="Garden Weekly",
                    link=None,
                    published=now - timedelta(days=1),
                    text=f"How to grow tomatoes, part {i}.",
                )
                for i, title in enumerate(titles)
            ],
            "Feed",
        )
    with sqlite3.connect(folder / "store.db") as db:
        for title, (published, first_seen) in BAD_ROWS.items():
            db.execute("UPDATE articles SET published = ? WHERE title = ?", (published, title))
            if first_seen is not None:
                db.execute("UPDATE articles SET first_seen = ? WHERE title = ?", (first_seen, title))
    db.close()


def test_stored_dates_that_cannot_be_read_are_unknown_and_every_command_works(home):
    _bad_store(home)
    data = json.loads(ok(cli(home, "export", "--format", "json")))
    published = {a["title"]: a["published"] for a in data["articles"]}
    assert set(published) == {"Syria talks", "Fresh", *BAD_ROWS}
    for title in BAD_ROWS:
        assert published[title] is None, (title, published[title])
    markdown = ok(cli(home, "export"))
    assert "## Sources" in markdown and "[Syria talks]" in markdown
    ok(cli(home, "import", "article.txt"))
    ok(cli(home, "feeds"))


def test_prune_takes_an_unreadable_date_as_unknown(home):
    """As for an undated row, prune goes by when the row was first seen; a row
    with no date it can read at all counts as old."""
    _bad_store(home)
    out = ok(cli(home, "prune", "--older-than", "90d"))
    assert out.startswith("pruned 2 articles"), out
    with sqlite3.connect(home / "store.db") as db:
        left = {row[0] for row in db.execute("SELECT title FROM articles")}
    db.close()
    # "Year one" was first seen in 2001, "Nothing readable" has no date to go
    # by; the other odd ones were first seen today.
    assert left == {"Syria talks", "Fresh", "Year 999", "Garbage", "A number"}
    ok(cli(home, "export", "--format", "json"))


async def test_the_dashboard_shows_a_store_with_unreadable_dates(home):
    _bad_store(home)
    app = BriefingApp(
        DashboardWorkspace(load_config(home / "feeds.toml"), home / "store.db"), open_url=lambda url: None
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await until(
            pilot,
            lambda: app.briefing is not None and len(app.briefing.articles) == 2 + len(BAD_ROWS),
            what="the dashboard's briefing",
        )
        briefing = app.briefing
        assert briefing is not None, "the dashboard never got its briefing"
        assert {row.title for row in briefing.articles} == {"Syria talks", "Fresh", *BAD_ROWS}
        assert all(row.published is None for row in briefing.articles if row.title in BAD_ROWS)
        assert app.query_one("#feed").row_count == 2 + len(BAD_ROWS)


# -- config values: one line, exit 2, nothing written ---------------------------------------

CONFIG_COMMANDS = {
    "dashboard": [],
    "export": ["export", "--format", "json"],
    "refresh": ["refresh"],
    "feeds": ["feeds"],
    "import": ["import", "article.txt"],
    "prune": ["prune", "--older-than", "90d"],
    "opml-export": ["opml", "export"],
}


def _with_feed(url: str) -> str:
    return STORY + f'\n[[feeds]]\nname = "Odd"\nurl = "{url}"\n'


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_a_config_url_with_an_unclosed_bracket_is_one_line_on_every_command(home, command):
    write(home / "bad.toml", _with_feed("http://[abc/feed"))
    refused(home, CONFIG_COMMANDS[command], "bad.toml", "line 8", "feeds[0].url", "not a valid URL", config="bad.toml")


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("http://127.0.0.1:99999/feed", "port '99999' is not a number from 1 to 65535"),
        ("http://127.0.0.1:0/feed", "port '0' is not a number from 1 to 65535"),
        ("http://example.com:http/feed", "port 'http' is not a number from 1 to 65535"),
        ("http://xn--/x", "not a valid international domain name"),
        ("http://xn--a.example/x", "not a valid international domain name"),
        ("http://999.1.1.1/feed", "is not an IPv4 address"),
    ],
)
@pytest.mark.parametrize("command", ["refresh", "feeds"])
def test_a_config_url_the_fetcher_cannot_try_is_one_line(home, url, what, command):
    write(home / "bad.toml", _with_feed(url))
    refused(home, [command], "bad.toml", "feeds[0].url", what, config="bad.toml")


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, "{a = " * 100_000 + "1" + "}" * 100_000])
def test_a_config_nested_100000_deep_is_one_line(home, nested):
    write(home / "bad.toml", STORY + f"deep = {nested}\n")
    refused(home, ["feeds"], "bad.toml", "nested too deeply", config="bad.toml")


def test_a_config_integer_of_5000_digits_is_one_line(home):
    write(home / "bad.toml", STORY + "\n[settings]\ntimeout = " + "9" * 5000 + "\n")
    refused(home, ["feeds"], "bad.toml", "line 7", "a number too long to read", config="bad.toml")


@pytest.mark.parametrize(
    ("key", "value", "limit"),
    [
        ("min_interval", "100000000000000", "at most 31622400"),
        ("min_interval", "1" + "0" * 400, "at most 31622400"),  # too big even to be a float
        ("timeout", "1e300", "at most 3600"),
        ("connect_timeout", "100000000", "at most 3600"),
        ("max_connections", "10000000000", "at most 1000"),
        ("max_per_host", "10000000000", "at most 1000"),
        ("max_bytes", "100000000000000000000", "at most 1073741824"),
    ],
)
@pytest.mark.parametrize("command", ["refresh", "feeds"])
def test_a_setting_too_large_to_use_is_one_line(home, key, value, limit, command):
    write(home / "bad.toml", STORY + f"\n[settings]\n{key} = {value}\n")
    refused(home, [command], "bad.toml", f"settings.{key}", limit, config="bad.toml")


def test_settings_at_their_limits_are_accepted(home):
    write(
        home / "edge.toml",
        STORY + "\n[settings]\nmin_interval = 31622400\ntimeout = 3600\n"
        "connect_timeout = 3600\nmax_connections = 1000\nmax_per_host = 1000\nmax_bytes = 1073741824\n",
    )
    out = ok(cli(home, "feeds", config="edge.toml"))
    assert "no feeds" in out


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("http://[abc/feed", "not a valid URL"),
        ("http://127.0.0.1:99999/feed", "port '99999'"),
        ("http://xn--/x", "not a valid international domain name"),
    ],
)
def test_opml_import_skips_the_same_urls_in_one_line(home, url, what):
    write(
        home / "list.opml",
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        f'<outline text="Fine" xmlUrl="https://example.com/rss"/><outline text="Odd" xmlUrl="{url}"/>'
        "</body></opml>",
    )
    write(home / "feeds.toml", STORY)
    out = ok(cli(home, "opml", "import", "list.opml"))
    skipped = [line for line in out.splitlines() if "'Odd'" in line]
    assert len(skipped) == 1 and what in skipped[0], out
    config = (home / "feeds.toml").read_text()
    assert "https://example.com/rss" in config and url not in config


def test_opml_import_with_only_such_a_url_is_one_line(home):
    write(
        home / "list.opml",
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Odd" xmlUrl="http://127.0.0.1:99999/feed"/></body></opml>',
    )
    refused(home, ["opml", "import", "list.opml"], "list.opml", "'Odd'", "port '99999'")


# -- options and import files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "age", ["1000000000d", "999999999d", "99999999999999999999h", "36526d", "5218w", "876601h", "9" * 5000 + "d"]
)
def test_prune_older_than_too_long_is_one_line(home, age):
    line = refused(home, ["prune", "--older-than", age], "--older-than", "too long; at most 100 years")
    assert len(line) < 300


def test_prune_older_than_a_century_is_accepted(home):
    ok(cli(home, "prune", "--older-than", "36525d"))


def test_import_of_json_nested_100000_deep_is_one_line(home):
    write(home / "deep.json", "[" * 100_000)
    refused(home, ["import", "article.txt", "deep.json"], "deep.json", "nested too deeply")


def test_import_of_json_with_an_integer_of_5000_digits_is_one_line(home):
    write(home / "big.json", '{"title": "T", "text": "Syria", "author": ' + "9" * 5000 + "}")
    refused(home, ["import", "article.txt", "big.json"], "big.json", "a number too long to read")


# -- the fetcher, for a URL that reaches it anyway (a redirect) ------------------------------


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("http://127.0.0.1:99999/feed", "port '99999' is not a number from 1 to 65535"),
        ("http://xn--/x", "not a valid international domain name"),
    ],
)
@pytest.mark.slow
def test_a_redirect_to_a_url_the_fetcher_cannot_try_fails_that_feed_in_words(home, feed_server, target, what):
    feed_server.route("/odd.xml", Reply(302, headers={"Location": target}))
    feed_server.route("/good.xml", Reply(body=rss(item("g1", "Syria talks resume"))))
    write(
        home / "feeds.toml",
        STORY + f'\n[[feeds]]\nname = "Odd"\nurl = "{feed_server.url("/odd.xml")}"\n'
        f'\n[[feeds]]\nname = "Good"\nurl = "{feed_server.url("/good.xml")}"\n',
    )
    done = cli(home, "refresh")
    err = done.stderr.decode()
    assert "Traceback" not in err, err[-3000:]
    out = done.stdout.decode()
    odd = next(line for line in out.splitlines() if "Odd:" in line)
    assert "failed: redirect to an invalid URL" in odd and what in odd, odd
    assert "unexpected error" not in out
    assert any("Good: updated" in line for line in out.splitlines()), out
