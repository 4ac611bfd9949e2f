"""briefing.workers.refresh_worker: the dashboard's refresh in a child process,
against a real loopback server and a real store."""

from __future__ import annotations

import os
import time

import pytest

from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
from briefing.config import load_config
from briefing.store.database import Store
from briefing.workers.refresh_worker import REFRESH_NICENESS, Analysing, FeedDone, Finished, RefreshProcess
from tests.helpers.feedserver import Reply, item, rss, write_config

STORY = rss(
    *[
        item(
            f"g{n}",
            f"Erdoğan and al-Sharaa discuss the defence pact, part {n}",
            f"http://example.invalid/{n}",
            f"<p>Türkiye and Syria talked about air bases in Syria, report {n}.</p>",
        )
        for n in range(4)
    ]
)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def config_for(tmp_path, feed_server, feeds):
    path = write_config(
        tmp_path / "feeds.toml",
        [(name, feed_server.url(p)) for name, p in feeds.items()],
        {"timeout": 3, "connect_timeout": 2},
    )
    return load_config(path)


@pytest.mark.slow
def test_feeds_are_reported_then_analysed_then_finished(tmp_path, feed_server):
    feed_server.route("/a.xml", Reply(body=STORY))
    feed_server.route("/gone.xml", Reply(status=404, body=b"no", content_type="text/plain"))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml", "Gone": "/gone.xml"})
    store_path = tmp_path / "store.db"

    events = list(RefreshProcess(config, store_path).events())

    feeds = [e for e in events if isinstance(e, FeedDone)]
    assert sorted(e.outcome.name for e in feeds) == ["A", "Gone"]
    assert [e.done for e in feeds] == [1, 2] and {e.total for e in feeds} == {2}
    assert next(e for e in feeds if e.outcome.name == "Gone").outcome.error == "HTTP 404"
    analysing = [e for e in events if isinstance(e, Analysing)]
    assert analysing and analysing[-1].done == analysing[-1].total == 4
    assert isinstance(events[-1], Finished) and events[-1].error is None
    report = events[-1].report
    assert report.summary_line() == "2 feeds: 1 updated, 0 not modified, 1 failed; 4 new articles"
    # The analyses are in the store: the dashboard only merges them.
    with Store(store_path) as store:
        ids = set(store.article_ids())
        assert len(ids) == 4 and set(report.changed_ids) == ids
        assert store.analysed_ids(ANALYSIS_VERSION, story_fingerprint(config.story)) == ids


@pytest.mark.slow
def test_nothing_new_means_no_analysis(tmp_path, feed_server):
    feed_server.route("/a.xml", Reply(status=500, body=b"down", content_type="text/plain"))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml"})
    events = list(RefreshProcess(config, tmp_path / "store.db").events())
    assert not any(isinstance(e, Analysing) for e in events)
    assert events[-1].report is not None and not events[-1].report.ok


def test_the_child_runs_nicer_than_the_dashboard(tmp_path, feed_server):
    feed_server.route("/slow.xml", Reply(body=STORY, delay=2))
    config = config_for(tmp_path, feed_server, {"Slow": "/slow.xml"})
    child = RefreshProcess(config, tmp_path / "store.db")
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            # Field 19 of /proc/PID/stat is the niceness.
            nice = int(open(f"/proc/{child.process.pid}/stat").read().rsplit(")", 1)[1].split()[16])
            if nice:
                break
            time.sleep(0.02)
        assert nice == min(19, os.nice(0) + REFRESH_NICENESS)
    finally:
        child.stop()


@pytest.mark.slow
def test_stopping_midway_ends_the_child_and_keeps_what_was_stored(tmp_path, feed_server):
    feed_server.route("/a.xml", Reply(body=STORY))
    feed_server.route("/hang.xml", Reply(hang=True))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml", "Hang": "/hang.xml"})
    store_path = tmp_path / "store.db"
    child = RefreshProcess(config, store_path)
    events = child.events()
    first = next(events)
    assert isinstance(first, FeedDone) and first.outcome.name == "A"
    started = time.monotonic()
    child.stop()
    assert child.process.returncode is not None
    assert time.monotonic() - started < 5
    rest = list(events)
    assert isinstance(rest[-1], Finished) and rest[-1].report is None
    with Store(store_path) as store:
        assert store.count_articles() == 4


def test_a_store_that_cannot_be_opened_is_reported_in_words(tmp_path, feed_server):
    feed_server.route("/a.xml", Reply(body=STORY))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml"})
    bad = tmp_path / "store.db"
    bad.write_bytes(b"this is not a database" * 100)
    events = list(RefreshProcess(config, bad).events())
    assert len(events) == 1 and events[0].report is None
    assert events[0].error.startswith("Refresh failed: ") and "store.db" in events[0].error
    assert "\n" not in events[0].error


@pytest.mark.slow
def test_a_child_that_dies_is_reported_not_waited_for(tmp_path, feed_server):
    import signal

    feed_server.route("/a.xml", Reply(body=STORY))
    feed_server.route("/hang.xml", Reply(hang=True))
    config = config_for(tmp_path, feed_server, {"A": "/a.xml", "Hang": "/hang.xml"})
    child = RefreshProcess(config, tmp_path / "store.db")
    events = child.events()
    assert isinstance(next(events), FeedDone)
    os.kill(child.process.pid, signal.SIGKILL)
    rest = list(events)
    assert len(rest) == 1 and rest[0].report is None
    assert rest[0].error == "the refresh process ended unexpectedly (exit status -9)"
