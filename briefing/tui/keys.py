"""Every key the dashboard answers, defined once.

The bindings, the footer, the help screen and the command palette are all
made from KEYS, so they cannot disagree. Widgets' own keys (arrows, Enter in a
list) are listed here too so that help tells the whole truth.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from briefing.record import record

# The views, in the order help lists them: the dashboard, and each screen by
# the name it binds its keys with (bindings(name)). A screen not named here
# binds its keys all the same; help lists it once it is named here.
VIEWS: dict[str, str] = {
    "dashboard": "Dashboard",
    "reader": "Reader (an article)",
    "detail": "Actor and question views",
    "timeline": "Timeline",
    "coverage": "Coverage by outlet",
    "pinned": "Pinned lines and notes",
    "search": "Search",
    "help": "Help",
}
DASHBOARD = "dashboard"
# Every view opened over the dashboard: Esc and q close it.
OPENED: tuple[str, ...] = tuple(name for name in VIEWS if name != DASHBOARD)
# The views with a list or text to move in.
LISTS: tuple[str, ...] = ("dashboard", "reader", "detail", "timeline", "coverage", "pinned", "search", "help")
# The views an article can be chosen in (o, y).
ARTICLES: tuple[str, ...] = ("dashboard", "reader", "detail", "timeline", "pinned", "search")
# The views with lines to pin (p, a).
LINES: tuple[str, ...] = ("dashboard", "reader", "detail", "timeline", "pinned", "search")


@record
class Key:
    id: str
    keys: str  # Textual key names, comma separated
    display: str  # how the key is written for people
    action: str  # the app's action (bindings() makes it "app.<action>")
    label: str  # short, for the footer and the palette title
    help: str  # one line, for the help screen and the palette
    # Shown in the footer: in every view it works in (True), in none
    # (False), or in those named.
    footer: bool | tuple[str, ...] = True
    palette: bool = True
    bind: bool = True  # False: the focused widget handles the key itself
    footer_text: tuple[str, str] | None = None  # (key, label) when the footer says it shorter
    # The views the key works in: "dashboard", and the screens by name
    # ("reader", "detail", "search", ...); each binds bindings(view).
    views: tuple[str, ...] = (DASHBOARD,)

    def shown_in(self, view: str) -> bool:
        """Whether the footer of `view` shows this key."""
        if isinstance(self.footer, bool):
            return self.footer and view in self.views
        return view in self.footer and view in self.views


KEYS: tuple[Key, ...] = (
    # The footer has room for one entry for the four panel keys. From
    # another view they close it and go back to that panel.
    Key(
        "focus-summary",
        "1",
        "1",
        "focus_panel('summary')",
        "Summary",
        "Focus the story summary",
        footer=(DASHBOARD,),
        footer_text=("1-4", "Panels"),
        views=ARTICLES,
    ),
    Key(
        "focus-actors",
        "2",
        "2",
        "focus_panel('actors')",
        "Actors",
        "Focus the key actors",
        footer=False,
        views=ARTICLES,
    ),
    Key(
        "focus-questions",
        "3",
        "3",
        "focus_panel('questions')",
        "Questions",
        "Focus the open questions",
        footer=False,
        views=ARTICLES,
    ),
    Key(
        "focus-feed",
        "4",
        "4",
        "focus_panel('feed')",
        "Feed",
        "Focus the feed of articles",
        footer=False,
        views=ARTICLES,
    ),
    Key(
        "next-panel",
        "tab",
        "Tab",
        "focus_next",
        "Next panel",
        "Move to the next panel (search: between the box and the results)",
        footer=False,
        palette=False,
        views=(DASHBOARD, "search"),
    ),
    Key(
        "previous-panel",
        "shift+tab",
        "Shift+Tab",
        "focus_previous",
        "Previous panel",
        "Move to the previous panel",
        footer=False,
        palette=False,
        views=(DASHBOARD, "search"),
    ),
    Key(
        "down",
        "j",
        "j / ↓",
        "cursor('down')",
        "Down",
        "Move down in the focused list, or scroll down",
        footer=False,
        palette=False,
        views=LISTS,
    ),
    Key(
        "up",
        "k",
        "k / ↑",
        "cursor('up')",
        "Up",
        "Move up in the focused list, or scroll up",
        footer=False,
        palette=False,
        views=LISTS,
    ),
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
        views=LISTS,
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
        views=LISTS,
    ),
    Key(
        "open",
        "enter",
        "Enter",
        "open_selected",
        "Open",
        "Open the selected article, actor, question or summary line",
        footer=False,
        views=(DASHBOARD, "detail", "timeline", "pinned", "search"),
    ),
    Key("back", "escape", "Esc", "back", "Back", "Close this view and go back", views=OPENED),
    Key(
        "close",
        "q",
        "q",
        "back",
        "Close",
        "Close this view and go back (q quits only from the dashboard)",
        footer=False,
        palette=False,
        views=OPENED,
    ),
    Key(
        "search",
        "slash",
        "/",
        "search",
        "Search",
        'Search the cache: words, "exact phrase", OR, -word, prefix*',
        footer=(DASHBOARD,),
        views=(DASHBOARD, "reader", "detail", "timeline", "coverage"),
    ),
    Key("refresh", "r", "r", "refresh", "Refresh", "Fetch every enabled feed now"),
    Key(
        "open-link",
        "o",
        "o",
        "open_link",
        "Open link",
        "Open the selected article's link in a browser (http and https only)",
        footer=("reader", "detail", "search"),
        footer_text=("o", "Open"),
        views=ARTICLES,
    ),
    Key("help", "question_mark", "?", "help", "Help", "Show every key, by view (? again closes it)", views=LISTS),
    Key(
        "palette",
        "ctrl+p",
        "Ctrl+P",
        "command_palette",
        "Palette",
        "Open the command palette",
        footer=False,
        palette=False,
        bind=False,
        views=LISTS,
    ),
    Key("quit", "q", "q", "quit", "Quit", "Quit briefing (elsewhere q closes the open view)"),
    # Reading habits, as in newsboat: N toggles an article's read mark, A
    # marks everything read, n goes to the next unread article, J / K to the
    # next / previous article from the reader; F filters the feed (newsboat's
    # F sets a filter) to the articles relevant to the story.
    Key(
        "toggle-read",
        "N",
        "N",
        "toggle_read",
        "Read / unread",
        "Mark the article read, or unread again",
        footer=("reader",),
        footer_text=("N", "Read/unread"),
        views=(DASHBOARD, "reader"),
    ),
    Key(
        "mark-all-read",
        "A",
        "A",
        "mark_all_read",
        "Mark all read",
        "Mark every cached article read",
        footer=False,
        views=(DASHBOARD,),
    ),
    Key(
        "next-unread",
        "n",
        "n",
        "next_unread",
        "Next unread",
        "Go to the next unread article in the feed (in the reader: open it)",
        footer=False,  # the footers have no room left at 80 columns
        views=(DASHBOARD, "reader"),
    ),
    Key(
        "next-article",
        "J",
        "J",
        "next_article(1)",
        "Next article",
        "Open the next article of the feed",
        footer_text=("J/K", "Next/prev"),
        views=("reader",),
    ),
    Key(
        "previous-article",
        "K",
        "K",
        "next_article(-1)",
        "Previous article",
        "Open the previous article of the feed",
        footer=False,
        views=("reader",),
    ),
    Key(
        "relevant-only",
        "F",
        "F",
        "relevant_only",
        "Relevant only",
        "Show only the articles relevant to the story in the feed, or all again",
        footer=False,  # the dashboard's footer has t and c instead, at 80 columns
        views=(DASHBOARD,),
    ),
    # Links: where no browser can start (over SSH), copy the link instead.
    Key(
        "copy-link",
        "y",
        "y",
        "copy_link",
        "Copy link",
        "Copy the selected article's link to the clipboard (OSC 52: works over SSH)",
        footer=("reader", "detail", "search"),
        footer_text=("y", "Copy"),
        views=ARTICLES,
    ),
    # Marks: the analyst's pins and notes.
    Key(
        "pin",
        "p",
        "p",
        "toggle_pin",
        "Pin",
        "Pin or unpin the selected line or article",
        footer=("pinned", "timeline"),
        views=LINES,
    ),
    Key(
        "note",
        "a",
        "a",
        "annotate",
        "Note",
        "Write a note on the selected article or line (the line is pinned)",
        footer=("pinned",),
        views=LINES,
    ),
    Key(
        "pinned",
        "P",
        "P",
        "show_pinned",
        "Pinned",
        "Show the pinned lines and notes; Enter opens the article",
        footer=False,
        views=(DASHBOARD, "reader", "detail", "timeline", "coverage", "search"),
    ),
    # Full article text: one article's page fetched now.
    Key(
        "full-text",
        "f",
        "f",
        "fetch_full_text",
        "Full text",
        "Fetch the open or selected article's full text from its page",
        footer=False,
        views=(DASHBOARD, "reader"),
    ),
    # The whole briefing on screen: the timeline and coverage views, and
    # citations that open at their sentence and step through their list.
    Key(
        "timeline",
        "t",
        "t",
        "timeline",
        "Timeline",
        "Timeline: the story's volume a day, then its dated events",
        footer=(DASHBOARD, "coverage"),
        views=(DASHBOARD, "reader", "detail", "coverage", "pinned"),
    ),
    Key(
        "coverage",
        "c",
        "c",
        "coverage",
        "Coverage",
        "Coverage by outlet: articles, evidence on each question, quotes",
        footer=(DASHBOARD, "timeline"),
        views=(DASHBOARD, "reader", "detail", "timeline", "pinned"),
    ),
    Key(
        "next-item",
        "right_square_bracket",
        "]",
        "step(1)",
        "Next item",
        "Reader: the next line of the list it was opened from",
        footer=False,
        views=("reader",),
    ),
    Key(
        "previous-item",
        "left_square_bracket",
        "[",
        "step(-1)",
        "Previous item",
        "Reader: the previous line of the list it was opened from",
        footer=False,
        views=("reader",),
    ),
    Key(
        "next-copy",
        "v",
        "v",
        "next_copy",
        "Next copy",
        "Reader: the next outlet's copy of a line several carried",
        footer=False,
        views=("reader",),
    ),
    # The story grows from the dashboard: a name from "also mentioned" (in the
    # actors panel or its own view) added, aliased or ignored; a keyword or a
    # question added. Both write the story file, keeping its comments.
    Key(
        "add-name",
        "plus",
        "+",
        "add_name",
        "Add name",
        'Add an "also mentioned" name to the story: actor, alias or ignored',
        footer=False,  # room in an 80-column footer; the name's view and help say it
        views=("dashboard", "detail"),
    ),
    Key(
        "add-to-story",
        "E",
        "E",
        "add_to_story",
        "Add to story",
        "Add a keyword or an open question to the story file",
        footer=False,
        views=("dashboard", "detail"),
    ),
)


def bindings(view: str = DASHBOARD) -> list[BindingType]:
    """The bindings of one view, made from KEYS. Every action is the app's:
    a screen binds these, and the app answers them for whatever view is open."""
    made: list[BindingType] = []
    for k in KEYS:
        if k.bind and view in k.views:
            shown_key, shown_label = k.footer_text or (k.display.split(" / ")[0], k.label)
            action = f"app.{k.action}"
            made.append(Binding(k.keys, action, shown_label, show=k.shown_in(view), key_display=shown_key, id=k.id))
    return made


def view_keys(view: str) -> list[Key]:
    """The keys that work in one view, in the order of KEYS."""
    return [k for k in KEYS if view in k.views]


def view_of(screen: object) -> str:
    """The view a screen is: its `view`, else the dashboard's."""
    return getattr(screen, "view", DASHBOARD)


def key(key_id: str) -> Key:
    return next(k for k in KEYS if k.id == key_id)
