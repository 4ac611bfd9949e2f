"""briefing.refresh.run end to end: a real loopback server, the real parser, a
real SQLite store in a temp dir."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

import briefing.refresh.jobs as jobs_module
import briefing.refresh.parser_pool as pool_module
from briefing.config import load_config
from briefing.refresh.run import (
    FeedOutcome,
    RefreshReport,
    UnknownFeedError,
    refresh,
)
from briefing.store.database import Store
from tests.helpers.feedserver import Reply, item, rss, write_config

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SETTINGS = {"timeout": 3, "connect_timeout": 2}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def setup(tmp_path, feed_server):
    """make(feeds={name: path}, settings=...) -> (config, store_path)."""

    def make(feeds: dict[str, str], settings: dict | None = None, extra: str = ""):
        path = write_config(
            tmp_path / "feeds.toml",
            [(name, feed_server.url(p)) for name, p in feeds.items()],
            {**SETTINGS, **(settings or {})},
            extra,
        )
        return load_config(path), tmp_path / "store.db"

    return make


def stored(store_path, feed: str | None = None):
    with Store(store_path) as store:
        return [a for a in store.articles() if feed is None or a.feed == feed]


def states(store_path):
    with Store(store_path) as store:
        return store.feed_states()


def outcome(report: RefreshReport, name: str) -> FeedOutcome:
    return next(o for o in report.outcomes if o.name == name)


TWO = rss(
    item(
        "g1",
        "Erdoğan receives al-Sharaa in Ankara",
        "http://example.invalid/1",
        "<p>Talks on a defence pact.</p><p>Second paragraph.</p>",
    ),
    item("g2", "Syria and Türkiye discuss air bases", "http://example.invalid/2", "Base talks."),
)


def test_a_first_refresh_stores_every_article(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO, headers={"ETag": '"a1"'}))
    config, store_path = setup({"A": "/a.xml"})
    report = refresh(config, store_path)
    assert report.outcomes == (outcome(report, "A"),)
    a = outcome(report, "A")
    assert (a.status, a.new, a.updated, a.error, a.http_status) == ("updated", 2, 0, None, 200)
    assert a.elapsed > 0
    assert report.new_articles == 2
    articles = stored(store_path)
    assert sorted(x.id for x in articles) == sorted(report.changed_ids)
    assert {x.title for x in articles} == {
        "Erdoğan receives al-Sharaa in Ankara",
        "Syria and Türkiye discuss air bases",
    }
    first = next(x for x in articles if x.link == "http://example.invalid/1")
    assert first.text == "Talks on a defence pact.\n\nSecond paragraph."
    assert first.source == "A" and first.feed == "A"
    state = states(store_path)["A"]
    assert state.etag == '"a1"' and state.last_status == "updated" and state.consecutive_failures == 0
    assert report.ok
    assert report.summary_line() == "1 feed: 1 updated, 0 not modified, 0 failed; 2 new articles"


def test_a_304_costs_no_parsing_and_sends_the_exact_validators(setup, feed_server, monkeypatch):
    etag = 'W/"weak-ü-1"'
    stamp = "Tue, 04 Feb 2025 12:00:00 GMT"

    def answer(seen):
        if seen.header("if-none-match") == etag:
            return Reply(304)
        return Reply(body=TWO, headers={"ETag": etag, "Last-Modified": stamp})

    feed_server.route("/a.xml", answer)
    config, store_path = setup({"A": "/a.xml"})
    refresh(config, store_path)
    parsed = []
    real = pool_module._ParserProcess.parse

    async def counting(self, body, *rest):
        parsed.append(body)
        return await real(self, body, *rest)

    monkeypatch.setattr(pool_module._ParserProcess, "parse", counting)
    report = refresh(config, store_path)
    assert outcome(report, "A").status == "not_modified"
    assert outcome(report, "A").http_status == 304
    assert parsed == []
    second = feed_server.requests("/a.xml")[1]
    assert second.header("if-none-match") == etag
    assert second.header("if-modified-since") == stamp
    state = states(store_path)["A"]
    assert (state.etag, state.last_modified, state.last_status) == (etag, stamp, "not_modified")
    assert len(stored(store_path)) == 2
    assert report.summary_line() == "1 feed: 0 updated, 1 not modified, 0 failed; 0 new articles"


@pytest.mark.slow
def test_the_same_entries_twice_are_stored_once(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO))  # no validators: a full 200 each time
    config, store_path = setup({"A": "/a.xml"})
    refresh(config, store_path)
    before = {a.id: a for a in stored(store_path)}
    report = refresh(config, store_path)
    a = outcome(report, "A")
    assert (a.status, a.new, a.updated) == ("updated", 0, 0)
    assert report.changed_ids == ()
    after = {a.id: a for a in stored(store_path)}
    assert after == before


@pytest.mark.slow
def test_a_changed_entry_is_updated_in_place_keeping_first_seen(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO))
    config, store_path = setup({"A": "/a.xml"})
    refresh(config, store_path)
    original = next(a for a in stored(store_path) if a.link == "http://example.invalid/2")
    feed_server.route(
        "/a.xml",
        Reply(
            body=rss(
                item(
                    "g1",
                    "Erdoğan receives al-Sharaa in Ankara",
                    "http://example.invalid/1",
                    "<p>Talks on a defence pact.</p><p>Second paragraph.</p>",
                ),
                item("g2", "Syria and Türkiye discuss air bases (updated)", "http://example.invalid/2", "More."),
            )
        ),
    )
    report = refresh(config, store_path)
    assert (outcome(report, "A").new, outcome(report, "A").updated) == (0, 1)
    assert report.changed_ids == (original.id,)
    articles = stored(store_path)
    assert len(articles) == 2
    changed = next(a for a in articles if a.id == original.id)
    assert changed.title == "Syria and Türkiye discuss air bases (updated)"
    assert changed.text == "More."
    assert changed.first_seen == original.first_seen


@pytest.mark.slow
def test_an_entry_whose_guid_changes_but_link_stays_is_not_duplicated(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=rss(item("guid-old", "Pact talks", "http://example.invalid/p", "A."))))
    config, store_path = setup({"A": "/a.xml"})
    refresh(config, store_path)
    [before] = stored(store_path)
    feed_server.route("/a.xml", Reply(body=rss(item("guid-new", "Pact talks", "http://example.invalid/p", "A."))))
    report = refresh(config, store_path)
    assert outcome(report, "A").new == 0
    [after] = stored(store_path)
    assert after.id == before.id
    assert after.first_seen == before.first_seen
    refresh(config, store_path)  # and again: still one
    assert [a.id for a in stored(store_path)] == [before.id]


def test_a_failing_feed_keeps_every_article_it_had(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO, headers={"ETag": '"v1"'}))
    config, store_path = setup({"A": "/a.xml"})
    refresh(config, store_path)
    before = stored(store_path)
    feed_server.route("/a.xml", Reply(500))
    report = refresh(config, store_path)
    a = outcome(report, "A")
    assert (a.status, a.error, a.http_status) == ("failed", "HTTP 500", 500)
    assert not report.ok
    assert stored(store_path) == before
    state = states(store_path)["A"]
    assert state.consecutive_failures == 1 and state.last_error == "HTTP 500"
    assert state.etag == '"v1"'  # a failure does not forget the validators
    assert state.last_success is not None
    feed_server.route("/a.xml", Reply(404))
    refresh(config, store_path)
    assert states(store_path)["A"].consecutive_failures == 2
    assert stored(store_path) == before


@pytest.mark.slow
def test_429_retry_after_is_honoured_on_the_next_refresh(setup, feed_server):
    feed_server.route("/slow.xml", Reply(429, headers={"Retry-After": "3600"}))
    feed_server.route("/ok.xml", Reply(body=TWO))
    config, store_path = setup({"Slow": "/slow.xml", "OK": "/ok.xml"})
    first = refresh(config, store_path)
    assert outcome(first, "Slow").error == "HTTP 429"
    retry_after = states(store_path)["Slow"].retry_after
    assert retry_after > datetime.now(UTC) + timedelta(minutes=59)
    second = refresh(config, store_path)
    slow = outcome(second, "Slow")
    assert slow.status == "skipped"
    expected = retry_after.astimezone()
    assert slow.error == f"waiting until {expected:%H:%M}" or slow.error == f"waiting until {expected:%Y-%m-%d %H:%M}"
    assert feed_server.hits("/slow.xml") == 1  # not asked again
    assert feed_server.hits("/ok.xml") == 2
    assert second.ok
    assert second.summary_line() == "2 feeds: 1 updated, 0 not modified, 0 failed, 1 skipped; 0 new articles"
    # Even asked for by name, a feed that must wait is not fetched.
    third = refresh(config, store_path, ["Slow"])
    assert [o.status for o in third.outcomes] == ["skipped"]
    assert feed_server.hits("/slow.xml") == 1


def test_min_interval_spaces_fetches_of_one_feed(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO))
    config, store_path = setup({"A": "/a.xml"}, {"min_interval": 600})
    refresh(config, store_path)
    report = refresh(config, store_path)
    assert outcome(report, "A").status == "skipped"
    assert outcome(report, "A").error.startswith("waiting until ")
    assert feed_server.hits("/a.xml") == 1


def test_an_html_page_is_not_a_feed(setup, feed_server):
    feed_server.route(
        "/page",
        Reply(
            body=b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
            content_type="text/html",
        ),
    )
    config, store_path = setup({"Page": "/page"})
    report = refresh(config, store_path)
    page = outcome(report, "Page")
    assert (page.status, page.error, page.http_status) == ("failed", "not a feed: got an HTML page", 200)
    assert states(store_path)["Page"].etag is None
    assert report.summary_line() == "1 feed: 0 updated, 0 not modified, 1 failed; 0 new articles"


def test_malformed_xml_that_feedparser_can_partly_read(setup, feed_server):
    broken = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><guid>1</guid><title>First & only</title><description>ok <b>bold</description></item>"
        b"<item><guid>2</guid><title>Second</title>"
    )
    feed_server.route("/broken.xml", Reply(body=broken))
    config, store_path = setup({"Broken": "/broken.xml"})
    report = refresh(config, store_path)
    broken_outcome = outcome(report, "Broken")
    assert broken_outcome.status == "updated" and broken_outcome.new >= 1
    assert "First & only" in {a.title for a in stored(store_path)}
    state = states(store_path)["Broken"]
    assert state.last_status == "updated"
    assert state.last_error.startswith("partly malformed feed")


def test_a_wrong_declared_charset(setup, feed_server):
    # Declared UTF-8, actually windows-1252.
    cp1252 = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><guid>1</guid><title>Café talks \u2013 Ankara</title>"
        "<description>na\u00efve \u201cquote\u201d</description></item></channel></rss>"
    ).encode("cp1252")
    # Declared Latin-1, actually UTF-8: decoding it as declared would make C1 controls.
    utf8 = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t</title>'
        "<item><guid>2</guid><title>Pact \u2013 talks \u201cnow\u201d</title>"
        "<description>Erdoğan\u2019s view</description></item></channel></rss>"
    ).encode("utf-8")
    feed_server.route("/cp.xml", Reply(body=cp1252, content_type="application/rss+xml; charset=utf-8"))
    feed_server.route("/u8.xml", Reply(body=utf8, content_type="text/xml; charset=iso-8859-1"))
    config, store_path = setup({"CP": "/cp.xml", "U8": "/u8.xml"})
    report = refresh(config, store_path)
    assert [o.status for o in report.outcomes] == ["updated", "updated"], report.outcomes
    articles = stored(store_path)
    assert len(articles) == 2
    for article in articles:
        for value in (article.title, article.text, article.source, article.author or ""):
            assert not CONTROL.search(value), repr(value)
    cp = next(a for a in articles if a.feed == "CP")
    assert cp.title == "Café talks \u2013 Ankara"


def test_hostile_text_is_stored_clean(setup, feed_server):
    feed_server.route(
        "/h.xml",
        Reply(
            body=rss(
                item(
                    "h1",
                    "Title \x1b]8;;http://evil\x07link\x1b]8;;\x07 \u202eevil\u202c",
                    "http://example.invalid/h",
                    "Text \x1b[31mred\x1b[0m \x9b2J done",
                )
            )
        ),
    )
    config, store_path = setup({"H": "/h.xml"})
    assert outcome(refresh(config, store_path), "H").status == "updated"
    [article] = stored(store_path)
    assert article.title == "Title link evil"
    # feedparser reads a C1 character as its windows-1252 look-alike (U+009B -> U+203A).
    assert article.text in ("Text red done", "Text red \u203a2J done")
    for value in (article.title, article.text):
        assert not CONTROL.search(value) and "[31m" not in value


@pytest.mark.slow
def test_mixed_outcomes_and_the_summary_line(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO, headers={"ETag": '"1"'}))
    feed_server.route("/b.xml", Reply(body=rss(item("b1", "Other", "http://example.invalid/b"))))
    feed_server.route("/gone.xml", Reply(404))
    config, store_path = setup({"A": "/a.xml", "B": "/b.xml", "Gone": "/gone.xml"})
    refresh(config, store_path)
    feed_server.route("/a.xml", lambda seen: Reply(304) if seen.header("if-none-match") == '"1"' else Reply(500))
    report = refresh(config, store_path)
    assert [o.name for o in report.outcomes] == ["A", "B", "Gone"]  # config order
    assert [o.status for o in report.outcomes] == ["not_modified", "updated", "failed"]
    assert report.ok
    assert report.summary_line() == "3 feeds: 1 updated, 1 not modified, 1 failed; 0 new articles"


@pytest.mark.slow
def test_feed_selection(setup, feed_server):
    feed_server.route("/a.xml", Reply(body=TWO))
    feed_server.route("/b.xml", Reply(body=TWO))
    feed_server.route("/off.xml", Reply(body=TWO))
    config, store_path = setup(
        {"A": "/a.xml", "B": "/b.xml"},
        extra=f'[[feeds]]\nname = "Off"\nurl = "{feed_server.url("/off.xml")}"\nenabled = false\n',
    )
    report = refresh(config, store_path)
    assert [o.name for o in report.outcomes] == ["A", "B"]  # the disabled feed is left alone
    assert feed_server.hits("/off.xml") == 0
    report = refresh(config, store_path, ["b", "Off"])  # names match case-insensitively
    assert [o.name for o in report.outcomes] == ["B", "Off"]
    assert feed_server.hits("/a.xml") == 1 and feed_server.hits("/off.xml") == 1
    with pytest.raises(UnknownFeedError) as error:
        refresh(config, store_path, ["A", "Nope"])
    assert "'Nope'" in str(error.value) and str(config.path) in str(error.value)
    assert "\n" not in str(error.value)
    assert feed_server.hits("/a.xml") == 1  # nothing was fetched


def test_progress_callback_on_the_calling_thread_and_refresh_from_a_worker_thread(setup, feed_server):
    for name in "abcd":
        feed_server.route(f"/{name}.xml", Reply(body=TWO if name != "d" else b"", delay=0.05))
    config, store_path = setup({name.upper(): f"/{name}.xml" for name in "abcd"})
    calls = []
    result = {}

    def worker():
        me = threading.get_ident()
        result["report"] = refresh(
            config,
            store_path,
            on_feed_done=lambda o, done, total: calls.append((o, done, total, threading.get_ident() == me)),
        )

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(30)
    report = result["report"]
    assert [c[1] for c in calls] == [1, 2, 3, 4]
    assert {c[2] for c in calls} == {4}
    assert all(c[3] for c in calls)
    assert {c[0].name for c in calls} == {"A", "B", "C", "D"}
    assert outcome(report, "D").error == "not a feed: the body is empty"
    assert report.summary_line() == "4 feeds: 3 updated, 0 not modified, 1 failed; 6 new articles"


@pytest.mark.slow
def test_many_bodies_are_parsed_in_parser_processes(setup, feed_server, monkeypatch):
    count = 16
    for i in range(count):
        # The first bodies start the processes; the later ones arrive when they are up.
        feed_server.route(
            f"/{i}.xml",
            Reply(
                body=rss(
                    *(
                        item(
                            f"f{i}-{j}",
                            f"Story {j} from feed {i}",
                            f"http://example.invalid/{i}/{j}",
                            f"<p>Paragraph {j}.</p>",
                        )
                        for j in range(20)
                    )
                ),
                delay=0 if i < 4 else 2,
            ),
        )
    config, store_path = setup({f"F{i}": f"/{i}.xml" for i in range(count)}, {"max_per_host": 16})
    in_processes = []
    real = pool_module._ParserProcess.parse

    async def counting(self, body, name, content_type, store_job):
        result = await real(self, body, name, content_type, store_job)
        in_processes.append((self.process.pid, os.getpriority(os.PRIO_PROCESS, self.process.pid), result[0]))
        return result

    monkeypatch.setattr(pool_module._ParserProcess, "parse", counting)
    monkeypatch.setattr(pool_module, "POOL_MIN_BACKLOG", 1)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    report = refresh(config, store_path)
    assert report.ok and report.new_articles == count * 20
    assert all(o.status == "updated" and o.new == 20 for o in report.outcomes)
    assert in_processes, "no body was parsed in a parser process"
    # Parser processes run nicer than the refresh that started them.
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert all(nice == min(mine + jobs_module.PARSER_NICENESS, 19) for _, nice, _ in in_processes)
    # A parser process also stores what it parsed, and records the feed.
    assert all(kind == "stored" for _, _, kind in in_processes)
    assert len(stored(store_path)) == count * 20
    assert all(state.last_status == "updated" for state in states(store_path).values())
    # Parsed in one process or in two, the stored result is the same.
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "1")
    second_store = store_path.with_name("one.db")
    refresh(config, second_store)
    strip = lambda articles: sorted((a.key, a.title, a.text, a.link, a.published) for a in articles)  # noqa: E731
    assert strip(stored(second_store)) == strip(stored(store_path))


@pytest.mark.slow
def test_the_bodies_of_a_parser_process_that_dies_go_to_another(setup, feed_server, monkeypatch):
    count = 8
    for i in range(count):
        feed_server.route(
            f"/{i}.xml",
            Reply(body=rss(item(f"d{i}", f"Story {i}", f"http://example.invalid/{i}")), delay=0 if i < 3 else 2),
        )
    config, store_path = setup({f"F{i}": f"/{i}.xml" for i in range(count)}, {"max_per_host": 8})
    real = pool_module._ParserProcess.parse
    killed = []

    async def dying(self, body, name, content_type, store_job):
        if not killed:
            killed.append(self.process.pid)
            self.process.kill()
            await self.process.wait()
        return await real(self, body, name, content_type, store_job)

    monkeypatch.setattr(pool_module._ParserProcess, "parse", dying)
    monkeypatch.setattr(pool_module, "POOL_MIN_BACKLOG", 1)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    report = refresh(config, store_path)
    assert killed
    assert [o.status for o in report.outcomes] == ["updated"] * count, report.outcomes
    assert len(stored(store_path)) == count


def _one_item_feeds(setup, feed_server, count: int):
    """`count` new feeds of one story each, answering at once: (config, store path)."""
    for i in range(count):
        feed_server.route(f"/{i}.xml", Reply(body=rss(item(f"s{i}", f"Story {i}", f"http://example.invalid/{i}"))))
    return setup({f"F{i}": f"/{i}.xml" for i in range(count)}, {"max_per_host": 8})


def _refresh_within(config, store_path, seconds: float = 30):
    """refresh(), failing the test (not hanging it) if it does not finish in time."""
    done: list = []
    worker = threading.Thread(target=lambda: done.append(refresh(config, store_path)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"the refresh did not finish in {seconds} s"
    return done[0]


def test_a_first_pass_parses_nothing_on_the_refreshing_process(setup, feed_server, monkeypatch):
    # Every body goes to a parser process, which stores it too: the process
    # that fetches never parses or stores a body.
    count = 6
    config, store_path = _one_item_feeds(setup, feed_server, count)
    in_processes = []
    real = pool_module._ParserProcess.parse

    async def counting(self, body, name, content_type, store_job):
        result = await real(self, body, name, content_type, store_job)
        in_processes.append((name, result[0]))
        return result

    monkeypatch.setattr(pool_module._ParserProcess, "parse", counting)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    report = refresh(config, store_path)
    assert [o.status for o in report.outcomes] == ["updated"] * count
    assert sorted(in_processes) == sorted((f"F{i}", "stored") for i in range(count))
    assert len(stored(store_path)) == count


@pytest.mark.parametrize(
    "second_failure",
    [OSError("no interpreter to start"), RuntimeError("unforeseen")],
    ids=["both-oserror", "then-unforeseen-later"],
)
def test_parser_processes_that_cannot_start_fail_the_feeds_in_words(setup, feed_server, monkeypatch, second_failure):
    # No body is parsed where no time limit holds: without a parser process
    # the feeds fail, saying why, and the refresh ends.
    import asyncio

    count = 5
    config, store_path = _one_item_feeds(setup, feed_server, count)
    starts = []

    async def failing(cls, pages=False):
        starts.append(1)
        if len(starts) == 1:
            raise OSError("no interpreter to start")
        await asyncio.sleep(0.2)  # the other fails later
        raise second_failure

    monkeypatch.setattr(pool_module._ParserProcess, "start", classmethod(failing))
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    report = _refresh_within(config, store_path)
    assert len(starts) >= pool_module.START_ATTEMPTS  # tried again before giving up
    assert [o.status for o in report.outcomes] == ["failed"] * count
    assert {o.error for o in report.outcomes} == {
        "could not parse: no parser process could start: no interpreter to start"
    }
    assert len(stored(store_path)) == 0


def test_one_failed_parser_process_start_is_tried_again(setup, feed_server, monkeypatch):
    # A start that timed out on a busy machine must not fail every feed.
    count = 4
    config, store_path = _one_item_feeds(setup, feed_server, count)
    real = pool_module._ParserProcess.start.__func__
    starts = []

    async def first_fails(cls, pages=False):
        starts.append(1)
        if len(starts) == 1:
            raise OSError("it was not ready after 10 s")
        return await real(cls, pages)

    monkeypatch.setattr(pool_module._ParserProcess, "start", classmethod(first_fails))
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "1")
    report = _refresh_within(config, store_path)
    assert len(starts) == 2
    assert [o.status for o in report.outcomes] == ["updated"] * count


def test_a_parser_process_start_that_hangs_is_given_up(setup, feed_server, monkeypatch):
    import asyncio

    count = 4
    config, store_path = _one_item_feeds(setup, feed_server, count)

    async def never_ready(self):  # a real process whose ready frame never comes
        await asyncio.sleep(60)

    monkeypatch.setattr(pool_module._ParserProcess, "_read", never_ready)
    monkeypatch.setattr(pool_module, "PROCESS_START_LIMIT", 0.5)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    began = time.monotonic()
    report = _refresh_within(config, store_path)
    assert [o.status for o in report.outcomes] == ["failed"] * count
    assert {o.error for o in report.outcomes} == {
        "could not parse: no parser process could start: it was not ready after 0.5 s"
    }
    assert time.monotonic() - began < 10


def test_report_ok_and_summary():
    def o(status):
        return FeedOutcome("x", status)

    assert RefreshReport((), 0, ()).ok
    assert RefreshReport((o("skipped"),), 0, ()).ok
    assert not RefreshReport((o("failed"), o("skipped")), 0, ()).ok
    assert RefreshReport((o("failed"), o("not_modified")), 0, ()).ok
    report = RefreshReport(tuple(o(s) for s in ["updated"] * 9 + ["not_modified"] * 2 + ["failed"]), 37, ())
    assert report.summary_line() == "12 feeds: 9 updated, 2 not modified, 1 failed; 37 new articles"
    assert (
        RefreshReport((o("updated"),), 1, (5,)).summary_line()
        == "1 feed: 1 updated, 0 not modified, 0 failed; 1 new article"
    )


def test_the_refresh_core_imports_no_textual():
    code = (
        "import sys, briefing.refresh.run, briefing.ingest.fetch, briefing.ingest.opml; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_parser_processes_start_for_new_feeds_and_not_for_a_pass_of_304s(setup, feed_server, monkeypatch):
    count = 4
    for i in range(count):
        body = rss(item(f"n{i}", f"Story {i}", f"http://example.invalid/{i}"))

        def answer(seen, body=body, tag=f'"v{i}"'):
            if seen.header("if-none-match") == tag:
                return Reply(304, headers={"ETag": tag})
            return Reply(body=body, headers={"ETag": tag}, delay=1.0)

        feed_server.route(f"/{i}.xml", answer)
    config, store_path = setup({f"F{i}": f"/{i}.xml" for i in range(count)}, {"max_per_host": 8})
    started = []
    real = pool_module.ParserPool.start_processes

    def counting(self, count=None):
        started.append(time.monotonic() - began)
        return real(self, count)

    monkeypatch.setattr(pool_module.ParserPool, "start_processes", counting)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", "2")
    began = time.monotonic()
    first = refresh(config, store_path)
    assert first.new_articles == count
    # Started with the first requests, not a second later when the bodies came.
    assert started and started[0] < 0.9, started
    started.clear()
    second = refresh(config, store_path)
    assert [o.status for o in second.outcomes] == ["not_modified"] * count
    assert started == [], "a pass of 304s started parser processes"
