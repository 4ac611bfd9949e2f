"""Textual's Header and Footer on the dashboard and its screens: the title
bar shows the story and the counts, the footer the screen's keys from
keys.py; and the one Textual declaration the dashboard shadows is still the
one it was written against."""

from __future__ import annotations

import inspect

from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.widgets._footer import FooterKey

from briefing.tui.app import BriefingApp, DashboardScreen
from briefing.tui.keys import KEYS
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.screens.search import SearchScreen
from tests.test_tui import _export_text, make_app, ready, workspace  # noqa: F401  (workspace: a fixture)

# What the footer shows for the app's keys, in the order of KEYS.
SHOWN = [key.footer_text or (key.display.split(" / ")[0], key.label) for key in KEYS if key.footer]


def footer_keys(screen: Screen) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (key, label) pairs of the screen's own footer: its keys, and the
    command palette's at the right."""
    footer = screen.query_one(Footer)
    keys = [(k.key_display, k.description) for k in footer.query(FooterKey)]
    palette = [(k.key_display, k.description) for k in footer.query(FooterKey) if k.has_class("-command-palette")]
    return [pair for pair in keys if pair not in palette], palette


async def test_footer_and_bindings_come_from_keys(workspace):
    bound = {b.id: b for b in BriefingApp.BINDINGS}
    for key in KEYS:
        if key.bind:
            assert bound[key.id].key == key.keys and bound[key.id].action == key.action
            assert bound[key.id].show == key.footer
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        keys, palette = footer_keys(app.screen)
        assert keys == SHOWN
        assert palette == [("^p", "palette")]
        # The footer's line on the screen, as drawn.
        line = next(line for line in _export_text(app).splitlines() if "1-4 Panels" in line)
        assert line.split() == [word for pair in SHOWN for word in pair] + ["▏^p", "palette"]
        # A click on a key presses it: "? Help" opens the help.
        help_key = next(k for k in app.screen.query(FooterKey) if k.description == "Help")
        await pilot.click(help_key)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)


async def test_every_screen_shows_its_keys_in_its_own_footer(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        # The search box takes the other keys as text, so the footer leaves them out.
        search_keys = [pair for pair in SHOWN if pair == ("/", "Search")]
        for keys, screen_type, shown in ((("slash",), SearchScreen, search_keys),
                                         (("4", "enter"), ReaderScreen, SHOWN),
                                         (("2", "enter"), DetailScreen, SHOWN),
                                         (("3", "enter"), DetailScreen, SHOWN)):
            await pilot.press(*keys)
            await pilot.pause(0.3)
            assert isinstance(app.screen, screen_type)
            # Its own footer, filled from this screen's bindings.
            assert app.screen.query_one(Footer).screen is app.screen
            assert footer_keys(app.screen) == (shown, [("^p", "palette")])
            await pilot.press("escape")
            await pilot.pause(0.2)
            assert isinstance(app.screen, DashboardScreen)


async def test_the_title_bar_shows_the_story_and_counts_and_its_icon_opens_the_palette(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        line = f"⭘{app.title} — 8 relevant of 8 articles"
        assert line in [line.strip() for line in _export_text(app).splitlines()]
        app.sub_title = "[b]markup[/b] stays text"
        await pilot.pause(0.1)
        assert f"⭘{app.title} — [b]markup[/b] stays text" in [line.strip() for line in _export_text(app).splitlines()]
        await pilot.click(Header, offset=(1, 0))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)


def test_the_focused_declaration_the_dashboard_screen_shadows_is_textuals_as_written_against():
    """DashboardScreen.focused is Textual's Screen.focused with repaint off;
    a Textual that declares it otherwise would be silently overridden."""
    theirs = Screen.__dict__["focused"]
    ours = DashboardScreen.__dict__["focused"]
    assert type(theirs) is Reactive and type(ours) is Reactive
    assert Screen.__annotations__["focused"] == "Reactive[Widget | None]"
    # Textual's declaration, every setting, as when the override was written.
    assert {name: value for name, value in vars(theirs).items() if name != "_owner"} == {
        "_default": None, "_layout": False, "_repaint": True, "_init": False, "_always_update": False,
        "_run_compute": True, "_recompose": False, "_bindings": False, "_toggle_class": None,
        "name": "focused", "internal_name": "_reactive_focused", "compute_name": "compute_focused",
    }
    assert "focused: Reactive[Widget | None] = Reactive(None)\n" in inspect.getsource(Screen)
    # Ours differs in repainting only, and Textual's watcher still runs on it.
    differs = {name for name in vars(theirs) if vars(theirs)[name] != vars(ours).get(name)}
    assert differs == {"_repaint", "_owner"} and ours._repaint is False
    assert DashboardScreen._watch_focused is Screen._watch_focused
