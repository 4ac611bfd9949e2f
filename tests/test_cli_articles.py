"""`briefing articles`: the real CLI in a subprocess over a real store holding
articles whose text came from a feed, from the article's page, and from a
file; as lines to read and as JSON Lines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.store.values import to_iso
from tests.helpers.cli import REPO, run, write  # noqa: F401 - run is a fixture

STORY = """\
[story]
id = "harbour-bridge"
title = "The Kestrel harbour bridge closure"
keywords = ["Kestrel bridge", "harbour bridge", "ferry"]

[[story.actors]]
name = "Mara Lindqvist"
kind = "person"

[[story.questions]]
id = "reopen"
title = "When will the bridge reopen?"
terms = ["reopen", "repairs", "inspection"]
"""

BRIDGE_TEASER = "The Kestrel bridge stays shut while engineers look at a cracked pier."
BRIDGE_PAGE = (
    "The Kestrel bridge stays shut while engineers look at a cracked pier.\n\n"
    "Mara Lindqvist, who runs the harbour authority, said the inspection would take two weeks "
    "and that repairs could start once divers had checked the footings. Extra ferry crossings "
    "run every twenty minutes until the harbour bridge can reopen."
)
FERRY_TEXT = (
    "Ferry crews added late sailings after the Kestrel bridge closed. Mara Lindqvist said the "
    "harbour bridge inspection is on schedule and repairs will follow."
)
BAKERY_TEXT = "A bakery on the high street won a prize for its rye loaf. The judges \x1b[1mliked\x1b[0m the crust.\x9b"
HOSTILE_TITLE = "Harbour\x1b[2J news \x1b]0;owned\x07 today\x9b31m"


def _when(day: int, hour: int = 9) -> datetime:
    return datetime(2031, 5, day, hour, 0, tzinfo=UTC)


def make_store(tmp_path: Path) -> Path:
    """Four articles: a feed teaser whose page was fetched, a feed article whose
    page failed, an unrelated feed article with a hostile title, an imported file."""
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    "k-bridge",
                    "Kestrel bridge shut for inspection",
                    "Coast Courier",
                    "https://courier.example/bridge",
                    _when(3),
                    BRIDGE_TEASER,
                ),
                ParsedArticle(
                    "k-ferry",
                    "Ferries fill the gap at the harbour bridge",
                    "Coast Courier",
                    "https://courier.example/ferry",
                    _when(4),
                    FERRY_TEXT,
                ),
                ParsedArticle(
                    "k-bakery",
                    HOSTILE_TITLE,
                    "Town \x1b[31mCrier",
                    "https://crier.example/bakery",
                    _when(2),
                    BAKERY_TEXT,
                ),
            ],
            feed="Coast Courier",
        )
        store.upsert_articles(
            [ParsedArticle("k-file", "Notes on the bridge closure", "My notes", None, _when(1), FERRY_TEXT)]
        )
        # What the page stage records: the page's text in place of the feed's
        # (kept as the summary), or why the page gave none.
        store.db.execute(
            "UPDATE articles SET text = ?, summary = ?, text_source = 'page', page_status = 'ok',"
            " page_fetched = ? WHERE key = 'k-bridge'",
            (BRIDGE_PAGE, BRIDGE_TEASER, to_iso(_when(3, 10))),
        )
        store.db.execute(
            "UPDATE articles SET page_status = 'failed', page_error = ?, page_fetched = ? WHERE key = 'k-ferry'",
            ("the page answered HTTP 403 (forbidden)", to_iso(_when(4, 10))),
        )
    return path


def jsonl(text: str) -> list[dict]:
    """Each line on its own, as jq reads JSON Lines."""
    lines = text.splitlines()
    assert lines and all(lines), "no empty lines"
    return [json.loads(line) for line in lines]


def test_jsonl_is_one_object_per_article_newest_first_with_text_source_and_page_status(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    make_store(tmp_path)
    done = run("articles", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = jsonl(done.stdout)
    assert [r["published"] for r in rows] == [to_iso(_when(d)) for d in (4, 3, 2, 1)]
    for row in rows:
        assert set(row) >= {
            "id",
            "title",
            "source",
            "link",
            "published",
            "relevant",
            "text",
            "text_source",
            "summary",
            "page_status",
            "page_error",
            "page_fetched",
        }
    ferry, bridge, bakery, notes = rows
    assert (bridge["text_source"], bridge["text"], bridge["summary"]) == ("page", BRIDGE_PAGE, BRIDGE_TEASER)
    assert (bridge["page_status"], bridge["page_error"], bridge["page_fetched"]) == ("ok", None, to_iso(_when(3, 10)))
    assert (ferry["text_source"], ferry["text"], ferry["summary"]) == ("feed", FERRY_TEXT, None)
    assert ferry["page_status"] == "failed"
    assert ferry["page_error"] == "the page answered HTTP 403 (forbidden)"
    assert (notes["text_source"], notes["link"], notes["page_status"], notes["page_fetched"]) == (
        "file",
        None,
        None,
        None,
    )
    assert bakery["link"] == "https://crier.example/bakery"
    # Cleaned on the way out: no escape sequence survives, even escaped as JSON.
    assert "\x1b" not in bakery["title"] and "\x9b" not in bakery["title"] and "\x07" not in bakery["title"]
    assert "\x1b" not in bakery["source"]
    assert bakery["text"] == "A bakery on the high street won a prize for its rye loaf. The judges liked the crust."
    assert "\\u001b" not in done.stdout and "\x1b" not in done.stdout
    assert (bridge["relevant"], ferry["relevant"], bakery["relevant"]) == (True, True, False)


def test_relevance_is_the_one_the_briefing_export_reports(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    make_store(tmp_path)
    listed = jsonl(run("articles", "--format", "jsonl").stdout)
    exported = json.loads(run("export", "--format", "json").stdout)["articles"]
    by_id = {a["id"]: (a["relevant"], a["relevance"]) for a in exported}
    assert {r["id"]: (r["relevant"], r["relevance"]) for r in listed} == by_id
    assert {True, False} <= {relevant for relevant, _ in by_id.values()}


def test_text_is_one_clean_line_per_article_newest_first(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    make_store(tmp_path)
    done = run("articles")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    ferry, bridge, bakery, notes = lines
    local = _when(4).astimezone().strftime("%Y-%m-%d %H:%M")
    assert ferry.startswith(f"{local}  relevant ")
    assert "Coast Courier · Ferries fill the gap at the harbour bridge" in ferry
    assert ferry.endswith("https://courier.example/ferry")
    assert "Kestrel bridge shut for inspection" in bridge
    assert "  not relevant  " in bakery
    assert "Town Crier · Harbour news today" in bakery
    assert notes.endswith("My notes · Notes on the bridge closure  (no link)")
    # Nothing a terminal would obey: no escape, no control character but the newlines.
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in done.stdout.replace("\n", ""))


def test_output_file_is_written_whole_and_matches_stdout(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    make_store(tmp_path)
    out = tmp_path / "articles.jsonl"
    out.write_text("the old file\n")
    done = run("articles", "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8") == run("articles", "--format", "jsonl").stdout
    assert len(jsonl(out.read_text(encoding="utf-8"))) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".articles")] == []  # no temporary left


def test_output_into_a_missing_folder_or_onto_a_folder_is_a_one_line_error(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    make_store(tmp_path)
    missing = tmp_path / "nowhere" / "list.txt"
    done = run("articles", "-o", str(missing))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"briefing: error: {missing}: folder {missing.parent} does not exist"]
    assert not missing.parent.exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    done = run("articles", "-o", str(folder))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"briefing: error: {folder}: is a directory"]
    assert list(folder.iterdir()) == []


def test_a_bad_format_is_a_one_line_error_and_nothing_is_written(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    out = tmp_path / "list.out"
    done = run("articles", "--format", "csv", "-o", str(out))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["briefing: error: --format 'csv': expected one of text, jsonl"]
    assert not out.exists()
    assert not (tmp_path / "store.db").exists()  # the store is not even opened


def test_an_empty_store_lists_nothing_and_a_missing_one_is_refused(tmp_path, run):
    write(tmp_path / "feeds.toml", STORY)
    missing = run("articles")
    assert missing.returncode == 2 and "no store there" in missing.stderr  # `articles` only reads
    assert not (tmp_path / "store.db").exists()
    Store(tmp_path / "store.db").close()
    for form in ("text", "jsonl"):
        done = run("articles", "--format", form)
        assert (done.returncode, done.stdout) == (0, ""), done.stderr


# -- bounded memory --------------------------------------------------------------

# Each article's text is long and made of few, long words: much to hold,
# little for the store's full-text index to do while the test builds it.
_BIG_TEXT_CHARS = 40_000


def _big_store(path: Path, count: int) -> None:
    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
    from briefing.config import load_config

    story = load_config(path.parent / "feeds.toml").story
    word = "kestrel" * 140
    text = " ".join(f"{word}{i % 10}" for i in range(_BIG_TEXT_CHARS // len(word)))
    with Store(path) as store:
        for start in range(0, count, 500):
            store.upsert_articles(
                [
                    ParsedArticle(f"big-{i}", f"Article {i}", "Bulk Wire", None, _when(1 + i % 28), f"{i} {text}")
                    for i in range(start, min(count, start + 500))
                ],
                feed="Bulk Wire",
            )
        # Their analyses are stored already: this measures the listing, not the analysis.
        fingerprint = story_fingerprint(story)
        store.put_analyses(
            ANALYSIS_VERSION,
            fingerprint,
            {aid: {"v": ANALYSIS_VERSION, "fp": fingerprint, "rel": 0.1} for aid in store.article_ids()},
        )


def _peak_rss_kib(tmp_path: Path, store: Path, out: Path) -> int:
    """The listing run as `briefing articles` runs it, in a fresh process that
    then reports its own peak resident size."""
    code = (
        "import resource, sys\n"
        "from briefing.cli.main import main\n"
        f"code = main(['--config', {str(tmp_path / 'feeds.toml')!r}, '--cache', {str(store)!r},"
        f" 'articles', '--format', 'jsonl', '-o', {str(out)!r}])\n"
        "print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    status, peak = done.stdout.split()
    assert status == "0"
    return int(peak)


def test_a_large_store_is_listed_in_bounded_memory(tmp_path):
    write(tmp_path / "feeds.toml", STORY)
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    _big_store(small, 50)
    _big_store(large, 2_500)  # 100 MB of text
    small_peak = _peak_rss_kib(tmp_path, small, tmp_path / "small.jsonl")
    large_peak = _peak_rss_kib(tmp_path, large, tmp_path / "large.jsonl")
    written = (tmp_path / "large.jsonl").stat().st_size
    assert written > 95_000_000
    with (tmp_path / "large.jsonl").open(encoding="utf-8") as listing:
        assert sum(1 for _ in listing) == 2_500
    # Holding the list, or the texts, would add 100 MB; a batch at a time adds a few.
    assert large_peak - small_peak < 40 * 1024, (small_peak, large_peak)


def test_the_command_module_loads_no_fetching_parsing_analysis_or_drawing(tmp_path):
    """The analysis loads when the list is made, as for `export`."""
    from tests.test_architecture import imported_in_a_fresh_interpreter
    from tests.test_startup_imports import FETCHING, PARSING

    watch = FETCHING + PARSING + ("briefing.analysis", "briefing.processes.spawn", "rich", "textual")
    assert imported_in_a_fresh_interpreter(tmp_path, ["briefing.cli.article_list"], watch) == {}
