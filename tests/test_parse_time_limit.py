"""Every body is parsed under a time limit, however few a refresh brings.

A feed whose body keeps its parser process past the limit fails in words
("parsing took longer than N s") and its process is ended; the body queued
behind it in that process is parsed by another process and stored; the
other feeds are refreshed. The bodies here are genuinely slow to parse
(thousands of items, seconds of feedparser's time), not slowed by a hook;
the limit is lowered for the test (PARSE_TIME_LIMIT in-process, or
$BRIEFING_PARSE_TIME_LIMIT for the CLI).
"""

from __future__ import annotations

import re
import time

import pytest

import briefing.refresh.parser_pool as pool_module
from briefing.config import load_config
from briefing.refresh.run import refresh
from briefing.store.database import Store
from tests.helpers.cli import run_cli
from tests.helpers.feedserver import Reply, item, rss, write_config
from tests.helpers.hostile import cli_env

# ~5 s of parsing here, against a limit of 1 s.
SLOW_ITEMS = 5000
LIMIT = 1


def feed(tag: str, items: int) -> bytes:
    return rss(
        *(
            item(
                f"{tag}-{n}",
                f"Syria report {tag}.{n}",
                f"http://example.invalid/{tag}/{n}",
                "Syria and Türkiye discuss a defense pact.",
            )
            for n in range(items)
        )
    )


@pytest.fixture
def slow_and_small(feed_server, tmp_path, monkeypatch):
    """Two feeds: one slow to parse, then (arriving just after it) one small."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    feed_server.route("/slow.xml", Reply(body=feed("slow", SLOW_ITEMS)))
    feed_server.route("/small.xml", Reply(body=feed("small", 3), delay=0.3))
    path = write_config(
        tmp_path / "feeds.toml",
        [("Slow", feed_server.url("/slow.xml")), ("Small", feed_server.url("/small.xml"))],
        {"timeout": 30, "max_bytes": 50_000_000},
    )
    return path, tmp_path / "store.db"


@pytest.mark.parametrize("processes", ["2", "1"])
@pytest.mark.slow
def test_a_refresh_of_two_feeds_parses_under_the_limit(slow_and_small, monkeypatch, processes):
    # Two bodies are fewer than it takes to start a second parser process.
    # With one process, the small body waits in the slow one's pipe, and
    # goes to the process started in its place.
    config_path, store_path = slow_and_small
    monkeypatch.setattr(pool_module, "PARSE_TIME_LIMIT", LIMIT)
    monkeypatch.setenv("BRIEFING_PARSE_PROCESSES", processes)
    began = time.monotonic()
    report = refresh(load_config(config_path), store_path)
    took = time.monotonic() - began
    slow, small = report.outcomes
    assert (slow.status, slow.error) == ("failed", f"parsing took longer than {LIMIT} s")
    assert (small.status, small.new) == ("updated", 3)
    assert took < LIMIT + 5, f"the refresh took {took:.1f} s"
    with Store(store_path) as store:
        states = store.feed_states()
        assert store.count_articles() == 3
    assert states["Slow"].last_status == "failed"
    assert states["Slow"].last_error == f"parsing took longer than {LIMIT} s"


@pytest.mark.slow
def test_the_cli_names_the_feed_that_took_too_long(slow_and_small, tmp_path):
    config_path, store_path = slow_and_small
    done = run_cli(
        "--config",
        str(config_path),
        "--cache",
        str(store_path),
        "refresh",
        env=cli_env({"BRIEFING_PARSE_TIME_LIMIT": str(LIMIT)}),
        cwd=tmp_path,
        timeout=60,
    )
    out = done.stdout.decode()
    assert done.returncode == 0, out + done.stderr.decode()
    assert done.stderr == b""
    assert re.search(rf"^\[\d/2\] Slow: failed: parsing took longer than {LIMIT} s \(", out, re.M), out
    assert re.search(r"^\[\d/2\] Small: updated: 3 new", out, re.M), out
    assert out.splitlines()[-1] == "2 feeds: 1 updated, 0 not modified, 1 failed; 3 new articles"


@pytest.mark.parametrize(
    "value, seconds", [("2.5", 2.5), ("0", 60), ("-1", 60), ("nan", 60), ("inf", 60), ("soon", 60), ("", 60)]
)
def test_the_limit_can_be_set_from_the_environment(monkeypatch, value, seconds):
    monkeypatch.setenv("BRIEFING_PARSE_TIME_LIMIT", value)
    assert pool_module.parse_time_limit() == seconds
