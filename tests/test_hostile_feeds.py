"""Feeds written by an attacker, served from a real loopback server and taken
in by the real CLI (a subprocess) and the real dashboard (Pilot).

What must hold (issue 5, points 1-4):

- nothing from a feed reaches the terminal as a control sequence: not in
  `briefing refresh` or `briefing feeds` output, not in either export, not on
  the dashboard's screen;
- nothing from a feed is markup, in any widget, and none of it raises;
- only http(s) links are ever opened, after being shown, never through a
  shell; link targets inside article HTML are dropped, their words kept;
- hostile XML and HTTP (entity bombs, external entities, DTDs, deep nesting,
  50 MB bodies, a gzip bomb, a server that dribbles) each end within time and
  memory bounds as one feed's outcome, with every other feed refreshed.

The wall time and peak RSS of each hostile refresh are printed in pytest's
terminal summary ("hostile feeds: bounds").
"""

from __future__ import annotations

import json
import sqlite3
import webbrowser
from datetime import UTC
from pathlib import Path

import pytest

from tests.helpers.dashboard import recording_app
from tests.helpers.feedserver import Reply
from tests.helpers.hostile import (
    CONTROL_LEFTOVERS,
    CONTROL_WORDS,
    LINK_TARGETS,
    LINK_WORDS,
    MARKUP_PAYLOADS,
    Dribbler,
    big_feed,
    billion_laughs,
    controls_in,
    deep_nesting,
    external_dtd,
    external_entity,
    good_rss,
    gzip_bomb,
    hostile_rss,
    outcome_lines,
    quadratic_blowup,
    run_measured,
    write_story_config,
)
from tests.helpers.waiting import briefing_shown, until

pytestmark = pytest.mark.slow  # every test here takes a second or more

TIMEOUT = 2  # [settings] timeout: the total time one fetch may take
SETTINGS = {"timeout": TIMEOUT, "connect_timeout": 1}
# Markup that must show literally wherever feed text is drawn.
MARKUP_TOKENS = (
    "[bold]Boldword[/]",
    "[link=file:///etc/passwd]Pwword[/link]",
    "[@click=app.quit]Quitword[/]",
    ":smile:",
    "back\\slash",
)

BOUNDS: list[str] = []


class _BoundsReport:
    def pytest_terminal_summary(self, terminalreporter) -> None:
        if BOUNDS:
            terminalreporter.write_sep("-", "hostile feeds: bounds (wall time, peak RSS of the CLI)")
            for line in BOUNDS:
                terminalreporter.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _report_bounds(request):
    manager = request.config.pluginmanager
    if not manager.has_plugin("briefing-hostile-bounds"):
        manager.register(_BoundsReport(), "briefing-hostile-bounds")
    yield


def refresh_cli(tmp_path: Path, *extra: str, config: Path | None = None, timeout: float = 60):
    return run_measured(
        ["--config", str(config or tmp_path / "feeds.toml"), "--cache", str(tmp_path / "store.db"), *extra],
        tmp_path,
        timeout=timeout,
    )


def rows(store: Path, sql: str = "SELECT * FROM articles") -> list[sqlite3.Row]:
    with sqlite3.connect(store) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql).fetchall()


# The columns whose text comes from a feed or a server. (A feed's name, in
# `feed`, `key` and feeds.name, is the config's, kept exactly so it matches the
# config; it is cleaned where it is drawn. ETag and Last-Modified are kept
# byte for byte to be sent back, and never drawn.)
FEED_COLUMNS = {
    "articles": ("title", "source", "link", "author", "text"),
    "feeds": ("url", "last_status", "last_error"),
}


def every_stored_string(store: Path) -> list[str]:
    """Every text value from a feed or a server in the articles and feeds tables."""
    found = []
    for table, columns in FEED_COLUMNS.items():
        for row in rows(store, f"SELECT {', '.join(columns)} FROM {table}"):
            found += [value for value in tuple(row) if isinstance(value, str)]
    return found


def integrity(store: Path) -> str:
    with sqlite3.connect(store) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


# -- 4. hostile XML and HTTP: bounded, one feed's outcome, the others refreshed ----------------------

PASSWD_LINE = next((line for line in Path("/etc/passwd").read_text().splitlines() if line.strip()), "root:x:0:0")
CANARY = "CANARY-7f3a9c-local-file-content"

# case: (how to serve it, the outcome its line must start with, seconds, MB)
#   "failed: ..." - must be a per-feed failure with exactly these words;
#   None - the document may be read (with the entities left out) or refused,
#          as long as it stays in bounds and nothing leaks.
CASES = {
    "billion-laughs": ("laughs", None, 15, 300),
    "quadratic-blowup": ("quad", None, 15, 300),
    "external-entity": ("xxe", None, 15, 300),
    "external-dtd": ("dtd", None, 15, 300),
    "nested-100000": ("deep", None, 30, 400),
    "50MB-declared": ("big", "failed: body larger than 10 MB", 10, 120),
    "50MB-streamed": ("big-streamed", "failed: body larger than 10 MB", 10, 120),
    "gzip-bomb-1GB": ("bomb", "failed: body larger than 10 MB", 10, 120),
    "dribble-body": ("dribble-body", f"failed: timed out after {TIMEOUT} s", TIMEOUT + 4, 120),
    "dribble-headers": ("dribble-headers", f"failed: timed out after {TIMEOUT} s", TIMEOUT + 4, 120),
}


@pytest.fixture
def canary_file(tmp_path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text(CANARY + "\n")
    return path


def serve_case(kind: str, feed_server, canary: Path, stack) -> str:
    """Route the hostile document for `kind`; return its URL."""
    if kind.startswith("dribble-"):
        return stack.enter_context(Dribbler(kind.split("-")[1], interval=1.0)).url("/slow.xml")
    body = {
        "laughs": lambda: billion_laughs(),
        "quad": lambda: quadratic_blowup(),
        "xxe": lambda: external_entity("/etc/passwd", str(canary)),
        "dtd": lambda: external_dtd(feed_server.url("/evil.dtd"), feed_server.url("/pe.dtd")),
        "deep": lambda: deep_nesting(100_000),
        "big": lambda: big_feed(50 * 1024 * 1024),
        "big-streamed": lambda: big_feed(50 * 1024 * 1024),
        "bomb": lambda: gzip_bomb(1 << 30),
    }[kind]()
    feed_server.route("/evil.dtd", Reply(body=b'<!ENTITY fromdtd "DTD-WAS-FETCHED">', content_type="text/plain"))
    feed_server.route("/pe.dtd", Reply(body=b'<!ENTITY fromdtd "PE-WAS-FETCHED">', content_type="text/plain"))
    reply = Reply(
        body=body, content_length=kind != "big-streamed", headers={"Content-Encoding": "gzip"} if kind == "bomb" else {}
    )
    feed_server.route(f"/{kind}.xml", reply)
    return feed_server.url(f"/{kind}.xml")


def good_feeds(feed_server) -> list[tuple[str, str]]:
    feed_server.route("/good-a.xml", Reply(body=good_rss("ga")))
    feed_server.route("/good-b.xml", Reply(body=good_rss("gb"), delay=0.3))
    return [("Good A", feed_server.url("/good-a.xml")), ("Good B", feed_server.url("/good-b.xml"))]


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_document_ends_in_bounds_as_one_feeds_outcome(case, feed_server, tmp_path, canary_file):
    from contextlib import ExitStack

    kind, expected, max_seconds, max_mb = CASES[case]
    with ExitStack() as stack:
        url = serve_case(kind, feed_server, canary_file, stack)
        good = good_feeds(feed_server)
        write_story_config(tmp_path / "feeds.toml", [good[0], (case, url), good[1]], SETTINGS)
        done = refresh_cli(tmp_path, "refresh", timeout=max_seconds + 30)
    outcomes = outcome_lines(done.out)
    BOUNDS.append(f"{case:<18} {done.seconds:5.1f} s  {done.max_rss_mb:6.0f} MB  {outcomes.get(case, '(no line)')}")

    assert done.returncode == 0, done.err
    assert "Traceback" not in done.err and done.err == ""
    assert set(outcomes) == {"Good A", case, "Good B"}, done.out
    assert outcomes["Good A"].startswith("updated: 3 new") and outcomes["Good B"].startswith("updated: 3 new")
    if expected is None:
        assert outcomes[case].startswith(("failed: ", "updated: ")), outcomes[case]
    else:
        assert outcomes[case] == expected
    assert done.seconds < max_seconds, f"{case} took {done.seconds:.1f} s"
    assert done.max_rss_mb < max_mb, f"{case} peaked at {done.max_rss_mb:.0f} MB"
    assert not controls_in(done.stdout)

    store = tmp_path / "store.db"
    assert integrity(store) == "ok"
    keys = {row["key"] for row in rows(store)}
    assert {f"Good A|ga-{n}" for n in range(3)} | {f"Good B|gb-{n}" for n in range(3)} <= keys
    stored = "\n".join(every_stored_string(store))
    # Nothing was expanded: a bomb leaves at most a few KB of text behind.
    assert len(stored) < 200_000
    assert "lollollol" not in stored and "BBBBBBBBBB" not in stored
    # No local file was read, nothing was fetched for a DTD.
    assert CANARY not in stored and PASSWD_LINE not in stored and "root:x:0" not in stored
    assert "WAS-FETCHED" not in stored
    assert feed_server.hits("/evil.dtd") == 0 and feed_server.hits("/pe.dtd") == 0
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("store.db*"))
    assert CANARY.encode() not in raw and PASSWD_LINE.encode() not in raw


@pytest.mark.parametrize("case", ["billion-laughs", "quadratic-blowup"])
def test_entity_bombs_are_a_per_feed_error_not_an_article(case, feed_server, tmp_path, canary_file):
    from contextlib import ExitStack

    with ExitStack() as stack:
        url = serve_case(CASES[case][0], feed_server, canary_file, stack)
        good = good_feeds(feed_server)
        write_story_config(tmp_path / "feeds.toml", [good[0], (case, url), good[1]], SETTINGS)
        done = refresh_cli(tmp_path, "refresh")
    assert done.returncode == 0, done.err
    assert outcome_lines(done.out)[case].startswith("failed: ")
    assert rows(tmp_path / "store.db", f"SELECT * FROM articles WHERE feed = '{case}'") == []


def test_every_hostile_document_at_once_beside_good_feeds(feed_server, tmp_path, canary_file):
    """One refresh with all of them and eight good feeds: every good feed is
    refreshed, and the whole refresh is bounded by the slowest hostile one."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        feeds = []
        for index in range(8):
            feed_server.route(f"/good{index}.xml", Reply(body=good_rss(f"g{index}"), delay=0.05 * index))
            feeds.append((f"Good {index}", feed_server.url(f"/good{index}.xml")))
        for case, (kind, _, _, _) in CASES.items():
            feeds.insert(len(feeds) // 2, (case, serve_case(kind, feed_server, canary_file, stack)))
        write_story_config(tmp_path / "feeds.toml", feeds, SETTINGS)
        done = refresh_cli(tmp_path, "refresh", timeout=90)
    BOUNDS.append(
        f"{'all at once':<18} {done.seconds:5.1f} s  {done.max_rss_mb:6.0f} MB  {done.out.strip().splitlines()[-1]}"
    )
    assert done.returncode == 0 and done.err == "", done.err
    outcomes = outcome_lines(done.out)
    assert len(outcomes) == len(feeds)
    for index in range(8):
        assert outcomes[f"Good {index}"].startswith("updated: 3 new")
    for case, (_, expected, _, _) in CASES.items():
        if expected:
            assert outcomes[case] == expected
    assert done.seconds < 40
    assert done.max_rss_mb < 500
    assert integrity(tmp_path / "store.db") == "ok"


# -- 1 and 3. no control sequence in refresh / feeds output, the exports, or the store ----------

HOSTILE_NAMES = {
    # TOML escapes, read by the TOML parser into the characters themselves.
    "escape": "Esc \\u001b[31mName\\u001b]52;c;cm0gLXJmIH4K\\u0007 \\u009b2J \\u202eBidi",
    "markup": "[bold]Markup[/] name [@click=app.quit]q[/]",
}


def serve_hostile_text(feed_server) -> list[tuple[str, str]]:
    """Three hostile-text feeds, a feed whose failure message carries the
    server's words, a redirect to javascript:, and one good feed under
    hostile names (names come from the config)."""
    for kind in ("controls", "legal", "markup"):
        feed_server.route(f"/{kind}.xml", Reply(body=hostile_rss(kind)))
    feed_server.route(
        "/encoding.xml",
        Reply(body=b"x", headers={"Content-Encoding": "\x9b31m[bold]Encword[/]\x85 \x1b]52;c;cm0gLXJmIH4K\x07"}),
    )
    feed_server.route("/redirect.xml", Reply(302, headers={"Location": "javascript:\x9b31malert(1)"}))
    feed_server.route("/good.xml", Reply(body=good_rss("named")))
    return [
        ("Controls", feed_server.url("/controls.xml")),
        ("Legal", feed_server.url("/legal.xml")),
        ("Markup", feed_server.url("/markup.xml")),
        ("Encoding [bold]fails[/]", feed_server.url("/encoding.xml")),
        ("Redirect", feed_server.url("/redirect.xml")),
        (HOSTILE_NAMES["escape"], feed_server.url("/good.xml")),
        (HOSTILE_NAMES["markup"], feed_server.url("/good.xml") + "?again"),
    ]


@pytest.fixture
def hostile_store(feed_server, tmp_path):
    feeds = serve_hostile_text(feed_server)
    feed_server.route("/good.xml?again", Reply(body=good_rss("again")))
    write_story_config(tmp_path / "feeds.toml", feeds, SETTINGS)
    done = refresh_cli(tmp_path, "refresh")
    return tmp_path, done


def test_refresh_and_feeds_print_no_control_sequence(hostile_store):
    tmp_path, done = hostile_store
    assert done.returncode == 0, done.err
    for stream in (done.stdout, done.stderr):
        assert not controls_in(stream), controls_in(stream)
    outcomes = outcome_lines(done.out)
    assert outcomes["Controls"] == "updated: 4 new" and outcomes["Markup"] == "updated: 4 new"
    # The server's words in an error are shown, cleaned, never obeyed.
    assert outcomes["Encoding [bold]fails[/]"].startswith("failed: unsupported content encoding")
    assert "[bold]encword[/]" in outcomes["Encoding [bold]fails[/]"].lower()
    assert outcomes["Redirect"] == "failed: redirect to a non-http(s) URL refused (javascript:)"
    # Names from the config are cleaned too.
    assert "Esc Name" in done.out and "[bold]Markup[/] name [@click=app.quit]q[/]" in done.out

    listed = refresh_cli(tmp_path, "feeds")
    assert listed.returncode == 0, listed.err
    for stream in (listed.stdout, listed.stderr):
        assert not controls_in(stream), controls_in(stream)
    assert "encword" in listed.out.lower() and "Esc Name" in listed.out
    for leftover in CONTROL_LEFTOVERS:
        assert leftover not in done.out + listed.out


def test_store_holds_only_clean_text_and_safe_links(hostile_store):
    tmp_path, _ = hostile_store
    store = tmp_path / "store.db"
    stored = every_stored_string(store)
    dirty = [value for value in stored if controls_in(value)]
    assert not dirty, dirty[:3]
    everything = "\n".join(stored)
    for word in CONTROL_WORDS:
        assert word in everything, word  # the words survive ...
    for leftover in CONTROL_LEFTOVERS:
        assert leftover not in everything, leftover  # ... the instructions do not
    links = {row["key"]: row["link"] for row in rows(store)}
    for kind in ("controls", "legal", "markup"):
        feed = kind.capitalize()
        assert links[f"{feed}|{kind}-1"] == "https://example.invalid/a1"
        # javascript:, file: and "-option" links are not kept.
        assert links[f"{feed}|{kind}-2"] is None
        assert links[f"{feed}|{kind}-3"] is None
        assert links[f"{feed}|{kind}-4"] is None
    for row in rows(store):
        # (Controls is left out here: see the next test.)
        if row["key"].endswith("-1") and row["feed"] in ("Legal", "Markup"):
            for words in LINK_WORDS:
                assert words in row["text"]
            assert "Ahmed al-Sharaa said" in row["text"]
    for target in LINK_TARGETS:
        assert target not in everything


def test_a_stray_escape_introducer_does_not_swallow_the_rest_of_the_article(hostile_store):
    from briefing.text.sanitize import clean_text

    # At the source ...
    assert (
        clean_text("He said \u00e2\x80\x9dno\u00e2\x80\x9d and left.\n\nSecond.")
        == "He said \u00e2no\u00e2 and left.\n\nSecond."
    )
    assert clean_text("Broken \x1b] here.\n\nSecond paragraph.").endswith("Second paragraph.")
    # ... and through a refresh: the Controls article keeps its later paragraphs.
    tmp_path, _ = hostile_store
    [row] = rows(tmp_path / "store.db", "SELECT text FROM articles WHERE key = 'Controls|controls-1'")
    for words in LINK_WORDS:
        assert words in row["text"]
    assert "Ahmed al-Sharaa said" in row["text"]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_both_exports_carry_no_control_sequence_and_no_link_target(hostile_store):
    tmp_path, _ = hostile_store
    as_json = refresh_cli(tmp_path, "export", "--format", "json")
    as_md = refresh_cli(tmp_path, "export", "--format", "md")
    for done in (as_json, as_md):
        assert done.returncode == 0, done.err
        assert not controls_in(done.stdout) and not controls_in(done.stderr)
        for target in (*LINK_TARGETS, *CONTROL_LEFTOVERS, "javascript:", "-oProxyCommand"):
            assert target not in done.out, target
    data = json.loads(as_json.stdout)
    values = _strings(data)
    assert not [v for v in values if controls_in(v)]  # no \u001b escapes inside the JSON either
    assert any("[bold]Boldword[/]" in v for v in values) and any("Redword" in v for v in values)
    # Markdown shows feed markup as text: its brackets are escaped, so no link or image is made.
    assert "\\[@click=app.quit\\]Quitword\\[/\\]" in as_md.out and "Redword" in as_md.out
    assert "](file:" not in as_md.out and "](javascript:" not in as_md.out
    links = [a["link"] for a in data["articles"]]
    assert all(link is None or link.startswith(("http://", "https://")) for link in links)


# -- 1, 2, 3 on the dashboard ----------------------------------------------------------------------

SIZE = (200, 60)


def screen_text(app) -> str:
    """The screen as plain text, from the real render (an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def wait_for(pilot, predicate, seconds: float = 20.0) -> None:
    await until(pilot, predicate, timeout=seconds)


async def ready(pilot) -> None:
    await briefing_shown(pilot)


def assert_clean(text: str, where: str) -> None:
    found = controls_in(text)
    assert not found, f"{where}: {found[:5]}"
    for leftover in CONTROL_LEFTOVERS:
        assert leftover not in text, f"{where}: {leftover}"


def workspace_for(tmp_path):
    from briefing.config import load_config
    from briefing.workers.dashboard_workspace import DashboardWorkspace

    return DashboardWorkspace(load_config(tmp_path / "feeds.toml"), tmp_path / "store.db")


async def test_dashboard_draws_hostile_feeds_as_inert_text_everywhere(hostile_store):
    from briefing.tui.screens.detail import DetailScreen
    from briefing.tui.screens.reader import ReaderScreen
    from briefing.tui.screens.search import SearchScreen

    tmp_path, done = hostile_store
    assert done.returncode == 0
    app = recording_app(workspace_for(tmp_path), opened=[])
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn, as for a user
        await ready(pilot)
        main = screen_text(app)
        assert_clean(main, "main screen")
        assert "[bold]Boldword[/]" in main and "Redword" in main  # the feed list shows them as words

        # The reader, opened from the feed panel on the richest articles of each hostile feed.
        feed = app.query_one("#feed")
        assert len(app.briefing.articles) >= 12
        seen_markup = seen_links = 0
        for index, article in enumerate(app.briefing.articles):
            if not article.title.startswith(("Syria talks", "Türkiye pact")):
                continue
            await pilot.press("4")
            app.query_one("#feed").highlighted = index
            await pilot.pause()
            row = feed.selected_row()
            assert row.id == article.id
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
            text = screen_text(app)
            assert_clean(text, f"reader: {row.title[:40]}")
            if "Boldword" in row.title:
                for token in MARKUP_TOKENS:
                    assert token in text, (token, row.title)
                seen_markup += 1
            for target in LINK_TARGETS:
                assert target not in text
            if any(words in text for words in LINK_WORDS):
                seen_links += 1
            await pilot.press("escape")
        assert seen_markup == 2 and seen_links >= 2

        # The actor's view and the question's view.
        await pilot.press("2", "enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.pause(0.2)
        actor_text = screen_text(app)
        assert_clean(actor_text, "actor view")
        await pilot.press("escape", "3", "enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.pause(0.2)
        question_text = screen_text(app)
        assert_clean(question_text, "question view")
        assert "Redword" in question_text or "Boldword" in question_text  # hostile evidence is there ...
        assert "[bold]Boldword[/]" in question_text + actor_text  # ... and shown literally
        await pilot.press("escape")

        # Search results.
        for word in ("Boldword", "Redword", "Bidiword"):
            await pilot.press("slash")
            assert isinstance(app.screen, SearchScreen)
            await pilot.press(*word)
            results = app.screen.query_one("#search-results")
            await wait_for(pilot, lambda results=results: results.option_count > 0)
            await pilot.pause(0.1)
            text = screen_text(app)
            assert_clean(text, f"search {word}")
            if word == "Boldword":
                assert "[bold]Boldword[/]" in text and "[@click=app.quit]Quitword[/]" in text
            await pilot.press("escape")

        # A refresh from the dashboard: the failures are notified with the
        # server's words and the config's names, literally.
        await pilot.press("r")
        await wait_for(pilot, lambda: not app.refreshing and any("feeds:" in n for n in app.notices), 30)
        await pilot.pause(0.2)
        notices = "\n".join(app.notices)
        assert_clean(notices, "notifications")
        assert "Encoding [bold]fails[/]: unsupported content encoding" in notices
        assert "[bold]encword[/]" in notices.lower()
        text = screen_text(app)
        assert_clean(text, "screen with notifications")
        assert "[bold]encword[/]" in text.lower()
        assert app.is_running


async def test_a_feed_title_that_is_markup_cannot_click_or_crash(tmp_path):
    """Clicking every line of hostile text: an [@click=...] in it is no action."""
    from briefing.model import ParsedArticle
    from briefing.store.database import Store
    from briefing.tui.screens.reader import ReaderScreen

    write_story_config(tmp_path / "feeds.toml", [])
    title = " ".join(MARKUP_PAYLOADS) + " Syria"
    with Store(tmp_path / "store.db") as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key="k1",
                    title=title,
                    source="[@click=app.quit]Src[/]",
                    link="https://example.invalid/a",
                    published=None,
                    text="Syria and Türkiye. " + " ".join(MARKUP_PAYLOADS),
                )
            ]
        )
    opened: list[str] = []
    app = recording_app(workspace_for(tmp_path), opened)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = app.screen
        # The feed row's title line and the summary's first line, clicked along their width.
        for selector, y in (("#feed", 0), ("#summary", 0)):
            for x in (3, 30, 60, 90):
                while app.screen is not main:
                    await pilot.press("escape")
                await pilot.click(selector, offset=(x, y))
        await pilot.pause(0.1)
        assert app.is_running
        # And the reader, line by line.
        while app.screen is not main:
            await pilot.press("escape")
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        for y in range(0, 4):
            for x in (2, 40, 80, 120):
                await pilot.click("#reader", offset=(x, y))
        await pilot.pause(0.1)
        assert app.is_running and opened == []
        assert "[@click=app.quit]Quitword[/]" in screen_text(app)


# -- 3. links: only http(s), shown first, never through a shell ------------------------------------

BAD_LINKS = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "-oProxyCommand=touch${IFS}pwned",
    "--new-window=evil",
    "data:text/html,x",
    "ftp://example.invalid/x",
    "https://example.invalid/with space",
    "mailto:someone@example.invalid",
]


async def test_o_never_opens_a_link_that_is_not_http(tmp_path):
    """Stored links are cleaned on the way in; a store written another way
    (an older version, a hand edit) still never gets a bad link opened."""
    from datetime import datetime, timedelta, timezone

    from briefing.tui.screens.confirm_link import ConfirmLinkScreen

    write_story_config(tmp_path / "feeds.toml", [])
    start = datetime(2025, 2, 4, tzinfo=UTC)
    from briefing.store.database import Store

    with Store(tmp_path / "store.db") as store:
        from briefing.model import ParsedArticle

        store.upsert_articles(
            [
                ParsedArticle(
                    key=f"k{i}",
                    title=f"Syria link {i}",
                    source="S",
                    link=f"https://example.invalid/{i}",
                    published=start - timedelta(hours=i),
                    text="Syria and Türkiye.",
                )
                for i in range(len(BAD_LINKS))
            ]
        )
        # Written behind the parser's back, as a damaged or hand-edited store would be.
        for i, link in enumerate(BAD_LINKS):
            store.db.execute("UPDATE articles SET link = ? WHERE key = ?", (link, f"k{i}"))
    opened: list[str] = []
    app = recording_app(workspace_for(tmp_path), opened)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for index in range(len(BAD_LINKS)):
            await pilot.press("4")
            app.query_one("#feed").highlighted = index
            await pilot.pause()
            await pilot.press("o")
            await pilot.pause(0.1)
            assert not isinstance(app.screen, ConfirmLinkScreen), BAD_LINKS[index]
            await pilot.press("y")  # nothing to say yes to
        assert opened == []
        refusals = [n for n in app.notices if "only http and https links are opened" in n]
        assert len(refusals) == len(BAD_LINKS)
        assert_clean("\n".join(app.notices), "refusals")


async def test_o_shows_the_link_then_hands_it_to_the_browser_as_one_argument(tmp_path, monkeypatch):
    """The real webbrowser module, with $BROWSER a script that records its
    arguments: the link arrives as one argv entry, and the shell
    metacharacters in it run nothing."""
    from briefing.model import ParsedArticle
    from briefing.store.database import Store
    from briefing.tui.screens.confirm_link import ConfirmLinkScreen

    link = "https://example.invalid/a?q=$(touch${IFS}pwned1)&x=`touch${IFS}pwned2`;touch${IFS}pwned3|id"
    record = tmp_path / "argv.json"
    browser = tmp_path / "fake-browser"
    browser.write_text(
        f"#!{__import__('sys').executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    browser.chmod(0o755)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("BROWSER", str(browser))
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    # webbrowser reads $BROWSER once, on first use: make it read ours.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})

    write_story_config(tmp_path / "feeds.toml", [])
    with Store(tmp_path / "store.db") as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key="k", title="Syria shell link", source="S", link=link, published=None, text="Syria and Türkiye."
                )
            ]
        )
    app = recording_app(workspace_for(tmp_path))  # the default opener: webbrowser.open
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "o")
        assert isinstance(app.screen, ConfirmLinkScreen)
        assert str(app.screen.query_one("#confirm-link-url").render()) == link
        assert link[:60] in screen_text(app)
        assert not record.exists()  # shown, not opened
        await pilot.press("n")
        assert not record.exists()
        await pilot.press("o", "y")
        await pilot.pause(0.3)
    assert json.loads(record.read_text()) == [link]
    assert sorted(p.name for p in workdir.iterdir()) == []
