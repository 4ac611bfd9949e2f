"""`c`: coverage by outlet. A row an outlet: its articles, relevant
articles, evidence on each question (a column a question), quotes, first
and last article; a question the outlet says nothing on is marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from briefing.model import Briefing, OutletCoverage
from briefing.tui.keys import bindings, key
from briefing.tui.screens.coverage import SILENT, SILENT_STYLE, CoverageScreen
from briefing.tui.screens.timeline import TimelineScreen
from tests.helpers.citing import SIZE, make_app, screen_text, start
from tests.helpers.waiting import until


def _row(table: DataTable, index: int) -> list[Text]:
    return list(table.get_row_at(index))


async def test_c_shows_each_outlet_with_a_column_a_question(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        table = app.screen.query_one("#coverage-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Outlet",
            "Articles",
            "Relevant",
            "Q1",
            "Q2",
            "Quotes",
            "First",
            "Last",
        ]
        assert table.row_count == 3
        courier = [cell.plain for cell in _row(table, 0)]
        assert courier == ["Vellmark Courier", "2", "2", "2", SILENT, "1", "2025-03-03", "2025-03-08"]
        ledger = _row(table, 1)
        assert ledger[3].plain == SILENT and str(ledger[3].style) == SILENT_STYLE  # silent on the sailings
        assert ledger[4].plain == "1"
        text = screen_text(app)
        assert "Coverage by outlet · 3 outlets" in text
        assert "Q1 When do the sailings resume?  (1 of 3 outlets say nothing)" in text
        assert "Q2 Is there a wage deal?  (2 of 3 outlets say nothing)" in text
        assert f"{SILENT} says nothing on that question" in text
        for outlet in ("Vellmark Courier", "Coastal Ledger", "Harbour Wire"):
            assert outlet in text
        await pilot.press("t")  # the timeline from coverage, and back to the dashboard
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        await pilot.press("escape", "escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)


async def test_outlet_names_are_text_never_markup(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    hostile = OutletCoverage("[@click=app.quit]Quit[/] Daily\x1b[31m", 1, 0)
    async with app.run_test(size=SIZE) as pilot:
        await start(
            pilot, Briefing("s", "Hostile", briefing.generated_at, questions=briefing.questions, coverage=(hostile,))
        )
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        text = screen_text(app)
        assert "[@click=app.quit]Quit[/] Daily" in text
        row = _row(app.screen.query_one("#coverage-table", DataTable), 0)
        # Nothing said about silence that was not given: evidence counts of 0, no marks.
        assert [cell.plain for cell in row[3:5]] == ["0", "0"]
        assert app.is_running


async def test_no_coverage_yet_is_said(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, Briefing("s", "Empty", briefing.generated_at))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        assert "No outlet has carried the story in the cache yet." in screen_text(app)


def test_c_is_one_key_in_the_table_bound_in_the_views():
    assert key("coverage").keys == "c"
    for view in ("dashboard", "reader", "detail", "timeline"):
        assert "c" in {b.key for b in bindings(view)}
