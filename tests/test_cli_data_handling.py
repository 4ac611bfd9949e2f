"""Careful data handling at the command line, as subprocesses: each outlet's
copy of an imported text is kept; a command that only reads refuses a store
that is not there and makes nothing; feeds no longer in the config are named
so, with how to start clean; counts agree in words; global options are taken
after the command. Articles about a ferry strike, written for these tests."""

from __future__ import annotations

import json
import sqlite3

import pytest

from briefing.ingest.files import former_import_key, read_articles
from briefing.record import replace
from briefing.store.database import Store
from tests.helpers.cli import run, tree_snapshot, write

CONFIG = """\
[story]
id = "ferry-strike"
title = "The ferry strike"
keywords = ["ferry", "strike", "crews"]
"""

TEXT = """Ferry crews walk out at Østkai harbour

The strike at Østkai stopped the morning ferry on Tuesday, and the crews met on the quay to decide whether to
keep the boats tied up through the week.

The harbour board said talks with the crews would resume on Thursday, and that the freight route to the
islands would run on a reduced timetable until then.
"""


def test_the_same_text_from_two_outlets_is_two_copies(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    first = run("import", str(write(tmp_path / "a.txt", TEXT)), "--source", "Nordic Shipping News")
    second = run("import", str(write(tmp_path / "a-copy.txt", TEXT)), "--source", "Coastal Times")
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    assert second.stdout.startswith("imported 1 article from 1 file: 1 new, 0 updated")
    data = json.loads(run("export", "--format", "json").stdout)
    by_source = {a["source"]: a for a in data["articles"]}
    assert set(by_source) == {"Nordic Shipping News", "Coastal Times"}
    assert by_source["Coastal Times"]["also_in"] == ["Nordic Shipping News"]
    assert by_source["Nordic Shipping News"]["also_in"] == ["Coastal Times"]
    markdown = run("export").stdout
    assert "Coastal Times, undated (also in: Nordic Shipping News)" in markdown
    # The same outlet again is the same article.
    again = run("import", str(tmp_path / "a.txt"), "--source", "Nordic Shipping News")
    assert "0 new, 0 updated, 1 unchanged" in again.stdout


def test_the_same_link_from_two_outlets_is_two_copies(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    link = "https://wire.example/ferry-strike"
    for source in ("Nordic Shipping News", "Coastal Times"):
        done = run("import", str(write(tmp_path / "a.txt", TEXT)), "--source", source, "--link", link)
        assert "1 new" in done.stdout, done.stdout + done.stderr
    data = json.loads(run("export", "--format", "json").stdout)
    assert sorted(a["source"] for a in data["articles"]) == ["Coastal Times", "Nordic Shipping News"]


def test_an_article_imported_before_keys_named_the_outlet_is_found_again(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    path = write(tmp_path / "a.txt", TEXT)
    [article] = read_articles(path, source="Nordic Shipping News")
    with Store(tmp_path / "store.db") as store:
        store.upsert_articles([replace(article, key=former_import_key(article.key))])
    done = run("import", str(path), "--source", "Nordic Shipping News")
    assert "0 new" in done.stdout, done.stdout + done.stderr
    db = sqlite3.connect(tmp_path / "store.db")
    assert db.execute("SELECT key FROM articles").fetchall() == [(article.key,)]
    db.close()


READING_COMMANDS = [
    ("export",),
    ("export", "--format", "json"),
    ("feeds",),
    ("search", "ferry"),
    ("prune", "--older-than", "90d"),
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_command_that_only_reads_refuses_a_store_that_is_not_there(tmp_path, run, command):
    write(tmp_path / "feeds.toml", CONFIG)
    before = tree_snapshot(tmp_path)
    missing = tmp_path / "halvik.bd"
    done = run(*command, cache=missing)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0] and "no store there" in lines[0], lines
    assert done.stdout == ""
    assert tree_snapshot(tmp_path) == before and not missing.exists()
    # Nor a folder for it.
    nested = tmp_path / "no" / "such" / "store.db"
    assert run(*command, cache=nested).returncode == 2
    assert not (tmp_path / "no").exists()


def test_import_and_refresh_make_the_store(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    made = tmp_path / "new.db"
    assert run("import", str(write(tmp_path / "a.txt", TEXT)), cache=made).returncode == 0
    assert made.exists()
    other = tmp_path / "other.db"
    assert run("refresh", cache=other).returncode == 0
    assert other.exists()
    assert run("export", cache=made).returncode == 0


def test_feeds_no_longer_in_the_config_are_named_so_with_how_to_start_clean(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG + '\n[[feeds]]\nname = "Fjord Wire"\nurl = "https://fjord.example/rss"\n')
    with Store(tmp_path / "store.db") as store:
        store.record_feed("Old Story Feed", "https://old.example/rss", status="updated", ok=True)
    done = run("feeds")
    assert done.returncode == 0, done.stderr
    rows = {line.split("  ")[0]: line for line in done.stdout.splitlines()}
    assert "not in config" in rows["Old Story Feed"]
    assert "not in config" not in rows["Fjord Wire"]
    note = done.stdout.strip().splitlines()[-1]
    assert note.startswith("1 feed marked 'not in config' is not in ")
    assert "briefing --cache NEW_FILE" in note and f"delete {tmp_path / 'store.db'}" in note


def test_counts_agree_in_words(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    done = run("import", str(write(tmp_path / "a.txt", TEXT)), "--source", "Coastal Times")
    assert done.stdout.startswith("imported 1 article from 1 file:"), done.stdout
    markdown = run("export").stdout
    assert "from 1 relevant article in 1 outlet (1 in the cache)" in markdown
    assert "1 articles" not in markdown and "1 outlets" not in markdown


def test_global_options_are_taken_after_the_command(tmp_path, run):
    config = write(tmp_path / "story.toml", CONFIG)
    store = tmp_path / "after.db"
    assert (
        run("import", str(write(tmp_path / "a.txt", TEXT)), "--cache", str(store), "--config", str(config)).returncode
        == 0
    )
    # run() puts its own --config and --cache before the command; those after it win.
    done = run("export", "--format", "json", "--cache", str(store), f"--config={config}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["story"]["id"] == "ferry-strike"
    assert len(json.loads(done.stdout)["articles"]) == 1
    assert run("feeds", "--cache", str(store), "--config", str(config)).returncode == 0
    assert run("opml", "export", "--config", str(config)).returncode == 0
    assert run("search", "ferry", "--cache", str(store), "--config", str(config)).stdout.count("\n") == 1


def test_export_help_says_markdown_is_the_default(tmp_path, run):
    done = run("export", "--help")
    assert done.returncode == 0
    assert "Markdown (the default)" in " ".join(done.stdout.split())
