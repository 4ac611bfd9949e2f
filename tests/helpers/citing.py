"""A story of our own for the views that show the whole briefing: a ferry
strike in the (invented) port of Vellmark, four articles in a real store,
and a Briefing built by hand over them, with every value the analysis
gives (others, other quotes, copies, coverage, volume, timeline
precision), so that each view is tested on values it must show.

All text here is written for these tests.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text

from briefing.config import load_config
from briefing.model import (
    ActorView,
    ArticleRow,
    Briefing,
    Cited,
    Copy,
    DayVolume,
    OutletCoverage,
    ParsedArticle,
    QuestionView,
    Quote,
    TimelineEvent,
)
from briefing.store.database import Store
from briefing.tui.messages import BriefingReady
from briefing.tui.widgets.text_view import TextView
from briefing.workers.dashboard_workspace import DashboardWorkspace
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import briefing_shown, until

SIZE = (110, 40)

STORY = """\
[story]
id = "vellmark-ferry-strike"
title = "The Vellmark ferry strike"
keywords = ["Vellmark", "ferry", "strike", "crossing"]

[[story.actors]]
name = "Ines Takala"
aliases = ["Takala"]
kind = "person"
role = "Mayor of Vellmark"

[[story.actors]]
name = "Deckhands' Guild"
aliases = ["the guild"]
kind = "organization"
role = "The ferry crews' union"

[[story.questions]]
id = "sailings"
title = "When do the sailings resume?"
terms = ["sailings", "resume", "timetable"]

[[story.questions]]
id = "wages"
title = "Is there a wage deal?"
terms = ["wage", "pay", "offer"]
"""


def day(d: int, month: int = 3) -> datetime:
    return datetime(2025, month, d, 9, 0, tzinfo=UTC)


# The sentences the briefing cites, as the analysis gives them (one space
# between words); the articles hold them with other whitespace.
SAILINGS = "The guild said the morning sailings would resume on Thursday if the council kept its offer."
WAGES = "Takala told the council that a pay rise of four percent was the most the town could afford."
HOSTILE = "A placard read [bold red]NO CROSSING[/] and [@click=app.quit]stay home[/] at the slipway."
LATE = "Late on Friday the last ferry of the week left Vellmark with only the harbour pilot aboard."
SPOKES = "Petra Lund, who speaks for the harbour board, said the slipway was safe to use."
LUND_SAID = "We will not close the slipway while a single crew is willing to sail"
BERG_SAID = "Nobody in the fish market has sold a crate since Monday"
MONTH = "The crossing has lost money every winter since December."

FILLER = "The tide tables for the week were posted at the ticket office as they are every Monday morning."

ARTICLES = (
    ParsedArticle(
        "vell-1",
        "Ferry crews walk out in Vellmark",
        "Vellmark Courier",
        "https://courier.example/ferry-1",
        day(3),
        # The cited sentence over a line break and with doubled spaces.
        "Crews stopped work at dawn.\n\nThe guild  said the morning sailings\nwould resume on Thursday "
        "if the council kept its offer.\n\n" + SPOKES + f'\n\n"{LUND_SAID}," Lund said.',
    ),
    ParsedArticle(
        "vell-2",
        "Mayor names her limit",
        "Coastal Ledger",
        "https://ledger.example/ferry-2",
        day(5),
        "\n\n".join([FILLER] * 60 + [WAGES, HOSTILE, MONTH]),
    ),
    ParsedArticle(
        "vell-3",
        "Guild repeats its terms",
        "Harbour Wire",
        "https://wire.example/ferry-3",
        day(6),
        "Wire copy.\n\nThe Guild said the morning sailings would resume on Thursday if the Council kept its offer."
        f'\n\n"{BERG_SAID}," said Jonas Berg, a trader.',
    ),
    ParsedArticle(
        "vell-4",
        "Last ferry of the week",
        "Vellmark Courier",
        "https://courier.example/ferry-4",
        day(8),
        "\n\n".join([FILLER] * 40 + [LATE]),
    ),
)


def make_store(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """The store with the four articles, the story's config, and the articles' ids by key."""
    config = tmp_path / "vellmark.toml"
    config.write_text(STORY, encoding="utf-8")
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles(ARTICLES)
        ids = {article.key: article.id for article in store.articles()}
    return config, path, ids


def make_briefing(ids: dict[str, int]) -> Briefing:
    one, two, three, four = (ids[f"vell-{n}"] for n in range(1, 5))
    sailings = Cited(
        SAILINGS,
        one,
        "Vellmark Courier",
        day(3),
        also=("Harbour Wire",),
        copies=(
            Copy(one, "Vellmark Courier", SAILINGS, day(3)),
            Copy(three, "Harbour Wire", SAILINGS.replace("guild", "Guild").replace("council", "Council"), day(6)),
        ),
    )
    wages = Cited(WAGES, two, "Coastal Ledger", day(5))
    hostile = Cited(HOSTILE, two, "Coastal Ledger", day(5))
    late = Cited(LATE, four, "Vellmark Courier", day(8))
    spokes = Cited(SPOKES, one, "Vellmark Courier", day(3))
    lund_quote = Quote(LUND_SAID, "Petra Lund", one, "Vellmark Courier", day(3))
    berg_quote = Quote(BERG_SAID, "Jonas Berg", three, "Harbour Wire", day(6))
    takala = ActorView(
        "Ines Takala",
        "person",
        "Mayor of Vellmark",
        mentions=2,
        articles=1,
        first_seen=day(5),
        last_seen=day(5),
        mentioned_in=(wages,),
        prominence=2.0,
    )
    guild = ActorView(
        "Deckhands' Guild",
        "organization",
        "The ferry crews' union",
        mentions=3,
        articles=2,
        first_seen=day(3),
        last_seen=day(6),
        mentioned_in=(sailings,),
        prominence=1.0,
        quotes=(lund_quote,),  # the harbour board's voice is not the guild's, but a listed actor's quotes show too
    )
    lund = ActorView(
        "Petra Lund",
        "person",
        "speaks for the harbour board",
        mentions=5,
        articles=2,
        first_seen=day(3),
        last_seen=day(8),
        # Oldest first here: the view puts the newest article first.
        mentioned_in=(spokes, late, Cited("Lund was not at the slipway on Friday.", four, "Vellmark Courier", day(8))),
        listed=False,
    )
    return Briefing(
        "vellmark-ferry-strike",
        "The Vellmark ferry strike",
        day(9),
        summary=(sailings, wages, hostile),
        actors=(takala, guild),
        questions=(
            QuestionView("sailings", "When do the sailings resume?", (sailings, late), outlets=3, last_moved=day(8)),
            QuestionView("wages", "Is there a wage deal?", (wages,), outlets=1, last_moved=day(5)),
        ),
        articles=tuple(
            ArticleRow(ids[a.key], a.title, a.source, a.link, a.published, relevant=True)
            for a in sorted(ARTICLES, key=lambda a: a.published, reverse=True)
        ),
        timeline=(
            TimelineEvent(day(10, 1), LATE, four, "Vellmark Courier"),  # out of order: the view sorts
            TimelineEvent(datetime(2024, 12, 1, tzinfo=UTC), MONTH, two, "Coastal Ledger", precision="month"),
            TimelineEvent(
                datetime(2025, 3, 6, tzinfo=UTC),
                SAILINGS,
                one,
                "Vellmark Courier",
                copies=sailings.copies,
            ),
        ),
        others=(lund,),
        other_quotes=(lund_quote, berg_quote),
        coverage=(
            OutletCoverage(
                "Vellmark Courier", 2, 2, quotes=1, first=day(3), last=day(8), evidence=(2, 0), silent_on=("wages",)
            ),
            OutletCoverage(
                "Coastal Ledger", 1, 1, quotes=0, first=day(5), last=day(5), evidence=(0, 1), silent_on=("sailings",)
            ),
            OutletCoverage(
                "Harbour Wire", 1, 1, quotes=1, first=day(6), last=day(6), evidence=(1, 0), silent_on=("wages",)
            ),
        ),
        volume=(
            DayVolume(datetime(2025, 3, 3, tzinfo=UTC), 1, 1),
            DayVolume(datetime(2025, 3, 5, tzinfo=UTC), 1, 1),
            DayVolume(datetime(2025, 3, 6, tzinfo=UTC), 1, 1),
            DayVolume(datetime(2025, 3, 8, tzinfo=UTC), 4, 3),
        ),
    )


async def start(pilot, briefing: Briefing) -> None:
    """The dashboard loaded from the store, then shown this briefing."""
    await briefing_shown(pilot)
    pilot.app.post_message(BriefingReady(briefing))
    await until(pilot, lambda: pilot.app.briefing is briefing, what="the test's briefing shown")


def make_app(tmp_path: Path):
    config, path, ids = make_store(tmp_path)
    app = recording_app(DashboardWorkspace(load_config(config), path))
    return app, make_briefing(ids), ids


def screen_text(app) -> str:
    """The screen as plain text, from the real render (an SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def panel_lines(app, panel: str) -> list[str]:
    """A dashboard panel's rows as plain text, whatever the width wraps."""
    rows = app.screen_stack[0].query_one(f"#{panel}")
    return [rows.row_text(index).plain for index in range(rows.row_count)]


def flat_text(app) -> str:
    """The screen's words with the boxes' edges left out and every run of
    whitespace one space, for phrases that wrap."""
    return squeeze(re.sub(r"[│╭╮╰╯─]", " ", screen_text(app)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def highlighted(app) -> str:
    """The reversed text in the reader's view as drawn now, its lines joined."""
    view = app.screen.query_one("#reader-body", TextView)
    parts = []
    for y in range(view.size.height):
        marked = "".join(seg.text for seg in view.render_line(y) if seg.style is not None and seg.style.reverse)
        if marked:
            parts.append(marked)
    return squeeze(" ".join(parts))


def piece_has_style(app, sentence: str, style: str = "reverse") -> bool:
    """The reader's piece holding the sentence has `style` over exactly it."""
    view = app.screen.query_one("#reader-body", TextView)
    for piece in view._pieces:
        if isinstance(piece, Text):
            for span in piece.spans:
                if str(span.style) == style:
                    return squeeze(piece.plain[span.start : span.end]).lower() == squeeze(sentence).lower()
    return False
