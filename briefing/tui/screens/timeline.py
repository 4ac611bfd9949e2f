"""`t`: the story's rise and fall (relevant articles and outlets a day, as
sparklines over the dated range), then its dated events in order, each with
its source and its date as precise as the text gave it; Enter opens an
event's article at its sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from briefing.model import Briefing, DayVolume, Pin, TimelineEvent, shown_date
from briefing.text.plural import count
from briefing.tui.citations import Trail, event_target
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, plain
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.pin_lines import timeline_line
from briefing.tui.widgets.footer import SteadyFooter

# Days without an article are drawn as zero between the first and the last;
# a range longer than this (a stray date years off) is drawn by its dated days only.
FILL_DAYS_MAX = 3_660


def day_series(volume: tuple[DayVolume, ...]) -> list[DayVolume]:
    """The volume a day in date order, each missing day between the first
    and the last as zero, so the chart's width is time."""
    days = sorted(volume, key=lambda v: v.day)
    if len(days) < 2:
        return days
    first, last = days[0].day.astimezone(UTC).date(), days[-1].day.astimezone(UTC).date()
    span = (last - first).days
    if span > FILL_DAYS_MAX:
        return days
    by_date = {v.day.astimezone(UTC).date(): v for v in days}
    filled = []
    for offset in range(span + 1):
        date = first + timedelta(days=offset)
        filled.append(by_date.get(date) or DayVolume(datetime(date.year, date.month, date.day, tzinfo=UTC), 0, 0))
    return filled


def _peak(series: list[DayVolume], count: str) -> str:
    best = max(series, key=lambda v: getattr(v, count))
    return f"peak {getattr(best, count)} on {shown_date(best.day)}"


class TimelineScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "timeline"
    BINDINGS = bindings("timeline")

    def __init__(self, briefing: Briefing) -> None:
        super().__init__()
        self.events: tuple[TimelineEvent, ...] = tuple(sorted(briefing.timeline, key=lambda e: (e.when, e.article_id)))
        self.series = day_series(briefing.volume)
        self.trail = Trail("Timeline", tuple(event_target(e) for e in self.events))

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline"):
            yield Static(self._head(), id="timeline-head")
            if self.series:
                yield Static(self._label("articles", "Relevant articles a day"), id="volume-articles-label")
                yield Sparkline([v.articles for v in self.series], id="volume-articles")
                yield Static(self._label("outlets", "Outlets a day"), id="volume-outlets-label")
                yield Sparkline([v.outlets for v in self.series], id="volume-outlets")
            yield OptionList(*self._options(), id="timeline-events")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#timeline-events").focus()

    def _head(self) -> Text:
        head = Text("Timeline", style="bold")
        head.append(f" · {count(len(self.events), 'dated event')}", style="dim")
        if self.series:
            first, last = self.series[0], self.series[-1]
            total = sum(v.articles for v in self.series)
            head.append(
                f"\n{shown_date(first.day)} to {shown_date(last.day)}: {count(total, 'relevant article')}",
                style="dim",
            )
        else:
            head.append("\nNo dated relevant articles yet: no volume to chart.", style="dim")
        return head

    def _label(self, count: str, words: str) -> Text:
        label = Text(words, style="bold")
        label.append(f" ({_peak(self.series, count)})", style="dim")
        return label

    def _options(self) -> list[Option]:
        if not self.events:
            empty = Text("No dated events in the relevant articles yet.", style="dim")
            return [Option(empty, id="none", disabled=True)]
        options = []
        for index, event in enumerate(self.events):
            block = Text(shown_date(event.when, event.precision), style="bold")
            block.append("  ")
            block.append_text(plain(event.text, limit=SENTENCE_MAX))
            block.append("\n")
            block.append_text(plain(event.source, "dim italic", limit=NAME_MAX))
            if len(event.copies) > 1:
                block.append(f" · {len(event.copies)} copies", style="dim italic")
            options.append(Option(block, id=f"t{index}:{event.article_id}"))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("t") and ":" in option_id:
            index = int(option_id[1:].split(":", 1)[0])
            self.post_message(OpenArticle(self.events[index].article_id, self.trail, index, choose=True))

    def selected_article(self) -> int | None:
        event = self._selected_event()
        return event.article_id if event else None

    def selected_line(self) -> Pin | None:
        event = self._selected_event()
        return timeline_line(event) if event else None

    def _selected_event(self) -> TimelineEvent | None:
        widget = self.query_one("#timeline-events", OptionList)
        if widget.highlighted is None or not self.events:
            return None
        return self.events[widget.highlighted]
