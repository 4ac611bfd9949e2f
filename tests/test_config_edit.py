"""Story edits made from the dashboard (briefing/config_edit.py): the file's
comments and layout are kept outside the edit, the new file is checked
before it is written, a file changed on disk is not overwritten, and the
bundled feeds.toml is never edited."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.config_edit import ConfigEditError, StoryEditor
from briefing.paths import bundled_config

STORY = """\
# Our harbour story: edited by hand, comments must stay.
[story]
id = "halvik-strike"   # kept stable
title = "Dock workers strike at Halvik"
keywords = [
    "Halvik",  # the port
    "strike",
]

# --- actors ---------------------------------------------------------
[[story.actors]]
name = "Ilse Varnholt"
kind = "person"
role = "head of the port authority"

[[story.actors]]
name = "Dockers' Union"
aliases = ["the union"]
kind = "group"

# --- questions ------------------------------------------------------
# Each question gathers the sentences that bear on it.
[[story.questions]]
id = "wages"
title = "Will the wage offer be accepted?"
terms = ["wage", "offer"]

# --- feeds ----------------------------------------------------------
[[feeds]]
name = "Harbour Gazette"
url = "https://harbour.example/feed.xml"
"""


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(STORY, encoding="utf-8")
    return path


def _only_inserted(old: str, new: str) -> list[str]:
    """The lines the edit added, asserting that every old line is still
    there, unchanged and in order, and that the added lines are one block."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert len(changes) == 1 and changes[0][0] == "insert", changes
    _, _, _, first, last = changes[0]
    return new.splitlines()[first:last]


def test_an_actor_is_added_after_the_last_actor_and_nothing_else_moves(story_file: Path) -> None:
    editor = StoryEditor(load_config(story_file))
    edited = editor.add_actor("Tomas Brekke", "person", "the union's spokesman", ("Brekke",))
    new = story_file.read_text(encoding="utf-8")
    added = _only_inserted(STORY, new)
    assert [line for line in added if line] == [
        "[[story.actors]]",
        'name = "Tomas Brekke"',
        'aliases = ["Brekke"]',
        'kind = "person"',
        'role = "the union\'s spokesman"',
    ]
    # After the union's table, before the questions' comments.
    assert new.index("Tomas Brekke") < new.index("# --- questions")
    assert [a.name for a in edited.config.story.actors][-1] == "Tomas Brekke"
    assert load_config(story_file).story.actors[-1].aliases == ("Brekke",)


def test_keyword_question_and_ignore_are_added_in_place(story_file: Path) -> None:
    editor = StoryEditor(load_config(story_file))
    editor.add_keyword("lockout")
    editor.ignore_name("Harbour Gazette")
    editor.add_question("Will the ferries run?", ("ferry", "sailings"))
    new = story_file.read_text(encoding="utf-8")
    matcher = difflib.SequenceMatcher(a=STORY.splitlines(), b=new.splitlines(), autojunk=False)
    assert all(op[0] in ("equal", "insert") for op in matcher.get_opcodes())
    config = load_config(story_file)
    assert config.story.keywords == ("Halvik", "strike", "lockout")
    assert config.story.ignore == ("Harbour Gazette",)
    assert config.story.questions[-1].id == "will-the-ferries-run"
    assert config.story.questions[-1].terms == ("ferry", "sailings")
    # Every comment of the hand-written file is still there.
    comments = [line for line in STORY.splitlines() if "#" in line]
    assert all(line in new.splitlines() for line in comments)


def test_an_alias_changes_only_its_actors_line(story_file: Path) -> None:
    StoryEditor(load_config(story_file)).add_alias("Dockers' Union", "DU")
    new = story_file.read_text(encoding="utf-8")
    diff = [line for line in difflib.ndiff(STORY.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert diff == ['- aliases = ["the union"]', '+ aliases = ["the union", "DU"]']
    StoryEditor(load_config(story_file)).add_alias("Ilse Varnholt", "Varnholt")
    assert load_config(story_file).story.actors[0].aliases == ("Varnholt",)


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(story_file: Path) -> None:
    editor = StoryEditor(load_config(story_file))
    by_hand = STORY.replace('"strike",', '"strike",\n    "walkout",')
    story_file.write_text(by_hand, encoding="utf-8")
    with pytest.raises(ConfigEditError) as caught:
        editor.add_keyword("lockout")
    assert "changed on disk" in str(caught.value) and str(story_file) in str(caught.value)
    assert story_file.read_text(encoding="utf-8") == by_hand


def test_edits_in_a_row_each_see_the_last(story_file: Path) -> None:
    editor = StoryEditor(load_config(story_file))
    editor.add_keyword("lockout")
    editor.add_keyword("picket")
    assert load_config(story_file).story.keywords[-2:] == ("lockout", "picket")


def test_an_edit_the_checker_refuses_is_never_written(story_file: Path) -> None:
    editor = StoryEditor(load_config(story_file))
    broken = STORY.replace('kind = "group"', 'kind = "robot"')
    with pytest.raises(ConfigEditError) as caught:
        editor._edit(lambda text, config: broken)
    assert "not saved" in str(caught.value) and "kind" in str(caught.value)
    assert story_file.read_text(encoding="utf-8") == STORY


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda e: e.add_actor("the union", "group"), "already an actor"),
        (lambda e: e.add_actor("Someone", "robot"), "not one of"),
        (lambda e: e.add_actor("Line\nbreak", "person"), "line break"),
        (lambda e: e.add_alias("Nobody", "N"), "no actor named"),
        (lambda e: e.add_keyword("HALVIK"), "already a keyword"),
        (lambda e: e.add_question("Wages?", ()), "at least one term"),
        (lambda e: e.add_question("Wages?", ("pay",), question_id="wages"), "exists"),
        (lambda e: e.ignore_name("   "), "empty"),
    ],
)
def test_edits_that_make_no_sense_are_refused_and_nothing_is_written(story_file: Path, edit, message: str) -> None:
    with pytest.raises(ConfigEditError) as caught:
        edit(StoryEditor(load_config(story_file)))
    assert message in str(caught.value)
    assert story_file.read_text(encoding="utf-8") == STORY


def test_the_bundled_file_is_copied_to_the_users_folder_and_never_edited(tmp_path: Path) -> None:
    bundled = bundled_config()
    before = bundled.read_bytes()
    user_file = tmp_path / "config" / "briefing" / "feeds.toml"
    editor = StoryEditor(load_config(bundled), user_file=user_file)
    edited = editor.add_keyword("ceasefire line")
    assert bundled.read_bytes() == before
    assert edited.copied_from == bundled and edited.path == user_file
    assert tomllib.loads(user_file.read_text(encoding="utf-8"))["story"]["keywords"][-1] == "ceasefire line"
    # The next edit goes to the copy, and the copy keeps the bundled comments.
    second = editor.add_keyword("border crossing")
    assert second.copied_from is None and second.path == user_file
    assert bundled.read_bytes() == before
    copy = user_file.read_text(encoding="utf-8")
    assert [line for line in before.decode().splitlines() if line.startswith("#")] == [
        line for line in copy.splitlines() if line.startswith("#")
    ]


def test_the_bundled_file_is_not_copied_over_a_users_own_file(tmp_path: Path) -> None:
    user_file = tmp_path / "feeds.toml"
    user_file.write_text(STORY, encoding="utf-8")
    editor = StoryEditor(load_config(bundled_config()), user_file=user_file)
    with pytest.raises(ConfigEditError) as caught:
        editor.add_keyword("anything")
    assert "restart briefing" in str(caught.value)
    assert user_file.read_text(encoding="utf-8") == STORY
