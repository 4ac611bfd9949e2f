"""The real CLI in a subprocess: import files into a scratch store, export the
briefing, and read the JSON contract back."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers.cli import MINIMAL_CONFIG, REPO, SEEDS, run_cli, write

ARTICLE_ONE = """Ankara hosts Damascus for defense talks

Syria's interim leader Ahmed al-Sharaa flew to Ankara on Tuesday to meet Recep Tayyip Erdoğan.

The two sides talked about Turkish training for the new Syrian army and air bases in the central desert.

"We will build this army together," al-Sharaa said after the meeting.
"""

ARTICLE_TWO_HTML = """<html><head><title>Kremlin keeps talking about Tartous</title></head>
<body><h1>Kremlin keeps talking about Tartous</h1>
<p>Russia wants to keep its naval base at Tartous and the air base near Latakia.</p>
<p>The Kremlin said talks with the new Syrian government would go on.</p>
<script>alert("x")</script></body></html>
"""


def iso(value):
    if value is None:
        return None
    assert datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    return value


def test_import_then_export_json_contract(tmp_path):
    store = tmp_path / "x.db"
    one = write(tmp_path / "one.txt", ARTICLE_ONE)
    two = write(tmp_path / "two.html", ARTICLE_TWO_HTML)
    result = run_cli(
        "--cache", str(store), "import", str(one), "--source", "Test Wire", "--published", "2025-02-04T09:00:00Z"
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "1 new" in result.stdout.decode()
    result = run_cli("--cache", str(store), "import", str(two), "--source", "Other Outlet")
    assert result.returncode == 0, result.stderr.decode()

    result = run_cli("--cache", str(store), "export", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["story"] == {"id": "turkiye-syria-pact", "title": data["story"]["title"]}
    iso(data["generated_at"])
    titles = {a["title"] for a in data["articles"]}
    assert titles == {"Ankara hosts Damascus for defense talks", "Kremlin keeps talking about Tartous"}
    for article in data["articles"]:
        assert set(article) >= {"id", "title", "source", "link", "published"}
        iso(article["published"])
    for line in data["summary"]:
        assert set(line) >= {"text", "article_id", "source", "published"}
        assert line["article_id"] in {a["id"] for a in data["articles"]}
    assert [q["id"] for q in data["questions"]][:3] == ["russian-bases", "sdf-stance", "israeli-buffer-zone"]
    bases = data["questions"][0]
    assert bases["evidence"], "the Tartous article is evidence on Russia's bases"
    assert any("Tartous" in e["text"] for e in bases["evidence"])
    for evidence in bases["evidence"]:
        assert set(evidence) >= {"text", "article_id", "source", "published"}
    for actor in data["actors"]:
        assert set(actor) >= {"name", "kind", "role", "mentions", "articles", "quotes"}
    # Ranked by prominence, not raw mentions; both are in the contract.
    prominence = [a["prominence"] for a in data["actors"]]
    assert prominence == sorted(prominence, reverse=True)
    assert all(isinstance(a["mentions"], int) and a["listed"] for a in data["actors"])
    assert all(not a["listed"] for a in data["others"])
    sharaa = next(a for a in data["actors"] if a["name"] == "Ahmed al-Sharaa")
    assert sharaa["mentions"] >= 2
    assert any("build this army" in q["text"] for q in sharaa["quotes"])
    assert not any("<script" in a["title"] or "alert" in json.dumps(data) for a in data["articles"])


def test_explicit_cache_starts_empty(tmp_path):
    # Made by an import (export only reads, and refuses a path with no store),
    # the store holds the imported article and nothing seeded.
    store = str(tmp_path / "empty.db")
    assert run_cli("--cache", store, "import", str(write(tmp_path / "one.txt", ARTICLE_ONE))).returncode == 0
    result = run_cli("--cache", store, "export", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert len(data["articles"]) == 1


def test_default_store_is_seeded_from_bundled_cache(isolated_home, tmp_path):
    # The default store is made (and seeded) by a command that brings articles.
    made = run_cli("import", str(write(tmp_path / "one.txt", ARTICLE_ONE)), env={"HOME": str(isolated_home)})
    assert made.returncode == 0, made.stderr.decode()
    result = run_cli("export", "--format", "json", env={"HOME": str(isolated_home)})
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert len(data["articles"]) == len(list((REPO / "cache").glob("*.json"))) + 1
    assert len(data["summary"]) >= 3
    assert all(line["source"] and line["published"] for line in data["summary"])


def test_markdown_export_to_file(tmp_path):
    store = tmp_path / "x.db"
    run_cli(
        "--cache",
        str(store),
        "import",
        str(write(tmp_path / "one.txt", ARTICLE_ONE)),
        "--source",
        "Test Wire",
        "--published",
        "2025-02-04",
    )
    out = tmp_path / "briefing.md"
    result = run_cli("--cache", str(store), "export", "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    text = out.read_text()
    assert text.startswith("# ")
    for heading in ("## Summary", "## Key actors", "## Open questions", "## Sources"):
        assert heading in text
    assert "Test Wire, 2025-02-04" in text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_import_the_seed_articles(tmp_path):
    store = tmp_path / "s.db"
    seeds = sorted(SEEDS.glob("*.txt"))
    result = run_cli("--cache", str(store), "import", str(seeds[0]), "--source", "ILKHA", "--published", "2025-02-03")
    assert result.returncode == 0, result.stderr.decode()
    result = run_cli(
        "--cache", str(store), "import", str(seeds[1]), "--source", "Unknown outlet", "--published", "2025-02-04"
    )
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(run_cli("--cache", str(store), "export", "--format", "json").stdout)
    assert len(data["articles"]) == 2
    everything = json.dumps(data)
    # Page chrome is not story: no legal notice, no embedded-tweet residue.
    assert "LEGAL WARNING" not in everything and "pic.twitter.com" not in everything


BAD_IMPORTS = [
    ("missing.txt", None, "no such file"),
    ("empty.txt", b"", "the file is empty"),
    ("blob.txt", b"\x00\x01\x02binary" * 100, "binary file"),
    ("bad.json", b"{not json", "not valid JSON"),
    ("page.xml", b"<html><body>hi</body></html>", "not a feed"),
]


def store_files(store: Path) -> dict[str, bytes]:
    """The store's bytes, with its journal files beside it if any are left."""
    return {p.name: p.read_bytes() for p in sorted(store.parent.glob(store.name + "*"))}


@pytest.mark.parametrize(("name", "content", "expected"), BAD_IMPORTS)
def test_bad_import_is_one_line_and_changes_nothing(tmp_path, name, content, expected):
    store = tmp_path / "x.db"
    good = write(tmp_path / "good.txt", ARTICLE_ONE)
    run_cli("--cache", str(store), "import", str(good))
    before = store_files(store)
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    # The good file comes first: it must not be imported either.
    other = write(tmp_path / "other.txt", "Another title\n\nAnother body about Syria.")
    result = run_cli("--cache", str(store), "import", str(other), str(bad))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and expected in lines[0]
    assert store_files(store) == before, "a refused import wrote to the store"
    data = json.loads(run_cli("--cache", str(store), "export", "--format", "json").stdout)
    assert [a["title"] for a in data["articles"]] == ["Ankara hosts Damascus for defense talks"]


def test_version_and_help():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("briefing ")
    result = run_cli("--help")
    assert result.returncode == 0 and "export" in result.stdout.decode()


def test_bad_store_file_is_reported_and_untouched(tmp_path):
    bad = write(tmp_path / "notes.db", "these are my notes\n")
    result = run_cli("--cache", str(bad), "export")
    assert result.returncode == 2
    assert "not a SQLite database" in result.stderr.decode()
    assert bad.read_text() == "these are my notes\n"


def test_config_from_environment(tmp_path):
    from briefing.store.database import Store

    config = write(tmp_path / "c.toml", MINIMAL_CONFIG)
    Store(tmp_path / "x.db").close()  # export only reads a store
    result = run_cli(
        "--cache", str(tmp_path / "x.db"), "export", "--format", "json", env={"BRIEFING_CONFIG": str(config)}
    )
    assert json.loads(result.stdout)["story"]["id"] == "test-story"


SAVED_PAGE = """<!doctype html><html><head><title>Harbour board delays the ferry tender | Coastal Times</title>
<meta property="og:title" content="Harbour board delays the ferry tender"></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a>
<a href="/subscribe">Subscribe today for full access</a></nav></header>
<div class="cookie-banner">We use cookies to improve your visit. Accept all cookies or manage your choices.</div>
<main><article><h1>Harbour board delays the ferry tender</h1>
<p>The harbour board of Halvik voted on Thursday to postpone the tender for a new island ferry until the spring,
after two of the three bidders asked for more time to price the electric drive the board wants.</p>
<p>The chair of the board, Ingrid Solum, said the delay would not affect the current timetable, and that the old
vessel had passed its inspection in October with only minor remarks from the maritime authority.</p>
<p>Island residents had hoped for a decision before winter. Their association said in a letter that every
month of waiting adds to the cost of repairs the old ferry will need before its replacement arrives.</p>
</article></main>
<aside><h2>Related stories</h2><ul><li><a href="/a">Fishing quotas cut again for the northern fleet</a></li>
<li><a href="/b">New bridge plan put out to public consultation</a></li></ul></aside>
<footer><p>Copyright Coastal Times. All rights reserved.</p><a href="/privacy">Privacy policy</a>
<a href="/terms">Terms of use</a> <a href="/contact">Contact the newsroom</a></footer></body></html>
"""


def test_importing_a_saved_page_keeps_its_article_not_its_menus(tmp_path):
    store = tmp_path / "x.db"
    page = write(tmp_path / "ferry.html", SAVED_PAGE)
    result = run_cli("--cache", str(store), "import", str(page), "--source", "Coastal Times")
    assert result.returncode == 0, result.stderr.decode()
    import sqlite3

    with sqlite3.connect(store) as db:
        ((title, text),) = db.execute("SELECT title, text FROM articles").fetchall()
    assert title == "Harbour board delays the ferry tender"
    assert text.startswith("The harbour board of Halvik voted on Thursday")
    assert "every\nmonth of waiting" not in text and "every month of waiting adds to the cost" in text
    for chrome in ("Subscribe today", "cookies", "Related stories", "Fishing quotas", "Copyright", "Privacy policy"):
        assert chrome not in text, chrome
