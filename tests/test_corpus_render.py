"""Every file of the third-party feed corpora, parsed and then drawn the way
the dashboard draws it (issue 5, point 9).

Each file goes through parse.parse_feed; each article it yields becomes the
Rich Text the dashboard builds for it: its feed-panel row
(tui/panels/feed.py `_row_text`) and the reader's head and body
(tui/format.py `plain` and `paragraph`, tui/highlight.py
`highlight_actors`), plus the feed's title and warning as `plain` text. Each
is rendered by a real Rich Console writing to a terminal (truecolor, 100
columns). With Rich's own styling taken out (SGR sequences, ESC [ ... m),
what is left must hold no escape, no C0 control but newline, no C1 control
and no bidi override or isolate; nothing may raise (no MarkupError: feed text
is never markup); and the characters drawn are exactly the text's own
(markup such as "[bold]" shows literally).

The corpora live beside the checkout (../shared/corpora) or at
$BRIEFING_CORPORA; without them the test is skipped, saying so. Files are
spread over a pool of processes; the time is printed in the terminal summary.
"""

from __future__ import annotations

import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from tests.helpers.hostile import CONTROL, RICH_SGR

WIDTH = 100


def corpora_dir() -> Path:
    env = os.environ.get("BRIEFING_CORPORA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _story():
    from briefing.config import Actor, Story

    # Common names, so that highlighting has work to do in real feeds.
    return Story(
        id="corpus",
        title="Corpus",
        keywords=("news",),
        actors=(
            Actor("Ahmed al-Sharaa", aliases=("al-Sharaa",)),
            Actor("John", aliases=("Smith",)),
            Actor("Google", kind="organization"),
            Actor("Apple", kind="organization"),
            Actor("Mark Pilgrim", aliases=("Pilgrim",)),
            Actor("Reddit", kind="organization"),
        ),
    )


def _drawables(feed, story):
    """(label, Rich Text) for everything the dashboard draws from one feed."""

    from briefing.model import ArticleRow
    from briefing.tui.format import plain
    from briefing.tui.panels.feed import _row_text
    from briefing.tui.screens.reader import reader_body, reader_head

    yield "feed title", plain(feed.title, "bold")
    if feed.warning:
        yield "warning", plain(feed.warning)
    for index, article in enumerate(feed.articles):
        row = ArticleRow(
            id=index,
            title=article.title,
            source=article.source,
            link=article.link,
            published=article.published,
            read=False,
            relevance=0.5,
            relevant=True,
            also_in=(article.source, feed.title),
            new=True,
        )
        # Unread, new and relevant: every part of the row is drawn (mark, styles, "also in").
        yield f"row {index}", _row_text(row)
        # The reader's head and body, built by the same functions ReaderScreen.show uses.
        yield f"reader head {index}", reader_head(article)
        yield f"reader body {index}", reader_body(article, story)


def _visible(text: str) -> str:
    return "".join(text.split())


def render_one(path: str, root: str):
    """In a worker: (name, articles drawn, problems, seconds)."""
    from io import StringIO

    from rich.console import Console

    from briefing.ingest.feed import NotAFeed, parse_feed

    name = os.path.relpath(path, root)
    started = time.perf_counter()
    problems: list[str] = []
    drawn = 0
    try:
        feed = parse_feed(Path(path).read_bytes(), name)
    except NotAFeed:
        return name, 0, [], time.perf_counter() - started
    except Exception:  # noqa: BLE001 - the corpus sweep reports these; here they must not hide a render
        return name, 0, [f"parse raised: {traceback.format_exc(limit=3)}"], time.perf_counter() - started
    story = _story()
    try:
        for label, text in _drawables(feed, story):
            out = StringIO()
            console = Console(
                file=out,
                force_terminal=True,
                color_system="truecolor",
                width=WIDTH,
                legacy_windows=False,
                emoji=False,
                highlight=False,
                soft_wrap=False,
            )
            console.print(text)
            rendered = out.getvalue()
            bare = RICH_SGR.sub("", rendered)
            bad = [m.group() for m in CONTROL.finditer(bare.replace("\n", ""))]
            if bad:
                problems.append(f"{label}: control characters {bad[:5]!r} in {bare[:120]!r}")
            # Nothing added, nothing lost: the characters drawn are the text's own.
            if _visible(bare) != _visible(text.plain):
                problems.append(f"{label}: drew {bare[:120]!r} for {text.plain[:120]!r}")
            drawn += 1
    except Exception:  # noqa: BLE001 - MarkupError or anything else is what we look for
        problems.append(f"render raised: {traceback.format_exc(limit=4)}")
    return name, drawn, problems, time.perf_counter() - started


class _Summary:
    def __init__(self, line: str) -> None:
        self.line = line

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.write_sep("-", "corpus render")
        terminalreporter.write_line(self.line)


@pytest.mark.slow
def test_every_corpus_article_draws_as_inert_text(record_property, request):
    root = corpora_dir()
    if not root.is_dir():
        pytest.skip(f"feed corpora not found at {root} (set BRIEFING_CORPORA to their folder)")
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    if not files:
        pytest.skip(f"feed corpora folder {root} is empty")

    started = time.perf_counter()
    workers = max(1, min(4, os.cpu_count() or 1))
    problems: list[str] = []
    drawn = feeds = 0
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for name, count, found, _ in pool.map(
            render_one, [str(p) for p in files], [str(root)] * len(files), chunksize=16
        ):
            drawn += count
            feeds += bool(count)
            problems += [f"{name}: {p}" for p in found]
    elapsed = time.perf_counter() - started
    line = (
        f"{len(files)} files, {feeds} feeds drawn, {drawn} Rich Texts rendered in {elapsed:.1f} s "
        f"({workers} processes); {len(problems)} problems"
    )
    record_property("corpus_render_seconds", round(elapsed, 2))
    request.config.pluginmanager.register(_Summary(line), "briefing-corpus-render")
    assert drawn > 4000, line
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])


def test_the_render_check_catches_a_control_character():
    """The check above can fail: a Text carrying ESC renders with it."""
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    out = StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=WIDTH).print(
        Text("a \x1b]52;c;eA==\x07 b \u202e c", style="bold")
    )
    assert CONTROL.search(RICH_SGR.sub("", out.getvalue()))
