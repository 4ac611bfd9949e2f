"""Full article text on refresh, over a real loopback server: a feed of
teasers whose links serve article pages. The page's text replaces the
teaser (kept as the summary) for the articles the feed's full_text asks
for, once per version of the article, with the feeds' own fetcher, and the
refresh's last line counts the pages."""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
from datetime import timedelta

import pytest

from briefing.config import load_config
from briefing.ingest.fetch import USER_AGENT
from briefing.refresh.pages import TEASER_WORDS, fetch_pages
from briefing.refresh.run import refresh
from briefing.store.database import SCHEMA_VERSION, Store
from briefing.store.values import to_iso, utcnow
from tests.helpers.cli import last_line
from tests.helpers.feedserver import Reply, item, rss
from tests.helpers.pages import (
    ARTICLES,
    BAKERY,
    BAKERY_PARAGRAPHS,
    article_page,
    page_of,
    page_only_sentence,
    story_entries,
    teaser_feed,
    write_page_config,
)

HTML = "text/html; charset=utf-8"


def serve_story(server, *, with_bakery: bool = True, path: str = "/feed.xml") -> None:
    entries = story_entries("walkout", "talks") + ([BAKERY] if with_bakery else [])
    server.route(path, Reply(body=teaser_feed(server, entries)))
    for slug in ARTICLES:
        server.route(f"/articles/{slug}.html", Reply(body=page_of(slug), content_type=HTML))
    server.route("/articles/bakery.html", Reply(body=article_page(BAKERY[1], BAKERY_PARAGRAPHS), content_type=HTML))


def setup(tmp_path, server, **feed):
    config = write_page_config(tmp_path / "feeds.toml", [{"name": "Courier", "url": server.url("/feed.xml"), **feed}])
    return load_config(config), tmp_path / "store.db"


def rows(store_path) -> dict[str, sqlite3.Row]:
    db = sqlite3.connect(store_path)
    db.row_factory = sqlite3.Row
    try:
        # Keyed by the entry's guid (the store's key is "feed|guid").
        return {row["key"].split("|", 1)[1]: row for row in db.execute("SELECT * FROM articles")}
    finally:
        db.close()


def page_hits(server) -> dict[str, int]:
    return {slug: server.hits(f"/articles/{slug}.html") for slug in (*ARTICLES, "bakery")}


def test_a_teasers_page_becomes_its_text_and_the_teaser_its_summary(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server)
    report = refresh(config, store_path)

    assert report.ok and report.new_articles == 3
    assert (report.pages_fetched, report.pages_failed) == (2, 0)
    assert (
        report.summary_line()
        == "1 feed: 1 updated, 0 not modified, 0 failed; 3 new articles; 2 pages fetched, 0 failed"
    )
    stored = rows(store_path)
    for slug in ARTICLES:
        row = stored[slug]
        assert page_only_sentence(slug) in row["text"]
        assert row["summary"] == ARTICLES[slug][1]
        assert (row["text_source"], row["page_status"], row["page_error"]) == ("page", "ok", None)
        assert row["page_hash"] == row["content_hash"] and row["page_fetched"]
        # The page's menus, asides and footer are not the article.
        assert "Another headline" not in row["text"] and "All rights reserved" not in row["text"]
        assert "Section 3" not in row["text"]
    # The bakery is not about the story: its page is not asked for.
    assert feed_server.hits("/articles/bakery.html") == 0
    bakery = stored["bakery"]
    assert (bakery["text"], bakery["text_source"], bakery["page_status"]) == (BAKERY[2], "feed", None)
    # The changed articles are those the briefing analyses again.
    assert set(report.changed_ids) == {row["id"] for row in stored.values()}
    # Asked as the feeds are, with the same User-Agent, for HTML.
    seen = feed_server.requests("/articles/walkout.html")[0]
    assert seen.header("user-agent") == USER_AGENT
    assert seen.header("accept").startswith("text/html")
    assert feed_server.requests("/feed.xml")[0].header("accept").startswith("application/rss+xml")


def test_the_analysis_reads_the_pages_text(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server)
    refresh(config, store_path)
    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
    from briefing.workspace import analyse_pending

    with Store(store_path) as store:
        analyse_pending(store, config.story)
        analyses = store.analyses(ANALYSIS_VERSION, story_fingerprint(config.story))
        ids = {a.key.split("|", 1)[1]: a.id for a in store.articles()}
    # Mara Quist's words are on the page only; the teaser names no one.
    quotes = analyses[ids["walkout"]]["quo"]
    assert any(speaker == "Mara Quist" and "fourteen-hour day" in text for text, speaker, *_ in quotes), quotes
    assert "Mara Quist" in analyses[ids["talks"]]["act"]


def test_a_second_refresh_fetches_no_page_again(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server)
    refresh(config, store_path)
    assert page_hits(feed_server) == {"walkout": 1, "talks": 1, "bakery": 0}
    before = rows(store_path)

    report = refresh(config, store_path)
    assert feed_server.hits("/feed.xml") == 2
    assert page_hits(feed_server) == {"walkout": 1, "talks": 1, "bakery": 0}
    assert (report.pages_fetched, report.pages_failed, report.changed_ids) == (0, 0, ())
    assert report.summary_line() == "1 feed: 1 updated, 0 not modified, 0 failed; 0 new articles"
    after = rows(store_path)
    assert {k: dict(v) for k, v in after.items()} == {k: dict(v) for k, v in before.items()}


def test_an_article_the_feed_changes_has_its_page_fetched_again(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server)
    refresh(config, store_path)
    entries = story_entries("walkout", "talks")
    entries[1] = (entries[1][0], entries[1][1], entries[1][2] + " A mediator has been called in.")
    feed_server.route("/feed.xml", Reply(body=teaser_feed(feed_server, entries)))

    report = refresh(config, store_path)
    assert page_hits(feed_server) == {"walkout": 1, "talks": 2, "bakery": 0}
    talks = rows(store_path)["talks"]
    assert (report.pages_fetched, report.changed_ids) == (1, (talks["id"],))
    assert talks["summary"] == entries[1][2] and page_only_sentence("talks") in talks["text"]
    assert talks["page_hash"] == talks["content_hash"]


def test_never_fetches_no_page(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server, full_text="never")
    report = refresh(config, store_path)
    assert report.new_articles == 3 and (report.pages_fetched, report.pages_failed) == (0, 0)
    assert page_hits(feed_server) == {"walkout": 0, "talks": 0, "bakery": 0}
    assert {row["text_source"] for row in rows(store_path).values()} == {"feed"}


def test_always_fetches_every_new_article_even_one_off_the_story(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server, full_text="always")
    report = refresh(config, store_path)
    assert page_hits(feed_server) == {"walkout": 1, "talks": 1, "bakery": 1}
    assert report.pages_fetched == 3
    assert rows(store_path)["bakery"]["text_source"] == "page"


def test_auto_keeps_a_feed_text_that_is_already_the_article(tmp_path, feed_server):
    long_text = " ".join(ARTICLES["walkout"][2])
    assert len(long_text.split()) >= TEASER_WORDS  # the whole article, not a teaser
    feed_server.route(
        "/feed.xml", Reply(body=teaser_feed(feed_server, [("walkout", ARTICLES["walkout"][0], long_text)]))
    )
    feed_server.route("/articles/walkout.html", Reply(body=page_of("walkout"), content_type=HTML))
    config, store_path = setup(tmp_path, feed_server)
    report = refresh(config, store_path)
    assert report.pages_fetched == 0 and feed_server.hits("/articles/walkout.html") == 0


def test_a_feeds_selector_picks_the_text(tmp_path, feed_server):
    serve_story(feed_server, with_bakery=False)
    # With the selector, the byline (outside the story body) is left out and
    # every paragraph of the body is kept.
    config, store_path = setup(tmp_path, feed_server, selector="div.story-body")
    report = refresh(config, store_path)
    assert report.pages_fetched == 2
    text = rows(store_path)["walkout"]["text"]
    assert text == "\n\n".join(ARTICLES["walkout"][2])


def test_a_selector_that_matches_nothing_keeps_the_teaser_and_says_so(tmp_path, feed_server):
    serve_story(feed_server, with_bakery=False)
    config, store_path = setup(tmp_path, feed_server, selector="section.nowhere")
    report = refresh(config, store_path)
    assert (report.pages_fetched, report.pages_failed) == (0, 2)
    row = rows(store_path)["walkout"]
    assert (row["text"], row["text_source"], row["page_status"]) == (ARTICLES["walkout"][1], "feed", "failed")
    assert row["page_error"] == "nothing on the page matches the selector 'section.nowhere'"


def test_a_failed_page_is_tried_again_only_after_a_day(tmp_path, feed_server):
    serve_story(feed_server, with_bakery=False)
    feed_server.route("/articles/talks.html", Reply(503, b"busy", content_type="text/plain"))
    config, store_path = setup(tmp_path, feed_server)
    report = refresh(config, store_path)
    assert (report.pages_fetched, report.pages_failed) == (1, 1)
    assert rows(store_path)["talks"]["page_error"] == "HTTP 503"

    feed_server.route("/articles/talks.html", Reply(body=page_of("talks"), content_type=HTML))
    refresh(config, store_path)
    assert feed_server.hits("/articles/talks.html") == 1  # not every refresh

    # A day on, the page is asked once more, and its text arrives.
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE articles SET page_fetched = ?", (to_iso(utcnow() - timedelta(days=1, minutes=1)),))
    report = refresh(config, store_path)
    talks = rows(store_path)["talks"]
    assert feed_server.hits("/articles/talks.html") == 2
    assert (report.pages_fetched, report.changed_ids) == (1, (talks["id"],))
    assert (talks["text_source"], talks["page_status"], talks["page_error"]) == ("page", "ok", None)


def test_fetch_pages_fetches_given_articles_now(tmp_path, feed_server):
    serve_story(feed_server)
    config, store_path = setup(tmp_path, feed_server, full_text="never")
    refresh(config, store_path)
    ids = {key: row["id"] for key, row in rows(store_path).items()}

    report = fetch_pages(config, store_path, [ids["walkout"], ids["bakery"]])
    assert (report.fetched, report.failed, set(report.changed_ids)) == (2, 0, {ids["walkout"], ids["bakery"]})
    assert report.line() == "2 pages fetched, 0 failed"
    stored = rows(store_path)
    assert page_only_sentence("walkout") in stored["walkout"]["text"]
    assert stored["talks"]["text_source"] == "feed"
    # Asked again with force, the page is fetched again; without, it is not.
    assert fetch_pages(config, store_path, [ids["walkout"]], force=False).outcomes == ()
    assert fetch_pages(config, store_path, [ids["walkout"]]).fetched == 1
    assert feed_server.hits("/articles/walkout.html") == 2
    # The feed's text stays the summary through a second page.
    assert rows(store_path)["walkout"]["summary"] == ARTICLES["walkout"][1]


def test_fetch_pages_says_why_a_page_failed_and_leaves_the_text(tmp_path, feed_server):
    serve_story(feed_server)
    feed_server.route("/articles/walkout.html", Reply(404, b"gone", content_type="text/html"))
    config, store_path = setup(tmp_path, feed_server, full_text="never")
    refresh(config, store_path)
    walkout = rows(store_path)["walkout"]["id"]
    report = fetch_pages(config, store_path, [walkout, 10_000])  # an id that is not stored is left out
    assert [(o.article_id, o.status, o.error) for o in report.outcomes] == [(walkout, "failed", "HTTP 404")]
    row = rows(store_path)["walkout"]
    assert (row["text"], row["page_status"], row["page_error"]) == (ARTICLES["walkout"][1], "failed", "HTTP 404")


def test_a_page_and_a_feed_on_one_host_share_its_limit(tmp_path, feed_server):
    entries = [
        (f"a{n}", f"Lakeport ferry strike, day {n}", f"Ferry crews in Lakeport strike, day {n}.") for n in range(6)
    ]
    feed_server.route("/feed.xml", Reply(body=teaser_feed(feed_server, entries)))
    for slug, title, _ in entries:
        feed_server.route(
            f"/articles/{slug}.html",
            Reply(body=article_page(title, ARTICLES["walkout"][2]), content_type=HTML, delay=0.3),
        )
    config_path = write_page_config(
        tmp_path / "feeds.toml", [{"name": "Courier", "url": feed_server.url("/feed.xml")}], {"max_per_host": 2}
    )
    report = refresh(load_config(config_path), tmp_path / "store.db")
    assert report.pages_fetched == 6
    assert feed_server.max_in_flight == 2


def test_the_cli_refresh_counts_pages_on_its_last_line(tmp_path, feed_server, run):
    serve_story(feed_server)
    feed_server.route("/articles/talks.html", Reply(403, b"no", content_type="text/html"))
    write_page_config(tmp_path / "feeds.toml", [{"name": "Courier", "url": feed_server.url("/feed.xml")}])
    done = run("refresh")
    assert done.returncode == 0, done.stderr
    assert last_line(done.stdout) == (
        "1 feed: 1 updated, 0 not modified, 0 failed; 3 new articles; 1 page fetched, 1 failed"
    )
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            'full_text = "sometimes"',
            "feeds[0].full_text: 'sometimes' is not one of 'auto', 'always', 'never' (feed 'Courier')",
        ),
        ("full_text = true", "feeds[0].full_text: a boolean is not one of 'auto', 'always', 'never' (feed 'Courier')"),
        ('selector = "div[["', "feeds[0].selector: 'div[[' is not a CSS selector"),
        ("selector = 3", "feeds[0].selector: must be a string, not an integer"),
    ],
)
def test_a_bad_full_text_or_selector_is_one_line_naming_file_and_feed(tmp_path, run, value, words):
    config = tmp_path / "feeds.toml"
    write_page_config(config, [{"name": "Courier", "url": "http://127.0.0.1:9/feed.xml"}])
    config.write_text(config.read_text() + value + "\n")
    done = run("refresh")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"briefing: error: {config}: line "), done.stderr
    assert words in lines[0]
    assert not (tmp_path / "store.db").exists()


def test_the_bundled_config_documents_full_text_and_selector():
    from tests.helpers.cli import REPO

    text = (REPO / "feeds.toml").read_text()
    assert "full_text" in text and "selector" in text
    for mode in ('"auto"', '"always"', '"never"'):
        assert mode in text
    assert all(feed.full_text == "auto" and feed.selector is None for feed in load_config(REPO / "feeds.toml").feeds)


def test_opml_export_and_import_keep_working_with_the_new_keys(tmp_path, run):
    config = write_page_config(
        tmp_path / "feeds.toml",
        [{"name": "Courier", "url": "http://127.0.0.1:9/feed.xml", "full_text": "always", "selector": "article p"}],
    )
    exported = run("opml", "export", "-o", str(tmp_path / "feeds.opml"))
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "other.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline type="rss" text="Wire" xmlUrl="http://127.0.0.1:9/wire.xml"/></body></opml>'
    )
    imported = run("opml", "import", str(tmp_path / "other.opml"))
    assert imported.returncode == 0, imported.stderr
    feeds = load_config(config).feeds
    assert [(f.name, f.full_text, f.selector) for f in feeds] == [
        ("Courier", "always", "article p"),
        ("Wire", "auto", None),
    ]


def test_an_rss_item_without_a_link_is_left_with_its_text(tmp_path, feed_server):
    feed_server.route(
        "/feed.xml",
        Reply(body=rss(item("nolink", "Lakeport ferry strike goes on", None, "Ferry crews in Lakeport strike."))),
    )
    config, store_path = setup(tmp_path, feed_server, full_text="always")
    report = refresh(config, store_path)
    assert (report.new_articles, report.pages_fetched, report.pages_failed) == (1, 0, 0)
    assert rows(store_path)["nolink"]["page_status"] is None


# -- stopping, the dashboard, and stores from before ---------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_during_the_page_stage_stops_the_refresh_and_its_parser_processes(tmp_path, feed_server):
    from tests.test_process_lifetime import Refresh, store_bytes, wait_until_gone

    entries = [
        (f"s{n}", f"Lakeport ferry strike, day {n}", f"Ferry crews in Lakeport strike, day {n}.") for n in range(8)
    ]
    feed_server.route("/feed.xml", Reply(body=teaser_feed(feed_server, entries)))
    # One page answers at once (so a parser process starts, to extract it),
    # the others only after the refresh has been stopped.
    feed_server.route("/articles/s0.html", Reply(body=page_of("walkout"), content_type=HTML))
    for slug, _, _ in entries[1:]:
        feed_server.route(f"/articles/{slug}.html", Reply(body=page_of("talks"), content_type=HTML, delay=30))
    config = write_page_config(
        tmp_path / "feeds.toml", [{"name": "Courier", "url": feed_server.url("/feed.xml")}], {"timeout": 60}
    )
    store = tmp_path / "store.db"
    refresh_process = Refresh(config, store, tmp_path)
    try:
        refresh_process.wait_for_line(r"^\[1/1\] Courier: updated: 8 new")
        deadline = time.monotonic() + 30
        while feed_server.hits("/articles/s7.html") == 0 or not rows(store)["s0"]["page_status"]:
            assert time.monotonic() < deadline, "the pages were not asked for"
            time.sleep(0.05)
        workers = refresh_process.workers(at_least=1)
        started = time.monotonic()
        refresh_process.process.send_signal(signal.SIGTERM)
        code = refresh_process.wait(10)
        assert time.monotonic() - started < 10
        assert wait_until_gone(workers, 1) == {}, "parser processes outlived the refresh"
        before = store_bytes(store)
        time.sleep(1)
        assert store_bytes(store) == before, "the store changed after the refresh had ended"
        assert code == 128 + signal.SIGTERM, (code, refresh_process.out, refresh_process.err)
        assert refresh_process.err == b"", refresh_process.err.decode()
        assert refresh_process.out[-1] == "stopped: 1 of 1 feed stored, 8 new articles"
        # The page that came is kept; the others are left to the next refresh's
        # feed change or to `f`, with the feed's text.
        stored = rows(store)
        assert stored["s0"]["text_source"] == "page"
        assert {stored[slug]["text_source"] for slug, _, _ in entries[1:]} == {"feed"}
    finally:
        refresh_process.clean_up()


@pytest.mark.slow
async def test_the_dashboards_refresh_shows_the_page_stage_and_counts_pages(tmp_path, feed_server):
    from briefing.tui.app import BriefingApp
    from briefing.workers.dashboard_workspace import DashboardWorkspace
    from tests.helpers.waiting import briefing_shown, until, workers_done

    serve_story(feed_server)
    feed_server.route("/articles/talks.html", Reply(body=page_of("talks"), content_type=HTML, delay=2))
    feed_server.route("/articles/walkout.html", Reply(403, b"no", content_type=HTML))
    config, store_path = setup(tmp_path, feed_server)
    app = BriefingApp(DashboardWorkspace(config, store_path), open_url=lambda url: None)
    async with app.run_test(size=(100, 32)) as pilot:
        await briefing_shown(pilot)
        await pilot.press("r")
        status = app.query_one("#refresh-bar")
        await until(pilot, lambda: str(status.render()).startswith("Fetching full text "), timeout=20)
        await until(pilot, lambda: not app.refreshing, timeout=30)
        await workers_done(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.endswith("3 new articles; 1 page fetched, 1 failed") for m in messages), messages
        # The briefing is built from the page's text.
        talks = next(a for a in app.briefing.articles if a.title == ARTICLES["talks"][0])
        assert talks.id in {row["id"] for row in rows(store_path).values() if row["text_source"] == "page"}


def test_a_v2_store_opens_at_the_current_version_keeping_articles_and_read_marks(tmp_path):
    from briefing.store.schema import MIGRATIONS, _statements

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:2]):
        for statement in _statements(script):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version + 1}")
    columns = "key, feed, source, title, link, published, first_seen, updated_at, text, content_hash, read"
    now = "2025-03-01T10:00:00Z"
    db.executemany(
        f"INSERT INTO articles ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "Courier|walkout",
                "Courier",
                "The Lake Courier",
                "Walkout",
                "https://courier.example/w",
                now,
                now,
                now,
                ARTICLES["walkout"][1],
                "h1",
                1,
            ),
            (
                "Courier|talks",
                "Courier",
                "The Lake Courier",
                "Talks",
                "https://courier.example/t",
                now,
                now,
                now,
                ARTICLES["talks"][1],
                "h2",
                0,
            ),
            ("import|sha1:abc", None, "Imported", "Harbour notes", None, None, now, now, "Forty idle boats.", "h3", 1),
        ],
    )
    db.close()

    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        articles = {a.key: a for a in store.articles()}
    assert {key: (a.read, a.text_source, a.page_status, a.summary) for key, a in articles.items()} == {
        "Courier|walkout": (True, "feed", None, None),
        "Courier|talks": (False, "feed", None, None),
        "import|sha1:abc": (True, "file", None, None),
    }
    assert articles["Courier|walkout"].text == ARTICLES["walkout"][1]
    # The full-text search still finds them.
    with Store(path) as store:
        assert [hit.id for hit in store.search("idle boats")] == [articles["import|sha1:abc"].id]
