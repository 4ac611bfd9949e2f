"""Textual's Header and Footer on the dashboard and its screens: the title
bar shows the story and the counts, the footer the screen's keys from
keys.py, rebuilt only when they change; and what of Textual's the dashboard
overrides is still what it was written against."""

from __future__ import annotations

import inspect

import pytest
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from briefing.config import load_config
from briefing.store.database import Store
from briefing.tui.app import DashboardScreen
from briefing.tui.keys import KEYS
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.screens.search import SearchScreen
from briefing.tui.widgets.footer import SteadyFooter
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import Workspace, seed_store
from tests.helpers.cli import REPO
from tests.test_tui import _export_text, make_app, ready


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return DashboardWorkspace(load_config(REPO / "feeds.toml"), path)


def shown_in(view: str) -> list[tuple[str, str]]:
    """What a view's footer shows of its keys, in the order of KEYS (each a FooterKey of Textual's)."""
    return [
        key.footer_text or (key.display.split(" / ")[0], key.label) for key in KEYS if key.bind and key.shown_in(view)
    ]


SHOWN = shown_in("dashboard")


def footer_keys(screen: Screen) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (key, label) pairs of the screen's own footer: its keys, and the
    command palette's at the right."""
    footer = screen.query_one(Footer)
    keys = [(k.key_display, k.description) for k in footer.query("FooterKey")]
    palette = [(k.key_display, k.description) for k in footer.query("FooterKey") if k.has_class("-command-palette")]
    return [pair for pair in keys if pair not in palette], palette


async def test_footer_and_bindings_come_from_keys(workspace):
    bound = {b.id: b for b in DashboardScreen.BINDINGS}
    for key in KEYS:
        if key.bind and "dashboard" in key.views:
            assert bound[key.id].key == key.keys and bound[key.id].action == f"app.{key.action}"
            assert bound[key.id].show == key.shown_in("dashboard")
        else:
            assert key.id not in bound
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        keys, palette = footer_keys(app.screen)
        assert keys == SHOWN
        assert palette == [("^p", "palette")]
        # The footer's line on the screen, as drawn (compact: keys set apart
        # by their colours, not by spaces, so compared without spaces).
        line = next(line for line in _export_text(app).splitlines() if "1-4 Panels" in line)
        drawn = "".join(part for pair in SHOWN for part in pair) + "▏^ppalette"
        assert "".join(line.split()) == "".join(drawn.split())
        # A click on a key presses it: "? Help" opens the help.
        help_key = next(k for k in app.screen.query("FooterKey") if k.description == "Help")
        await pilot.click(help_key)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)


async def test_every_screen_shows_its_keys_in_its_own_footer(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        # The search box takes the other keys as text, so the footer leaves them out.
        search_keys = [("Esc", "Back")]
        for keys, screen_type, shown in (
            (("slash",), SearchScreen, search_keys),
            (("4", "enter"), ReaderScreen, shown_in("reader")),
            (("2", "enter"), DetailScreen, shown_in("detail")),
            (("3", "enter"), DetailScreen, shown_in("detail")),
        ):
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


async def test_a_focus_move_between_panels_leaves_the_footer_as_it_is(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        before = list(app.screen.query("FooterKey"))
        assert len(before) == len(SHOWN) + 1
        for key in ("2", "3", "4", "1", "tab", "shift+tab"):
            await pilot.press(key)
            await pilot.pause(0.05)
        assert app.focused.id == "summary"
        # The same key widgets: not rebuilt, since the keys are the same.
        assert list(app.screen.query("FooterKey")) == before
        assert all(a is b for a, b in zip(app.screen.query("FooterKey"), before, strict=False))


async def test_the_footer_follows_its_screens_keys_when_they_change(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tartous")
        results = app.screen.query_one("#search-results")
        for _ in range(40):
            await pilot.pause(0.05)
            if results.option_count:
                break
        # The search box takes the other keys as text; the results do not.
        assert footer_keys(app.screen)[0] == [("Esc", "Back")]
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.focused is results
        assert footer_keys(app.screen)[0] == shown_in("search")
        await pilot.press("shift+tab")
        await pilot.pause(0.2)
        assert footer_keys(app.screen)[0] == [("Esc", "Back")]


def test_the_footer_handler_the_steady_footer_overrides_is_textuals_as_written_against():
    """SteadyFooter skips Footer.bindings_changed when the keys are the same;
    it relies on that being the method the screen's bindings signal calls,
    and on it doing nothing but rebuild (or wait while the app is not focused)."""
    assert issubclass(SteadyFooter, Footer)
    assert inspect.getsource(Footer.on_mount).split("\n", 1)[1].strip() == (
        "self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)"
    )
    body = [line.strip() for line in inspect.getsource(Footer.bindings_changed).splitlines()]
    assert body == [
        "def bindings_changed(self, screen: Screen) -> None:",
        "self._bindings_ready = True",
        "if not screen.app.app_focus:",
        "return",
        "if self.is_attached and screen is self.screen:",
        "self.call_after_refresh(self.recompose)",
    ]


def test_the_focused_declaration_the_dashboard_screen_shadows_is_textuals_as_written_against():
    """DashboardScreen.focused is Textual's Screen.focused with repaint off;
    a Textual that declares it otherwise would be silently overridden."""
    theirs = Screen.__dict__["focused"]
    ours = DashboardScreen.__dict__["focused"]
    assert type(theirs) is Reactive and type(ours) is Reactive
    assert Screen.__annotations__["focused"] == "Reactive[Widget | None]"
    # Textual's declaration, every setting, as when the override was written.
    assert {name: value for name, value in vars(theirs).items() if name != "_owner"} == {
        "_default": None,
        "_layout": False,
        "_repaint": True,
        "_init": False,
        "_always_update": False,
        "_run_compute": True,
        "_recompose": False,
        "_bindings": False,
        "_toggle_class": None,
        "name": "focused",
        "internal_name": "_reactive_focused",
        "compute_name": "compute_focused",
    }
    assert "focused: Reactive[Widget | None] = Reactive(None)\n" in inspect.getsource(Screen)
    # Ours differs in repainting only, and Textual's watcher still runs on it.
    differs = {name for name in vars(theirs) if vars(theirs)[name] != vars(ours).get(name)}
    assert differs == {"_repaint", "_owner"} and ours._repaint is False
    assert DashboardScreen._watch_focused is Screen._watch_focused
