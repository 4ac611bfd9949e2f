"""RowList, the panels' list, on its own in a small app driven with Pilot:
the cursor, paging, wrapping, notes the cursor skips, clicks, refills that
keep the cursor, and feed text drawn as plain text."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from briefing.tui.widgets.row_list import RowList, note

SIZE = (40, 12)  # the list is 40 wide, 12 high


class ListApp(App):
    def __init__(self, rows) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowList(id="list")

    def on_mount(self) -> None:
        self.query_one(RowList).set_rows(self.rows)
        self.query_one(RowList).focus()

    def on_row_list_selected(self, message: RowList.Selected) -> None:
        self.selected.append(message.key)


def numbered(count: int, lines: int = 1) -> list[tuple[str, Text]]:
    return [(f"r{i}", Text("\n".join(f"row {i} line {j}" for j in range(lines)))) for i in range(count)]


async def test_keys_move_the_cursor_and_scroll_it_into_view():
    app = ListApp(numbered(30, lines=2))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        assert rows.highlighted == 0 and rows.row_count == 30
        await pilot.press("down", "down")
        assert rows.highlighted_key == "r2"
        await pilot.press("end")
        assert rows.highlighted == 29
        await pilot.pause()
        # Two lines a row: the last row's lines are the last on the screen.
        assert rows.scroll_offset.y == rows.virtual_size.height - rows.scrollable_content_region.height
        await pilot.press("home")
        assert rows.highlighted == 0 and rows.scroll_offset.y == 0
        await pilot.press("pagedown")
        # A page is 12 lines: six rows of two.
        assert rows.highlighted == 6
        await pilot.press("pageup")
        assert rows.highlighted == 0
        await pilot.press("up")  # already at the top: stays
        assert rows.highlighted == 0


async def test_long_rows_wrap_to_the_width_and_no_wrap_rows_are_cut():
    long = "word " * 30
    cut = Text("x" * 100, no_wrap=True, overflow="ellipsis")
    app = ListApp([("long", Text(long.strip())), ("cut", cut)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = app.query_one(RowList)
        # 149 characters in lines of at most 39 (one column kept free): four lines, then one.
        assert rows.virtual_size.height == 5
        assert [len(rows._wrapped[i]) for i in range(2)] == [4, 1]
        last = "".join(segment.text for segment in rows._wrapped[1][0])
        assert last.endswith("…") and len(last) <= 39


async def test_notes_are_skipped_and_never_selected():
    app = ListApp([*note("nothing yet"), *numbered(2)])
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        assert rows.highlighted == 1  # the first row the cursor may have
        await pilot.press("up", "enter")
        assert rows.highlighted == 1 and app.selected == ["r0"]
    empty = ListApp(note("nothing yet"))
    async with empty.run_test(size=SIZE) as pilot:
        rows = empty.query_one(RowList)
        await pilot.press("down", "enter")
        assert rows.highlighted is None and rows.highlighted_key is None and empty.selected == []


async def test_enter_and_a_click_select_a_row():
    app = ListApp(numbered(5))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        assert app.selected == ["r1"]
        await pilot.click(RowList, offset=(2, 3))  # the fourth line: the fourth row
        assert app.query_one(RowList).highlighted_key == "r3"
        assert app.selected == ["r1", "r3"]


async def test_refilling_keeps_the_cursor_on_its_row():
    app = ListApp(numbered(10))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("down", "down", "down")
        # New rows ahead of it: the cursor follows r3.
        rows.set_rows([("new", Text("a new row")), *numbered(10)])
        assert rows.highlighted_key == "r3" and rows.highlighted == 4
        # r3 gone: the cursor stays at the same place.
        rows.set_rows([row for row in numbered(10) if row[0] != "r3"])
        assert rows.highlighted == 4 and rows.highlighted_key == "r5"
        # Fewer rows than the cursor's place: the last one.
        rows.set_rows(numbered(2))
        assert rows.highlighted == 1


async def test_a_row_that_changes_height_is_laid_out_again():
    app = ListApp(numbered(3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = app.query_one(RowList)
        assert rows.virtual_size.height == 3
        assert rows.replace_row("r1", Text("one\ntwo\nthree"))
        assert not rows.replace_row("missing", Text("x"))
        await pilot.pause()
        assert rows.virtual_size.height == 5
        assert rows._line_rows == [0, 1, 1, 1, 2]


async def test_feed_text_is_drawn_as_it_is_never_as_markup():
    hostile = "[b]x[/b] [link=file:///etc/passwd]y[/]"
    app = ListApp([("x", Text(hostile))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        drawn = "".join(segment.text for segment in app.query_one(RowList)._wrapped[0][0])
        assert drawn == hostile


async def test_rows_arriving_above_keep_the_cursor_where_it_was_on_the_screen():
    app = ListApp(numbered(30))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("down", "down")
        await pilot.pause()
        before = rows._starts[rows.highlighted] - rows.scroll_offset.y
        rows.set_rows([*[(f"new{i}", Text(f"new {i}")) for i in range(20)], *numbered(30)])
        await pilot.pause()
        assert rows.highlighted_key == "r2"
        assert rows._starts[rows.highlighted] - rows.scroll_offset.y == before


async def test_paging_passes_a_row_taller_than_the_page():
    app = ListApp(numbered(4, lines=15))  # each row 15 lines, the list 12
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        for expected in (1, 2, 3, 3):
            await pilot.press("pagedown")
            assert rows.highlighted == expected
        await pilot.press("pageup")
        assert rows.highlighted == 2


async def test_rows_added_then_end_before_a_repaint_shows_the_cursor():
    app = ListApp(numbered(10))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.pause()
        rows.add_rows([(f"x{i}", Text(f"x {i}")) for i in range(40)])
        rows.action_last()  # no frame in between
        assert rows.scroll_offset.y <= rows._starts[49] < rows.scroll_offset.y + rows.scrollable_content_region.height


async def test_when_its_row_goes_the_cursor_stays_near_and_off_notes():
    app = ListApp(numbered(30))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("end")
        rows.set_rows([*numbered(29), *note("the end")])
        assert rows.highlighted_key == "r28"
        rows.highlighted = 29  # onto the note: the nearest row instead
        assert rows.highlighted_key == "r28"


async def test_wrapped_rows_of_rows_gone_are_not_kept():
    app = ListApp(numbered(50, lines=2))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.pause()
        kept = numbered(50, lines=2)[:10]
        rows.set_rows([(key, text) for key, text in kept])
        await pilot.pause()
        assert rows._reuse == {}


class HeaderApp(ListApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RowList).set_header(Text("Count Name"))


async def test_a_header_line_stays_above_the_rows_and_is_never_selected():
    app = HeaderApp(numbered(30))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.query_one(RowList)
        await pilot.press("end")
        await pilot.pause()
        lines = ["".join(segment.text for segment in rows.render_line(y)).rstrip() for y in range(SIZE[1])]
        # The header on top; below it the last eleven rows, the cursor's row last.
        assert lines[0] == "Count Name"
        assert lines[1:] == [f"row {i} line 0" for i in range(19, 30)]
        await pilot.click(RowList, offset=(2, 0))
        assert app.selected == []
        await pilot.press("home")
        await pilot.pause()
        assert "".join(s.text for s in rows.render_line(1)).rstrip() == "row 0 line 0"
        # A page is the view less the header: eleven rows of one line.
        await pilot.press("pagedown")
        assert rows.highlighted == 11


async def test_rows_below_the_view_are_laid_out_after_the_frame():
    app = ListApp(numbered(200, lines=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = app.query_one(RowList)
        # Every row wrapped once the frame is painted, and the scroll range exact.
        assert len(rows._wrapped) == 200
        assert rows.virtual_size.height == 400
        await pilot.press("end")
        assert rows.highlighted == 199
        assert rows.scroll_offset.y == 400 - rows.scrollable_content_region.height
