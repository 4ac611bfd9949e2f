"""Panel 4: every cached article, newest first: an unread mark, the title,
then the source and time on a line of their own, so that the title stays
readable at 80 columns as well as at 200. It can hide the articles not
relevant to the story, and it is the order the reader goes through."""

from __future__ import annotations

import time

from rich.text import Text

from briefing.model import ArticleRow, Briefing, Pin
from briefing.record import replace
from briefing.text.plural import noun_for
from briefing.tui.format import outlet_list, plain
from briefing.tui.panels.base import Panel
from briefing.tui.widgets.row_list import note

# A thousand rows take a while to wrap and lay out. The first few go in at
# once, so the briefing is painted without waiting for the rest: a row is
# two lines or more and the panel is under half the terminal, so a third of
# the terminal's lines in rows (at least MIN_FIRST_ROWS) is more than it
# shows. The rest are added after each repaint in slices of about
# SLICE_SECONDS, so keys are answered while the list fills
# (benchmarks/README.md, "Dashboard at scale").
MIN_FIRST_ROWS = 10
SLICE_SECONDS = 0.008


class FeedPanel(Panel):
    number = 4
    heading = "Feed"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, ArticleRow] = {}
        # The text made for each row, reused while the row is unchanged: the
        # list keeps a text's wrapped lines while it is the same object, so a
        # new briefing that shows mostly the same rows costs little to show again.
        self._row_texts: dict[str, tuple[ArticleRow, Text]] = {}
        self._filling = 0  # which show() the slices still to add belong to
        self.briefing: Briefing | None = None
        self.only_relevant = False  # the articles not relevant to the story are hidden
        self.order: list[str] = []  # the rows shown, in order (some may still be on their way)
        self.unread: int | None = None  # over every article in the store
        self._total = 0
        self._count = 0

    def show(self, briefing: Briefing) -> None:
        self._filling += 1  # slices of an earlier show still to come are dropped
        self.briefing = briefing
        rows = tuple(row for row in briefing.articles if row.relevant or not self.only_relevant)
        self.rows = {str(row.id): row for row in briefing.articles}
        self.order = [str(row.id) for row in rows]
        self._row_texts = {key: made for key, made in self._row_texts.items() if key in self.rows}
        first = max(MIN_FIRST_ROWS, self.app.size.height // 3)
        now = first
        current = self.highlighted_key
        if current is not None:
            # Up to a screen past the highlighted row at once, so that it stays highlighted.
            index = next((i for i, row in enumerate(rows) if str(row.id) == current), None)
            if index is not None:
                now = max(now, index + first)
        if self.only_relevant and briefing.articles:
            empty = "No articles relevant to the story. Press F to show every article."
        else:
            empty = "No articles cached yet. Press r to refresh."
        self.set_rows(
            [self._row(row) for row in rows[:now]] or note(empty),
            more=len(rows) > now,
        )
        if len(rows) > now:
            self._add_later(self._filling, rows, now, 20)
        count, unread, _ = briefing.row_counts()
        # Over every article, not only the newest rows held here.
        self._total = briefing.extra.get("total_articles", count)
        self._count = count
        self.unread = briefing.extra.get("unread", unread)
        self._show_counts()

    def _show_counts(self) -> None:
        total, count = self._total, self._count
        if self.only_relevant:
            shown = f"{len(self.order)} relevant of {total}"
        else:
            shown = f"newest {count} of {total}" if total > count else str(total)
        unread = f" · {self.unread} unread" if self.unread is not None else ""
        self.border_subtitle = f"{shown} {noun_for(total, 'article')}{unread}"

    def _row(self, row: ArticleRow) -> tuple[str, Text]:
        key = str(row.id)
        made = self._row_texts.get(key)
        if made is None or made[0] != row:
            made = (row, _row_text(row))
            self._row_texts[key] = made
        return key, made[1]

    def _add_later(self, filling: int, rows: tuple[ArticleRow, ...], start: int, size: int) -> None:
        def add_slice() -> None:
            if filling != self._filling or not self.is_attached:
                return
            started = time.perf_counter()
            end = min(start + size, len(rows))
            # self.rows, not rows: a row marked read meanwhile is shown read.
            self.add_rows([self._row(self.rows.get(str(row.id), row)) for row in rows[start:end]], more=end < len(rows))
            if end < len(rows):
                took = max(time.perf_counter() - started, 1e-4)
                self._add_later(filling, rows, end, max(5, min(500, int(size * SLICE_SECONDS / took))))

        self.call_after_refresh(add_slice)

    def mark_read(self, article_id: int, read: bool = True) -> None:
        """Show the row read (or unread) at once, and the count with it;
        set_unread brings the store's own count after the write."""
        key = str(article_id)
        row = self.rows.get(key)
        if row is None or row.read == read:
            return
        self.rows[key] = replace(row, read=read)
        if self.unread is not None:
            self.unread = max(0, self.unread + (-1 if read else 1))
            self._show_counts()
        # A row not added yet is added as it is now.
        self.replace_row(*self._row(self.rows[key]))

    def mark_all_read(self) -> None:
        for key, row in list(self.rows.items()):
            if not row.read:
                self.rows[key] = replace(row, read=True)
                self.replace_row(*self._row(self.rows[key]))
        self.unread = 0
        self._show_counts()

    def set_unread(self, unread: int) -> None:
        """The store's count of unread articles."""
        self.unread = unread
        self._show_counts()

    def toggle_relevant_only(self) -> bool:
        """Hide the articles not relevant to the story, or show them again;
        whether they are hidden now."""
        self.only_relevant = not self.only_relevant
        if self.briefing is not None:
            self.show(self.briefing)
        return self.only_relevant

    def selected_row(self) -> ArticleRow | None:
        return self.rows.get(self.highlighted_key or "")

    def selected_line(self) -> Pin | None:
        from briefing.tui.pin_lines import feed_line  # at the first pin: not in the first frame

        row = self.selected_row()
        return feed_line(row) if row else None

    def ordered_rows(self) -> list[ArticleRow]:
        """The rows in the order the panel lists them, less those F hides
        (the reader steps through them, as J and K do)."""
        return [self.rows[key] for key in self.order]

    # -- going through the feed -------------------------------------------------------

    def go_to(self, article_id: int) -> bool:
        """Put the cursor on an article's row; False if it is not shown."""
        key = str(article_id)
        if key not in self.order:
            return False
        if self.key_at(self.order.index(key)) != key:
            # Not added yet: add the rest now, not in slices.
            self._filling += 1
            start = self.row_count
            self.add_rows([self._row(self.rows[k]) for k in self.order[start:]])
        self.highlighted = self.order.index(key)
        return True

    def neighbour(self, article_id: int, step: int) -> int | None:
        """The article `step` rows after (before, if negative) this one in
        the feed as shown; None at either end, or when it is not shown."""
        key = str(article_id)
        if key not in self.order:
            return None
        target = self.order.index(key) + step
        return int(self.order[target]) if 0 <= target < len(self.order) else None

    def next_unread(self, article_id: int | None) -> int | None:
        """The first unread article after this one (or the cursor), going
        round from the top; None when every shown article is read."""
        key = str(article_id) if article_id is not None else self.highlighted_key
        start = self.order.index(key) + 1 if key in self.order else 0
        for key in self.order[start:] + self.order[:start]:
            if not self.rows[key].read and key != str(article_id):
                return int(key)
        return None


def _row_text(row: ArticleRow) -> Text:
    mark = "● " if not row.read else "  "
    text = Text()
    text.append(mark, style="bold green" if row.new else "cyan")
    title_style = ("bold" if not row.read else "") if row.relevant else "dim"
    text.append_text(plain(row.title, title_style))
    text.append("\n  ")
    text.append_text(plain(row.source, "italic dim"))
    stamp = row.published.astimezone().strftime("%d %b %H:%M") if row.published else "undated"
    text.append(f" · {stamp}", style="dim")
    if row.also_in:
        text.append(f" · also in {len(row.also_in)}: ", style="dim")
        text.append_text(plain(outlet_list(row.also_in), "dim"))
    if row.new:
        text.append(" · new", style="bold green")
    return text
