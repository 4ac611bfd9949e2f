"""Every file of the third-party feed corpora through the real pipeline.

Each file's bytes go through parse.parse_feed (feedparser, then cleaning),
then Store.upsert_articles into one temporary store. The sweep shows:

- no exception escapes (NotAFeed is an answer, not an escape);
- no control character (C0 but newline and tab, DEL, C1, ESC) and no bidi
  override or isolate reaches any stored text field, nor a feed title or
  warning that would be displayed;
- every stored article reads back identical to what was parsed;
- how long it took (a line in pytest's terminal summary, and a
  `corpus_sweep_seconds` property in JUnit XML).

The corpora live beside the checkout (../shared/corpora) or at
$BRIEFING_CORPORA; without them the test is skipped, saying so. Parsing runs
in a pool of processes, one a core (feedparser is pure Python).
"""

from __future__ import annotations

import os
import re
import time
import traceback
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from briefing.store.database import Store

pytestmark = pytest.mark.slow  # every test here takes a second or more

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def corpora_dir() -> Path:
    env = os.environ.get("BRIEFING_CORPORA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "corpora"


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def parse_one(path: str, root: str):
    """In a worker process: (name, kind, payload, seconds). kind is "ok"
    (payload a ParsedFeed), "not_a_feed" (the message) or "error" (a
    traceback: an exception escaped)."""
    from briefing.ingest.feed import NotAFeed, parse_feed

    name = os.path.relpath(path, root)
    started = time.perf_counter()
    try:
        data = Path(path).read_bytes()
        result = ("ok", parse_feed(data, name))
    except NotAFeed as exc:
        result = ("not_a_feed", str(exc))
    except Exception:  # noqa: BLE001 - this is what the sweep looks for
        result = ("error", traceback.format_exc(limit=6))
    return (name, *result, time.perf_counter() - started)


def _expected_rows(articles):
    """What the store must hold for one feed: for each key, the last article
    parsed with that key (a later one with the same key updates it in place)."""
    last = {}
    for article in articles:
        last[article.key] = article
    return last


class _Summary:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.write_sep("-", "corpus sweep")
        for line in self.lines:
            terminalreporter.write_line(line)


def test_every_corpus_file_goes_through_the_pipeline(tmp_path, record_property, request):
    root = corpora_dir()
    if not root.is_dir():
        pytest.skip(f"feed corpora not found at {root} (set BRIEFING_CORPORA to their folder)")
    files = corpus_files(root)
    if not files:
        pytest.skip(f"feed corpora folder {root} is empty")

    started = time.perf_counter()
    workers = max(1, min(4, os.cpu_count() or 1))
    kinds: Counter = Counter()
    escaped: list[str] = []
    dirty: list[str] = []
    mismatched: list[str] = []
    slowest: list[tuple[float, str]] = []
    parsed_by_feed: dict[str, list] = defaultdict(list)
    stored_articles = 0

    with Store(tmp_path / "sweep.db") as store, ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = pool.map(parse_one, [str(p) for p in files], [str(root)] * len(files), chunksize=16)
        for name, kind, payload, seconds in results:
            kinds[kind] += 1
            slowest.append((seconds, name))
            if kind == "error":
                escaped.append(f"{name}: {payload}")
                continue
            if kind == "not_a_feed":
                if CONTROL.search(payload):
                    dirty.append(f"{name}: NotAFeed message {payload!r}")
                continue
            for label, text in (("feed title", payload.title), ("warning", payload.warning or "")):
                if CONTROL.search(text):
                    dirty.append(f"{name}: {label} {text!r}")
            try:
                store.upsert_articles(payload.articles, name)
            except Exception:  # noqa: BLE001
                escaped.append(f"{name}: storing: {traceback.format_exc(limit=6)}")
                continue
            parsed_by_feed[name] = list(payload.articles)
            stored_articles += len(payload.articles)

        by_feed = defaultdict(list)
        for article in store.articles():
            by_feed[article.feed].append(article)
        raw_rows = store.db.execute("SELECT * FROM articles").fetchall()

    for row in raw_rows:
        for column in row.keys():
            value = row[column]
            if isinstance(value, str) and CONTROL.search(value):
                dirty.append(f"{row['feed']}: stored {column} {value!r}")

    fields = ("key", "title", "source", "link", "published", "text", "author", "feed")
    for name, parsed in parsed_by_feed.items():
        expected = _expected_rows(parsed)
        rows = {a.key: a for a in by_feed.get(name, [])}
        if not parsed:
            continue
        if not rows:
            mismatched.append(f"{name}: {len(parsed)} parsed, none stored")
            continue
        for key, article in rows.items():
            want = expected.get(key)
            if want is None:
                mismatched.append(f"{name}: stored key {key!r} was never parsed")
                continue
            for field in fields:
                if getattr(article, field) != getattr(want, field):
                    mismatched.append(
                        f"{name}: {key!r} {field}: stored {getattr(article, field)!r}, parsed {getattr(want, field)!r}"
                    )
        # Every article with its own key and its own link must be there.
        keys = Counter(a.key for a in parsed)
        links = Counter(a.link for a in parsed if a.link)
        for article in parsed:
            if keys[article.key] == 1 and (not article.link or links[article.link] == 1) and article.key not in rows:
                mismatched.append(f"{name}: {article.key!r} parsed but not stored")

    elapsed = time.perf_counter() - started
    slowest.sort(reverse=True)
    lines = [
        f"{len(files)} files in {elapsed:.1f} s ({workers} processes): {kinds['ok']} feeds, "
        f"{kinds['not_a_feed']} not feeds, {kinds['error']} exceptions; "
        f"{stored_articles} articles parsed, {len(raw_rows)} rows stored",
        "slowest: " + ", ".join(f"{name} {seconds:.2f} s" for seconds, name in slowest[:3]),
    ]
    record_property("corpus_sweep_seconds", round(elapsed, 2))
    record_property("corpus_sweep_files", len(files))
    request.config.pluginmanager.register(_Summary(lines), "briefing-corpus-sweep")

    assert not escaped, f"{len(escaped)} exceptions escaped:\n" + "\n".join(escaped[:10])
    assert not dirty, f"{len(dirty)} control characters got through:\n" + "\n".join(dirty[:20])
    assert not mismatched, f"{len(mismatched)} stored articles differ:\n" + "\n".join(mismatched[:20])
    assert kinds["ok"] > len(files) // 2, kinds  # most of the corpora are feeds
