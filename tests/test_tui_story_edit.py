"""The story grows from the dashboard, driven with Pilot: `+` on a name from
"also mentioned" (in the actors panel or in its own view) adds it to the
story file as an actor, as an actor's alias, or to the names never proposed
again; `E` adds a keyword or an open question. The file keeps its comments,
is not written when it changed on disk since it was read, the bundled file
is never edited, and the briefing is rebuilt for the new story."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Select

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.paths import bundled_config
from briefing.store.database import Store
from briefing.tui.app import ADD_NAME_ELSEWHERE
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.story_edit import AddNameScreen, AddToStoryScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from tests.helpers.citing import day, flat_text, panel_lines, screen_text, squeeze
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import briefing_shown, until

SIZE = (110, 44)

# A story of our own: a late frost in an invented fruit-growing valley.
STORY = """\
# The Brennholt orchard frost: kept by hand, with notes.
[story]
id = "brennholt-frost"
title = "Late frost in the Brennholt orchards"
keywords = ["Brennholt", "frost", "orchard"]  # the valley and the damage

# Who matters so far.
[[story.actors]]
name = "Growers' Cooperative"
aliases = ["the cooperative"]
kind = "organization"
role = "the valley's fruit growers"

# What we want to know.
[[story.questions]]
id = "harvest"
title = "How much of the harvest is lost?"
terms = ["harvest", "lost", "blossom"]

# Where the news comes from (none fetched in these tests).
[[feeds]]
name = "Valley Post"
url = "https://valley.example/feed.xml"
"""

ARTICLES = (
    ParsedArticle(
        "frost-1",
        "Frost hits Brennholt orchards",
        "Valley Post",
        "https://valley.example/frost-1",
        day(2, 4),
        "A hard frost settled on the Brennholt orchards overnight and blackened the apple blossom. "
        "Marta Quell, who chairs the Growers' Cooperative, said half the harvest could be lost. "
        "Marta Quell walked the rows at dawn with the cooperative's inspectors. "
        "The Brennholt Weather Office said the frost was the latest in forty years.",
    ),
    ParsedArticle(
        "frost-2",
        "Growers count the damage",
        "Orchard Weekly",
        "https://weekly.example/frost-2",
        day(4, 4),
        "Growers in Brennholt counted frost damage in every orchard on Tuesday. "
        "Marta Quell asked the regional council for help with the lost harvest. "
        "Jorund Ask, a cherry grower, said his blossom was gone. "
        "Marta Quell said the cooperative would meet on Friday.",
    ),
    ParsedArticle(
        "frost-3",
        "Council weighs frost aid",
        "Valley Post",
        "https://valley.example/frost-3",
        day(6, 4),
        "The council met in Brennholt to weigh aid for orchard owners after the frost. "
        "Marta Quell told the council the harvest would be a third of last year's. "
        "Jorund Ask said smaller growers could not wait until autumn. "
        "The Valley Fruit Cooperative, as the growers' body calls itself in its letters, asked for a loan. "
        "A spokesman for the Valley Fruit Cooperative said the blossom was lost on two slopes.",
    ),
)


@pytest.fixture
def story(tmp_path: Path) -> tuple[Path, Path]:
    """The story file and a store holding the three articles."""
    config = tmp_path / "frost.toml"
    config.write_text(STORY, encoding="utf-8")
    store = tmp_path / "store.db"
    with Store(store) as opened:
        opened.upsert_articles(ARTICLES)
    return config, store


def dashboard(config: Path, store: Path):
    return recording_app(DashboardWorkspace(load_config(config), store))


def inserted(old: str, new: str) -> list[str]:
    """The lines an edit added, asserting that every old line is still
    there, unchanged and in order, and that the added lines are one block."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert len(changes) == 1 and changes[0][0] == "insert", changes
    _, _, _, first, last = changes[0]
    return [line for line in new.splitlines()[first:last] if line]


def listed(app) -> list[str]:
    return [actor.name for actor in app.briefing.actors]


def others(app) -> list[str]:
    return [actor.name for actor in app.briefing.others]


async def select_name(pilot, name: str) -> None:
    """The actors panel focused, its cursor on `name`."""
    app = pilot.app
    await pilot.press("2", "home")
    panel = app.query_one("#actors")
    for _ in range(len(panel.actors) + 2):
        selected = panel.selected_actor()
        if selected is not None and selected.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} is not in the actors panel")


async def open_add_name(pilot, name: str) -> AddNameScreen:
    await select_name(pilot, name)
    await pilot.press("plus")
    await until(pilot, lambda: isinstance(pilot.app.screen, AddNameScreen), what="the form for a name")
    return pilot.app.screen


async def saved(pilot, notices: int, what: str) -> str:
    """The edit's notice (the `notices`th and first one after it) shown,
    and the briefing rebuilt when it was saved."""
    app = pilot.app
    await until(pilot, lambda: len(app.notices) > notices, what=f"the notice for {what}")
    await briefing_shown(pilot)
    return app.notices[notices]


async def test_plus_on_an_other_name_adds_it_as_an_actor_and_the_panel_lists_it(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        assert "Marta Quell" in others(app) and "Marta Quell" not in listed(app)
        form = await open_add_name(pilot, "Marta Quell")
        text = screen_text(app)
        assert "Add to the story: Marta Quell" in text
        assert "Kind (proposed from the text)" in text
        assert form.query_one("#edit-kind", Select).value == "person"  # proposed: two words, no organisation word
        form.query_one("#edit-role", Input).value = "chairs the Growers' Cooperative"
        form.query_one("#edit-aliases", Input).value = "Quell"
        before = len(app.notices)
        await pilot.click("#as-actor")
        notice = await saved(pilot, before, "the actor")
        await until(pilot, lambda: "Marta Quell" in listed(app), what="Marta Quell among the actors")

        assert notice == f"Added “Marta Quell” to the story's actors in {config}."
        assert inserted(STORY, config.read_text(encoding="utf-8")) == [
            "[[story.actors]]",
            'name = "Marta Quell"',
            'aliases = ["Quell"]',
            'kind = "person"',
            'role = "chairs the Growers\' Cooperative"',
        ]
        assert "Marta Quell" not in others(app)
        assert app.core.config.path == config
        assert [a.name for a in app.core.config.story.actors] == ["Growers' Cooperative", "Marta Quell"]
        # Listed among the actors, above the names the story file does not list.
        rows = [squeeze(line) for line in panel_lines(app, "actors")]
        heading = next(i for i, row in enumerate(rows) if row.startswith("Also mentioned"))
        quell = next(i for i, row in enumerate(rows) if "Marta Quell" in row)
        assert quell < heading
        assert "chairs the Growers' Cooperative" in rows[quell]
        assert not any("Marta Quell" in row for row in rows[heading:])


async def test_plus_adds_a_name_as_an_alias_of_an_actor_and_it_leaves_the_others(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        guild_mentions = app.briefing.actors[0].mentions
        form = await open_add_name(pilot, "Valley Fruit Cooperative")
        assert form.query_one("#edit-kind", Select).value == "organization"
        form.query_one("#edit-actor", Select).value = "Growers' Cooperative"
        before = len(app.notices)
        await pilot.click("#as-alias")
        notice = await saved(pilot, before, "the alias")
        await until(pilot, lambda: "Valley Fruit Cooperative" not in others(app), what="the name gone from the others")

        assert notice == f"Added “Valley Fruit Cooperative” as another name of “Growers' Cooperative” in {config}."
        new = config.read_text(encoding="utf-8")
        assert 'aliases = ["the cooperative", "Valley Fruit Cooperative"]' in new
        assert new.replace(', "Valley Fruit Cooperative"', "") == STORY  # nothing else moved
        # Its mentions are the actor's now.
        assert app.briefing.actors[0].mentions == guild_mentions + 2
        assert not any("Valley Fruit" in line for line in panel_lines(app, "actors"))


async def test_plus_ignores_a_name_and_it_is_no_longer_proposed(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await open_add_name(pilot, "Jorund Ask")
        before = len(app.notices)
        await pilot.click("#as-ignored")
        notice = await saved(pilot, before, "the ignored name")
        await until(pilot, lambda: "Jorund Ask" not in others(app), what="the name gone from the others")

        assert notice == f"“Jorund Ask” will not be proposed again: ignored in {config}."
        assert inserted(STORY, config.read_text(encoding="utf-8")) == ['ignore = ["Jorund Ask"]']
        assert app.core.config.story.ignore == ("Jorund Ask",)
        assert "Jorund Ask" not in listed(app)
        assert not any("Jorund Ask" in line for line in panel_lines(app, "actors"))
        assert "Marta Quell" in others(app)  # the rest are still proposed


async def test_plus_in_a_names_own_view_opens_the_form_and_esc_writes_nothing(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await select_name(pilot, "Marta Quell")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), what="the name's view")
        assert "not in the story file · + adds it" in screen_text(app)
        await pilot.press("plus")
        await until(pilot, lambda: isinstance(app.screen, AddNameScreen), what="the form for a name")
        assert "Add to the story: Marta Quell" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), what="back in the name's view")
        await pilot.pause()
        assert config.read_text(encoding="utf-8") == STORY
        assert not [w for w in app.workers if w.group == "story"]


async def test_plus_elsewhere_says_what_it_does(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await select_name(pilot, "Growers' Cooperative")
        await pilot.press("plus")
        await pilot.pause()
        assert app.notices[-1] == f"Growers' Cooperative is already in the story. {ADD_NAME_ELSEWHERE}"
        assert not isinstance(app.screen, AddNameScreen)
        await pilot.press("4", "plus")  # the feed
        await pilot.pause()
        assert app.notices[-1] == ADD_NAME_ELSEWHERE
        assert "\n" not in ADD_NAME_ELSEWHERE
        assert "+ adds a name from" in flat_text(app)
        assert config.read_text(encoding="utf-8") == STORY


async def test_e_adds_a_keyword_then_a_question_that_the_questions_panel_shows(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form")
        assert "Add to the story" in screen_text(app)
        before = len(app.notices)
        await pilot.press(*"apple", "enter")  # typed into the keyword box, which has focus
        notice = await saved(pilot, before, "the keyword")
        assert notice == f"Added the keyword “apple” in {config}."
        after_keyword = config.read_text(encoding="utf-8")
        # Only the list changed; its line keeps its comment.
        assert after_keyword == STORY.replace('"orchard"]', '"orchard", "apple"]')
        assert 'keywords = ["Brennholt", "frost", "orchard", "apple"]  # the valley and the damage' in after_keyword
        await until(pilot, lambda: "apple" in app.core.config.story.keywords, what="the keyword followed")

        # A second edit in the same session: the editor knows the file it wrote.
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form again")
        app.screen.query_one("#edit-question", Input).value = "Will the council pay for the frost?"
        app.screen.query_one("#edit-terms", Input).value = "aid, loan, council"
        app.screen.query_one("#edit-terms", Input).focus()
        before = len(app.notices)
        await pilot.press("enter")
        notice = await saved(pilot, before, "the question")
        assert notice == f"Added the question “Will the council pay for the frost?” in {config}."
        assert inserted(after_keyword, config.read_text(encoding="utf-8")) == [
            "[[story.questions]]",
            'id = "will-the-council-pay-for-the-frost"',
            'title = "Will the council pay for the frost?"',
            'terms = ["aid", "loan", "council"]',
        ]
        await until(
            pilot,
            lambda: any(q.title == "Will the council pay for the frost?" for q in app.briefing.questions),
            what="the new question in the briefing",
        )
        assert any("Will the council pay for the frost?" in line for line in panel_lines(app, "questions"))
        assert "Will the council pay for the frost?" in flat_text(app)


async def test_an_invalid_edit_is_told_and_nothing_is_written(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form")
        app.screen.query_one("#edit-question", Input).value = "Is the frost over?"
        before = len(app.notices)
        await pilot.click("#as-question")  # no terms
        await until(pilot, lambda: len(app.notices) > before, what="the refusal")
        assert app.notices[before] == "Not saved: a question needs at least one term to find its evidence by"
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form again")
        await pilot.press(*"frost", "enter")  # already a keyword
        await until(pilot, lambda: len(app.notices) > before + 1, what="the second refusal")
        assert app.notices[before + 1] == "Not saved: 'frost' is already a keyword"
        assert config.read_text(encoding="utf-8") == STORY
        assert app.core.config.story.keywords == ("Brennholt", "frost", "orchard")


async def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        # Another editor changes the file while the dashboard is open.
        elsewhere = STORY.replace('keywords = ["Brennholt", "frost", "orchard"]', 'keywords = ["Brennholt", "hail"]')
        config.write_text(elsewhere, encoding="utf-8")
        await select_name(pilot, "Jorund Ask")
        await pilot.press("plus")
        await until(pilot, lambda: isinstance(app.screen, AddNameScreen), what="the form for a name")
        before = len(app.notices)
        await pilot.click("#as-ignored")
        await until(pilot, lambda: len(app.notices) > before, what="the refusal")
        notice = app.notices[before]
        assert notice == (
            f"{config} changed on disk since briefing read it; not saved. Restart briefing to read it again"
        )
        assert "\n" not in notice
        assert config.read_text(encoding="utf-8") == elsewhere
        shown = squeeze(re.sub(r"[│▌]", " ", screen_text(app)))  # the notice, wrapped in its toast
        assert "changed on disk since briefing read it; not saved." in shown
        assert app.core.config.story.ignore == ()
        assert "Jorund Ask" in others(app)


async def test_the_bundled_file_is_copied_to_the_users_folder_on_the_first_edit_and_never_edited(
    story, tmp_path, monkeypatch
):
    _, store = story
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user_file = tmp_path / "xdg" / "briefing" / "feeds.toml"
    bundled = bundled_config()
    bundled_bytes = bundled.read_bytes()
    app = dashboard(bundled, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form")
        await pilot.press(*"orchard", "enter")
        notice = await saved(pilot, 0, "the keyword")
        assert notice == (
            f"Added the keyword “orchard” in {user_file}. First edit: the bundled feeds.toml was copied to "
            f"{user_file} (the bundled file is never edited), and briefing reads the copy from now on."
        )
        assert bundled.read_bytes() == bundled_bytes
        copied = user_file.read_text(encoding="utf-8")
        assert inserted(bundled_bytes.decode("utf-8"), copied) == [
            next(line for line in copied.splitlines() if '"orchard"' in line)
        ]
        assert app.core.config.path == user_file

        # The next edit goes to the copy, which the session now reads.
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form again")
        await pilot.press(*"blossom", "enter")
        notice = await saved(pilot, 1, "the second keyword")
        assert notice == f"Added the keyword “blossom” in {user_file}."
        assert bundled.read_bytes() == bundled_bytes
        assert load_config(user_file).story.keywords[-2:] == ("orchard", "blossom")


async def test_both_keys_are_in_help_and_the_palette(story):
    config, store = story
    app = dashboard(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Add name", "Add to story"} <= titles
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        text = flat_text(app)
        assert 'Add an "also mentioned" name to the story' in text
        assert "Add a keyword or an open question to the story file" in text
        # The palette runs it as the key does.
        await pilot.press("escape", "ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Add to story")
        results = app.screen.query_one(CommandList)
        await until(pilot, lambda: results.option_count > 0, what="the palette's matches")
        assert "Add to story" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AddToStoryScreen), what="the form from the palette")
