"""`t`: the timeline view. The volume a day as two sparklines over the
dated range (gaps drawn as zero days), then the dated events in order with
their source and their date at its precision; Enter opens an event's
article at its sentence, and the reader steps through the events."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Sparkline

from briefing.model import Briefing, DayVolume
from briefing.model import shown_date as event_date
from briefing.tui.keys import bindings, key
from briefing.tui.screens.copy_chooser import CopyChooserScreen
from briefing.tui.screens.reader import CITED_STYLE, ReaderScreen
from briefing.tui.screens.timeline import TimelineScreen, day_series
from tests.helpers.citing import (
    LATE,
    MONTH,
    SAILINGS,
    SIZE,
    highlighted,
    make_app,
    piece_has_style,
    screen_text,
    squeeze,
    start,
)
from tests.helpers.waiting import until


def test_dates_are_shown_as_precise_as_the_text_gave_them():
    when = datetime(2024, 12, 1, tzinfo=UTC)
    assert event_date(when, "month") == "December 2024"
    assert event_date(when, "year") == "2024"
    assert event_date(when, "day") == "2024-12-01"


def test_days_without_articles_are_zero_in_the_chart():
    def v(d: int, n: int) -> DayVolume:
        return DayVolume(datetime(2025, 3, d, tzinfo=UTC), n, n)

    series = day_series((v(8, 4), v(3, 1), v(5, 2)))
    assert [s.articles for s in series] == [1, 0, 2, 0, 0, 4]
    assert series[0].day.day == 3 and series[-1].day.day == 8
    # A stray date years away is not filled with thousands of days.
    stray = day_series((v(3, 1), DayVolume(datetime(1990, 1, 1, tzinfo=UTC), 1, 1)))
    assert len(stray) == 2


async def test_t_shows_the_volume_and_the_events_in_order(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        screen = app.screen
        articles, outlets = (screen.query_one(f"#volume-{n}", Sparkline) for n in ("articles", "outlets"))
        assert list(articles.data) == [1, 0, 1, 1, 0, 4]
        assert list(outlets.data) == [1, 0, 1, 1, 0, 3]
        text = screen_text(app)
        assert "2025-03-03 to 2025-03-08: 7 relevant articles" in text
        assert "Relevant articles a day (peak 4 on 2025-03-08)" in text
        assert "Outlets a day (peak 3 on 2025-03-08)" in text
        assert "3 dated events" in text
        # In date order, each dated at its precision, with its source.
        month = text.index("December 2024")
        january = text.index("2025-01-10")
        march = text.index("2025-03-06")
        assert month < january < march
        assert "The crossing has lost money every winter since December." in text
        assert "Coastal Ledger" in text[month:january]
        assert "2 copies" in text[march:]
        # The footer shows the view's keys.
        assert "Coverage" in text


async def test_enter_opens_an_event_at_its_sentence_and_the_reader_steps_through_events(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        await pilot.press("down", "enter")  # January: the last ferry, far down its article
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        await until(pilot, lambda: highlighted(app) == squeeze(LATE), what="the event's sentence highlighted")
        assert app.screen.article_id == ids["vell-4"]
        assert piece_has_style(app, LATE, CITED_STYLE)
        assert "Timeline · 2 of 3" in screen_text(app)
        await pilot.press("left_square_bracket")
        await until(pilot, lambda: highlighted(app) == squeeze(MONTH), what="the month event's sentence")
        assert app.screen.article_id == ids["vell-2"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        # An event several outlets carried asks which copy.
        await pilot.press("end", "enter")
        await until(pilot, lambda: isinstance(app.screen, CopyChooserScreen))
        await pilot.press("enter")
        await until(pilot, lambda: highlighted(app).lower() == squeeze(SAILINGS).lower(), what="the copy's sentence")


async def test_t_goes_back_to_an_open_timeline_and_the_view_says_when_there_is_nothing(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, Briefing("s", "Empty", briefing.generated_at))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        text = screen_text(app)
        assert "No dated relevant articles yet" in text
        assert "No dated events in the relevant articles yet." in text
        assert not app.screen.query(Sparkline)
        depth = len(app.screen_stack)
        await pilot.press("c", "t")  # from coverage back to the same timeline, not a new one on top
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        assert len(app.screen_stack) == depth


def test_t_is_one_key_in_the_table_bound_in_the_views():
    assert key("timeline").keys == "t"
    for view in ("dashboard", "reader", "detail", "coverage"):
        assert "t" in {b.key for b in bindings(view)}
