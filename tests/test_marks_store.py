"""The user's pins and notes in the store: kept through a refresh that
changes their article, prune, the migration from a v3 store, SIGKILL at any
moment and two writers at once. Real SQLite files, the real CLI as a
subprocess where the CLI is what is tested, a loopback feed server."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.model import Marks, ParsedArticle, Pin
from briefing.store.database import MIGRATIONS, SCHEMA_VERSION, Store
from tests.helpers.cli import REPO
from tests.helpers.feedserver import item, rss, write_config
from tests.helpers.hostile import cli_env, start_refresh

OLD = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)


def parsed(n: int, text: str = "", title: str = "", published: datetime | None = OLD) -> ParsedArticle:
    return ParsedArticle(
        key=f"lake-{n}",
        title=title or f"Reservoir levels fall, report {n}",
        source="Valley Courier",
        link=f"https://valley.example/{n}",
        published=published,
        text=text or f"The upper reservoir stood at {40 + n} percent on Friday, the water board said.",
        feed="Valley",
    )


def lines(marks: Marks) -> set[tuple[str, int, str, str]]:
    return {(p.kind, p.article_id, p.text, p.context) for p in marks.pins}


def test_pins_and_notes_round_trip(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([parsed(1), parsed(2)])
        one, two = sorted(store.article_ids())
        summary = Pin("summary", one, "The upper reservoir stood at 41 percent.", "Valley Courier")
        evidence = Pin("evidence", one, "The board blamed the dry spring.", "Valley Courier", "Will rationing start?")
        assert store.toggle_pin(summary) == "pinned"
        assert store.toggle_pin(evidence) == "pinned"
        # The same sentence under another question is another pin; pinning a pin again changes nothing.
        store.pin(Pin("evidence", one, evidence.text, "Valley Courier", "Who pays for the new pipes?"))
        store.pin(summary)
        assert len(store.marks().pins) == 3
        store.set_note(evidence, "Check this against the board's minutes")
        store.set_note(Pin("article", two, "Reservoir levels fall, report 2", "Valley Courier"), "Good background")
        marks = store.marks()
        [noted] = [p for p in marks.pins if p.note]
        assert (noted.kind, noted.context) == ("evidence", "Will rationing start?")
        assert noted.note == "Check this against the board's minutes"
        assert marks.article_note(two) == "Good background"
        assert marks.find(evidence) == noted and marks.note_on(evidence) == noted.note
        # A pin with a note is not unpinned by a key press; once the note is cleared, it is.
        assert store.toggle_pin(evidence) == "kept"
        store.set_note(evidence, "   ")
        assert store.marks().note_on(evidence) is None
        assert store.toggle_pin(evidence) == "unpinned"
        assert store.toggle_pin(summary) == "unpinned"
        assert len(store.marks().pins) == 1
        # An article is pinned once, whatever its title is called when pressed again.
        assert store.toggle_pin(Pin("article", one, "Old title", "Valley Courier")) == "pinned"
        assert store.toggle_pin(Pin("article", one, "New title", "Valley Courier")) == "unpinned"
        # A note on a line that is not pinned pins it.
        quote = Pin("quote", two, "We will not let the taps run dry.", "Valley Courier", "Mara Lind")
        store.set_note(quote, "Her first public promise")
        assert store.marks().find(quote).note == "Her first public promise"
        # Unpinned outright (not by the key), a pin takes its note with it.
        store.unpin(store.marks().find(quote).id)
        assert store.marks().find(quote) is None
        assert store.db.execute("SELECT count(*) FROM notes WHERE pin_id IS NOT NULL").fetchone()[0] == 0
        with pytest.raises(ValueError):
            store.pin(Pin("headline", one, "x", "y"))


def test_hostile_text_in_a_pin_or_a_note_is_stored_clean(tmp_path):
    with Store(tmp_path / "s.db") as store:
        line = Pin("summary", 1, "Levels \x1b[31mfall\x07\nagain", "Valley\u202eCourier")
        store.set_note(line, "see \x1b]52;c;aGk=\x07 this" + "x" * 10_000)
        [pin] = store.marks().pins
        assert pin.text == "Levels fall again" and "\u202e" not in pin.source
        assert "\x1b" not in pin.note and len(pin.note) == 4000


# -- a refresh that changes the article ----------------------------------------------


def serve(feed_server, version: int) -> None:
    body = rss(
        item(
            "res-1",
            "Reservoir at record low" if version == 1 else "Reservoir at record low, board orders cuts",
            "https://valley.example/res-1",
            "The upper reservoir stood at 31 percent on Friday."
            if version == 1
            else "The water board ordered cuts after the reservoir fell to 29 percent.",
        ),
        title="Valley",
    )
    feed_server.route("/valley.xml", body=body)


def refresh(config: Path, store: Path, tmp_path: Path) -> None:
    process = start_refresh(config, store, tmp_path)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()


def test_a_refreshed_article_that_changed_keeps_its_pins_and_notes(feed_server, tmp_path):
    config = write_config(tmp_path / "feeds.toml", [("Valley", feed_server.url("/valley.xml"))], {"timeout": 5})
    path = tmp_path / "store.db"
    serve(feed_server, 1)
    refresh(config, path, tmp_path)
    with Store(path) as store:
        [article] = store.articles()
        line = Pin("summary", article.id, "The upper reservoir stood at 31 percent on Friday.", article.source)
        store.set_note(line, "Lowest since 1976?")
        store.pin(Pin("article", article.id, article.title, article.source))
        store.set_note(Pin("article", article.id, article.title, article.source), "Follow this one")
        before = store.marks()
    serve(feed_server, 2)
    refresh(config, path, tmp_path)
    with Store(path) as store:
        [changed] = store.articles()
        assert changed.id == article.id and "29 percent" in changed.text
        after = store.marks()
    # Every pin as it was shown, with its note; the article's title is today's.
    assert lines(after) == lines(before)
    assert after.note_on(line) == "Lowest since 1976?"
    assert after.article_note(article.id) == "Follow this one"
    assert {p.title for p in after.pins} == {"Reservoir at record low, board orders cuts"}


# -- prune --------------------------------------------------------------------------------


def test_prune_never_removes_a_pinned_or_noted_article(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([parsed(n) for n in range(8)])
        ids = sorted(store.article_ids())
        store.pin(Pin("evidence", ids[0], "A line", "Valley Courier", "Q"))
        store.pin(Pin("article", ids[1], "Title", "Valley Courier"))
        store.set_note(Pin("article", ids[2], "Title", "Valley Courier"), "noted, not pinned")
        store.set_note(Pin("timeline", ids[3], "An event", "Valley Courier", "2021-03"), "a pin's note")
        removed = store.prune(datetime(2024, 1, 1, tzinfo=UTC), keep={ids[7]})
        assert removed == 3
        assert sorted(store.article_ids()) == [ids[0], ids[1], ids[2], ids[3], ids[7]]
        assert len(store.marks().pins) == 3 and len(store.marks().notes) == 1


def test_cli_prune_keeps_pinned_and_noted_articles(tmp_path):
    config = write_config(tmp_path / "feeds.toml", [])
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles([parsed(n) for n in range(6)])
        ids = sorted(store.article_ids())
        store.pin(Pin("quote", ids[0], "We will not let the taps run dry.", "Valley Courier", "Mara Lind"))
        store.set_note(Pin("article", ids[1], "t", "Valley Courier"), "keep")
        marks = store.marks()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "--config",
            str(config),
            "--cache",
            str(path),
            "prune",
            "--older-than",
            "30d",
        ],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "pinned or noted" in done.stdout
    with Store(path) as store:
        assert set(store.article_ids()) >= {ids[0], ids[1]}
        assert len(store.article_ids()) < 6
        assert store.marks() == marks


# -- the migration from a v3 store ------------------------------------------------------------


def v3_store(path: Path) -> None:
    """A store made with the shipped migrations up to v3, with rows in every table."""
    db = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:3], 1):
        db.executescript(script + f"\nPRAGMA user_version = {version};")
    for n in range(3):
        db.execute(
            "INSERT INTO articles (key, feed, source, title, link, published, first_seen, updated_at, text,"
            " content_hash, read, summary, text_source, page_status) VALUES"
            " (?, 'Valley', 'Valley Courier', ?, ?, '2021-03-01T09:00:00Z', '2021-03-01T09:00:00Z',"
            " '2021-03-01T09:00:00Z', ?, 'h', ?, 'feed text', 'page', 'ok')",
            (f"k{n}", f"Title {n}", f"https://valley.example/{n}", f"Reservoir body {n}", n % 2),
        )
    db.execute("INSERT INTO feeds (name, url, etag, consecutive_failures) VALUES ('Valley', 'https://v/x', 'e1', 2)")
    db.execute("INSERT INTO meta (key, value) VALUES ('last_viewed:s', '2021-03-02T00:00:00Z')")
    db.execute("INSERT INTO snapshots VALUES ('s', 3, 'fp', x'00')")
    db.commit()
    db.close()


def rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("articles", "feeds", "meta", "snapshots")
        }


def test_a_v3_store_migrates_keeping_everything_and_takes_pins(tmp_path):
    path = tmp_path / "v3.db"
    v3_store(path)
    before = rows(path)
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert store.marks() == Marks()
        store.pin(Pin("article", 1, "Title 0", "Valley Courier"))
        store.set_note(Pin("summary", 2, "Reservoir body 1", "Valley Courier"), "a note")
        assert [h.title for h in store.search("reservoir")]
    assert rows(path) == before
    with Store(path) as store:  # opened again: nothing migrates twice
        assert len(store.marks().pins) == 2
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- SIGKILL while pinning ----------------------------------------------------------------------

# Pins lines in a loop, one transaction each (with a note on every third),
# and prints each number once it is committed.
_PINNER = """
import os, sys, time
from briefing.model import Pin
from briefing.store.database import Store
path, start, who, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[5]
with Store(path) as store:
    print("ready", flush=True)
    while go and not os.path.exists(go):
        time.sleep(0.001)
    n = start
    while True:
        line = Pin("evidence", n % 5 + 1, f"{who} line {n}", "Valley Courier", "Will rationing start?")
        store.pin(line)
        if n % 3 == 0:
            store.set_note(line, f"{who} note {n}")
        print(n, flush=True)
        n += 1
        if n >= start + int(sys.argv[4]):
            break
"""


def start_pinner(path: Path, start: int, who: str, count: int = 10**9, go: Path | None = None) -> subprocess.Popen:
    """The pinner, under way at once, or once the file `go` exists."""
    return subprocess.Popen(
        [sys.executable, "-c", _PINNER, str(path), str(start), who, str(count), str(go or "")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=cli_env(),
        cwd=REPO,
    )


def committed(path: Path) -> tuple[set[str], dict[str, str]]:
    """(every pinned line's text, {line: note}), read with sqlite3 alone
    after checking the file's integrity."""
    with sqlite3.connect(path, timeout=30) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        texts = [row[0] for row in db.execute("SELECT text FROM pins")]
        notes = dict(db.execute("SELECT p.text, n.text FROM notes n JOIN pins p ON p.id = n.pin_id").fetchall())
    db.close()
    assert len(texts) == len(set(texts)), "a line pinned twice"
    return set(texts), notes


@pytest.mark.slow
def test_sigkill_while_pinning_loses_no_committed_pin(tmp_path):
    rng = random.Random(20250601)
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles([parsed(n) for n in range(5)])
    printed: set[int] = set()
    start, kills, landed = 0, 0, 0
    while kills < 12:
        process = start_pinner(path, start, "solo")
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(process.pid, signal.SIGKILL)
        # Read through the same buffer readline used (communicate() would skip what it holds).
        out = process.stdout.read()
        process.wait(timeout=30)
        kills += 1
        numbers = [int(n) for n in out.split()]
        printed.update(numbers)
        texts, notes = committed(path)
        missing = {n for n in printed if f"solo line {n}" not in texts}
        assert not missing, f"kill {kills}: committed pins gone: {sorted(missing)[:5]}"
        for n in printed:
            if n % 3 == 0:
                assert notes[f"solo line {n}"] == f"solo note {n}"
        # A kill can land between a pin's commit and its print: one more pin, never a half one.
        assert len(texts) - len(printed) <= 1
        landed += bool(numbers)
        # The next run starts at the first number not printed, so it re-pins that one, if committed.
        start = max(printed, default=-1) + 1
    assert landed >= 6, "kills landed before any pin was written"
    # And the store takes the next writer as usual.
    process = start_pinner(path, start, "solo", count=5)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert {f"solo line {n}" for n in range(start, start + 5)} <= committed(path)[0]


# -- two writers at once ------------------------------------------------------------------------


@pytest.mark.slow
def test_two_processes_pinning_at_once_lose_nothing(feed_server, tmp_path):
    """Two pinning processes and a `briefing refresh` writing articles, all at
    once on one store: every pin and note of both is there, once."""
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles([parsed(n) for n in range(5)])
    feeds = []
    for index in range(10):
        body = rss(
            *(
                item(f"g{index}-{n}", f"Pipes {index}/{n}", f"https://valley.example/p/{index}/{n}", "Pipes.")
                for n in range(20)
            )
        )
        feed_server.route(f"/f{index}.xml", body=body)
        feeds.append((f"Feed {index}", feed_server.url(f"/f{index}.xml")))
    config = write_config(tmp_path / "feeds.toml", feeds, {"timeout": 10})
    count = 150
    go = tmp_path / "go"
    writers = [start_pinner(path, 0, "north", count, go), start_pinner(path, 0, "south", count, go)]
    cron = start_refresh(config, path, tmp_path)
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    go.touch()
    results = [w.communicate(timeout=120) for w in writers]
    cron_out, cron_err = cron.communicate(timeout=120)
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err.lower() and err == ""
        assert out.split() == [str(n) for n in range(count)]
    assert cron.returncode == 0, cron_err
    assert b"locked" not in cron_out.lower()
    texts, notes = committed(path)
    for who in ("north", "south"):
        assert {f"{who} line {n}" for n in range(count)} <= texts
        assert all(notes[f"{who} line {n}"] == f"{who} note {n}" for n in range(0, count, 3))
    assert len(texts) == 2 * count
    with Store(path) as store:
        assert store.count_articles() == 5 + 10 * 20
        order = [pin.text.split()[0] for pin in store.marks().pins]
    # The two wrote at the same time: their pins alternate in the table, not
    # one block after the other (one switch). How often they alternate is
    # the scheduler's: on a loaded machine ten switches came out as ten.
    switches = sum(a != b for a, b in zip(order, order[1:], strict=False))
    assert switches >= 3, switches
