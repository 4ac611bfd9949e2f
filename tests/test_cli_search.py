"""`briefing search QUERY` as a subprocess: a line or a JSON object per
match, newest first; the search syntax; bad syntax one line and exit 2; a
store that is not there refused; the search never writes. Articles about a
ferry strike on a fjord, written for these tests."""

from __future__ import annotations

import json
import sqlite3

from tests.helpers.cli import run, tree_snapshot, write

CONFIG = """\
[story]
id = "ferry-strike"
title = "The ferry strike"
keywords = ["ferry", "strike", "crews"]
"""

ARTICLES = {
    "east.txt": (
        "Nordic Shipping News",
        "2025-03-01",
        "https://nordic.example/east",
        "Ferry crews walk out at Østkai\n\nThe strike at Østkai stopped the morning ferry. The crews met on the "
        "quay and said the ferry strike would go on until the harbour board answered.",
    ),
    "board.txt": (
        "Coastal Times",
        "2025-03-03",
        "https://coastal.example/board",
        "Harbour board answers the crews\n\nThe harbour board said the ferry strike could end by Friday if the "
        "crews accept the new rota. Negotiations resume on Thursday.",
    ),
    "weather.txt": (
        "Fjord Post",
        "2025-03-02",
        "https://fjord.example/weather",
        "Storm warning for the outer islands\n\nGales are expected on the outer islands on Tuesday; the "
        "weather service advised boats to stay in harbour.",
    ),
}


def setup_store(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    for name, (source, published, link, text) in ARTICLES.items():
        done = run(
            "import", str(write(tmp_path / name, text)), "--source", source, "--published", published, "--link", link
        )
        assert done.returncode == 0, done.stderr


def test_one_line_a_match_newest_first(tmp_path, run):
    setup_store(tmp_path, run)
    done = run("search", "harbour")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "2025-03-03  Coastal Times  Harbour board answers the crews  https://coastal.example/board",
        "2025-03-02  Fjord Post  Storm warning for the outer islands  https://fjord.example/weather",
        "2025-03-01  Nordic Shipping News  Ferry crews walk out at Østkai  https://nordic.example/east",
    ]
    assert run("search", "harbour", "--limit", "1").stdout.splitlines() == [
        "2025-03-03  Coastal Times  Harbour board answers the crews  https://coastal.example/board"
    ]


def test_jsonl_one_object_a_match_with_its_relevance(tmp_path, run):
    setup_store(tmp_path, run)
    done = run("search", "--format", "jsonl", "harbour")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [set(r) for r in records] == [{"id", "title", "source", "link", "published", "relevant"}] * 3
    by_title = {r["title"]: r for r in records}
    assert by_title["Harbour board answers the crews"]["published"] == "2025-03-03T00:00:00Z"
    assert by_title["Harbour board answers the crews"]["link"] == "https://coastal.example/board"
    assert by_title["Harbour board answers the crews"]["relevant"] is True
    assert by_title["Storm warning for the outer islands"]["relevant"] is False
    assert all(isinstance(r["id"], int) for r in records)


def titles(run, *query: str) -> list[str]:
    done = run("search", *query)
    assert done.returncode == 0, done.stderr
    return [line.split("  ")[2] for line in done.stdout.splitlines()]


def test_the_search_syntax_from_the_command_line(tmp_path, run):
    setup_store(tmp_path, run)
    assert titles(run, "Ostkai") == ["Ferry crews walk out at Østkai"]
    assert titles(run, '"ferry strike" -Friday') == ["Ferry crews walk out at Østkai"]
    assert titles(run, "Friday OR Gales") == ["Harbour board answers the crews", "Storm warning for the outer islands"]
    assert titles(run, "negotiat*") == ["Harbour board answers the crews"]
    # Several arguments are one query, joined by spaces.
    assert titles(run, "ferry", "OR", "gales", "-Østkai") == [
        "Harbour board answers the crews",
        "Storm warning for the outer islands",
    ]
    none = run("search", "tugboat")
    assert none.returncode == 0 and none.stdout == "" and "no articles match" in none.stderr


def test_bad_syntax_is_one_line_and_exit_2(tmp_path, run):
    setup_store(tmp_path, run)
    before = tree_snapshot(tmp_path)
    for query, said in [
        ('"ferry strike', "quote is not closed"),
        ("OR", "OR needs"),
        ("-ferry", "only words to leave out"),
    ]:
        done = run("search", query)
        assert done.returncode == 2, (query, done.stdout, done.stderr)
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("briefing: error: search") and said in lines[0], lines
    assert tree_snapshot(tmp_path) == before


def test_a_store_that_is_not_there_is_refused_and_not_made(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    missing = tmp_path / "halvik.bd"
    done = run("search", "ferry", cache=missing)
    assert done.returncode == 2
    assert str(missing) in done.stderr and "no store there" in done.stderr
    assert not missing.exists() and not list(tmp_path.glob("halvik*"))


def test_search_only_reads_the_store(tmp_path, run):
    setup_store(tmp_path, run)
    # Another story: no stored analysis fits it, so relevance is worked out
    # for the matches and not stored.
    other = write(tmp_path / "other.toml", CONFIG.replace('"crews"]', '"crews", "rota"]'))
    db = sqlite3.connect(tmp_path / "store.db")
    analyses = db.execute("SELECT count(*) FROM analyses").fetchone()[0]
    db.close()
    done = run("search", "--format", "jsonl", "rota", config=other)
    assert [json.loads(line)["relevant"] for line in done.stdout.splitlines()] == [True]
    db = sqlite3.connect(tmp_path / "store.db")
    assert db.execute("SELECT count(*) FROM analyses").fetchone()[0] == analyses
    db.close()


def test_feed_text_is_printed_clean(tmp_path, run):
    write(tmp_path / "feeds.toml", CONFIG)
    hostile = write(tmp_path / "h.txt", "Ferry \x1b[31mred\x1b]8;;https://evil.example\x07 title\n\nA ferry text.")
    assert run("import", str(hostile), "--source", "Bad\x1b[2J Outlet").returncode == 0
    done = run("search", "ferry")
    assert "\x1b" not in done.stdout and "Ferry" in done.stdout
    done = run("search", "--format", "jsonl", "ferry")
    assert "\\u001b" not in done.stdout and "\x1b" not in done.stdout
