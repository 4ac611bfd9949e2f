"""Every key the dashboard answers, defined once.

The bindings, the footer, the help screen and the command palette are all
made from KEYS, so they cannot disagree. Widgets' own keys (arrows, Enter in a
list) are listed here too so that help tells the whole truth.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from briefing.record import record


@record
class Key:
    id: str
    keys: str  # Textual key names, comma separated
    display: str  # how the key is written for people
    action: str
    label: str  # short, for the footer and the palette title
    help: str  # one line, for the help screen and the palette
    footer: bool = True
    palette: bool = True
    bind: bool = True  # False: the focused widget handles the key itself
    footer_text: tuple[str, str] | None = None  # (key, label) when the footer says it shorter
    # The views the key works in: "dashboard", and the screens by name
    # ("reader", "detail", "search", ...); each binds bindings(view).
    views: tuple[str, ...] = ("dashboard",)


KEYS: tuple[Key, ...] = (
    # The footer has room for one entry for the four panel keys.
    Key(
        "focus-summary",
        "1",
        "1",
        "focus_panel('summary')",
        "Summary",
        "Focus the story summary",
        footer_text=("1-4", "Panels"),
    ),
    Key("focus-actors", "2", "2", "focus_panel('actors')", "Actors", "Focus the key actors", footer=False),
    Key("focus-questions", "3", "3", "focus_panel('questions')", "Questions", "Focus the open questions", footer=False),
    Key("focus-feed", "4", "4", "focus_panel('feed')", "Feed", "Focus the feed of articles", footer=False),
    Key(
        "next-panel",
        "tab",
        "Tab",
        "app.focus_next",
        "Next panel",
        "Move to the next panel",
        footer=False,
        palette=False,
    ),
    Key(
        "previous-panel",
        "shift+tab",
        "Shift+Tab",
        "app.focus_previous",
        "Previous panel",
        "Move to the previous panel",
        footer=False,
        palette=False,
    ),
    Key("down", "j", "j / ↓", "cursor('down')", "Down", "Move down in the focused list", footer=False, palette=False),
    Key("up", "k", "k / ↑", "cursor('up')", "Up", "Move up in the focused list", footer=False, palette=False),
    # The lists' own keys (RowList binds them): listed for help and the README.
    Key(
        "page",
        "pageup,pagedown",
        "PgUp / PgDn",
        "",
        "Page",
        "Move a page up / down in the focused list",
        footer=False,
        palette=False,
        bind=False,
    ),
    Key(
        "ends",
        "home,end",
        "Home / End",
        "",
        "First / last",
        "Move to the first / last row of the focused list",
        footer=False,
        palette=False,
        bind=False,
    ),
    Key(
        "open",
        "enter",
        "Enter",
        "open_selected",
        "Open",
        "Open the selected article, actor, question or summary line",
        footer=False,
    ),
    Key("back", "escape", "Esc", "back", "Back", "Close the open view and go back", footer=False),
    Key("search", "slash", "/", "search", "Search", 'Search the cache: words, "exact phrase", OR, -word, prefix*'),
    Key("refresh", "r", "r", "refresh", "Refresh", "Fetch every enabled feed now"),
    Key(
        "open-link",
        "o",
        "o",
        "open_link",
        "Open link",
        "Open the selected article's link in a browser (http and https only)",
        footer=False,
    ),
    # Marks: the analyst's pins and notes (app actions, so they work from any view).
    Key(
        "pin",
        "p",
        "p",
        "app.toggle_pin",
        "Pin",
        "Pin or unpin the selected line or article",
        views=("dashboard", "reader", "detail", "search", "timeline", "pinned"),
    ),
    Key(
        "note",
        "a",
        "a",
        "app.annotate",
        "Note",
        "Write a note on the selected article or line (the line is pinned)",
        footer=False,  # room in an 80-column footer; help, the palette and the pinned view's heading say it
        views=("dashboard", "reader", "detail", "search", "timeline", "pinned"),
    ),
    Key(
        "pinned",
        "P",
        "P",
        "app.show_pinned",
        "Pinned",
        "Show the pinned lines and notes; Enter opens the article",
        views=("dashboard", "reader", "detail", "search", "timeline"),
    ),
    # Full article text: one article's page fetched now.
    Key(
        "full-text",
        "f",
        "f",
        "app.fetch_full_text",
        "Full text",
        "Fetch the open or selected article's full text from its page",
        footer=False,
        views=("reader", "dashboard"),
    ),
    Key("help", "question_mark", "?", "help", "Help", "Show every key"),
    Key(
        "palette",
        "ctrl+p",
        "Ctrl+P",
        "app.command_palette",
        "Palette",
        "Open the command palette",
        footer=False,
        palette=False,
        bind=False,
    ),
    Key("quit", "q", "q", "quit", "Quit", "Quit briefing"),
    # The whole briefing on screen: the timeline and coverage views, and
    # citations that open at their sentence and step through their list.
    Key(
        "timeline",
        "t",
        "t",
        "app.timeline",
        "Timeline",
        "Timeline: the story's volume a day, then its dated events",
        views=("dashboard", "reader", "detail", "coverage"),
    ),
    Key(
        "coverage",
        "c",
        "c",
        "app.coverage",
        "Coverage",
        "Coverage by outlet: articles, evidence on each question, quotes",
        views=("dashboard", "reader", "detail", "timeline"),
    ),
    Key(
        "next-item",
        "right_square_bracket",
        "]",
        "step(1)",
        "Next item",
        "Reader: the next line of the list it was opened from",
        views=("reader",),
    ),
    Key(
        "previous-item",
        "left_square_bracket",
        "[",
        "step(-1)",
        "Previous item",
        "Reader: the previous line of the list it was opened from",
        views=("reader",),
    ),
    Key(
        "next-copy",
        "v",
        "v",
        "next_copy",
        "Next copy",
        "Reader: the next outlet's copy of a line several carried",
        views=("reader",),
    ),
    # The story grows from the dashboard: a name from "also mentioned" (in the
    # actors panel or its own view) added, aliased or ignored; a keyword or a
    # question added. Both write the story file, keeping its comments.
    Key(
        "add-name",
        "plus",
        "+",
        "app.add_name",
        "Add name",
        'Add an "also mentioned" name to the story: actor, alias or ignored',
        footer=False,  # room in an 80-column footer; the name's view and help say it
        views=("dashboard", "detail"),
    ),
    Key(
        "add-to-story",
        "E",
        "E",
        "app.add_to_story",
        "Add to story",
        "Add a keyword or an open question to the story file",
        footer=False,
        views=("dashboard", "detail"),
    ),
)


def bindings(view: str = "dashboard") -> list[BindingType]:
    """The bindings of one view, made from KEYS."""
    made: list[BindingType] = []
    for k in KEYS:
        if k.bind and view in k.views:
            shown_key, shown_label = k.footer_text or (k.display.split(" / ")[0], k.label)
            made.append(Binding(k.keys, k.action, shown_label, show=k.footer, key_display=shown_key, id=k.id))
    return made


def key(key_id: str) -> Key:
    return next(k for k in KEYS if k.id == key_id)
