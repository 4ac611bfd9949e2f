"""feeds.toml: the schema contract, the lookup order, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import ConfigError, load_config
from briefing.paths import bundled_config, resolve_config
from tests.helpers.cli import MINIMAL_CONFIG, REPO, run_cli, tree_snapshot, write

FULL = """\
[story]
id = "dam-dispute"
title = "Two towns argue over a dam"
keywords = ["dam", "river"]

[[story.actors]]
name = "Mara Vell"
aliases = ["Vell"]
kind = "person"
role = "Mayor of Lowford"

[[story.actors]]
name = "River Board"
kind = "organization"

[[story.questions]]
id = "water-share"
title = "Who gets the water?"
terms = ["share", "quota"]

[[feeds]]
name = "Valley News"
url = "https://valley.example/rss"

[[feeds]]
name = "Hill Post"
url = "http://hill.example/atom.xml"
enabled = false
"""


def test_full_config_loads(tmp_path):
    config = load_config(write(tmp_path / "f.toml", FULL))
    assert config.story.id == "dam-dispute"
    assert [a.name for a in config.story.actors] == ["Mara Vell", "River Board"]
    assert config.story.actors[0].aliases == ("Vell",)
    assert config.story.actors[1].kind == "organization" and config.story.actors[1].role is None
    assert config.story.questions[0].terms == ("share", "quota")
    assert [f.enabled for f in config.feeds] == [True, False]


def test_empty_lists_are_allowed(tmp_path):
    config = load_config(write(tmp_path / "f.toml", MINIMAL_CONFIG))
    assert config.story.actors == () and config.story.questions == () and config.feeds == ()


def test_bundled_story_is_complete():
    config = load_config(bundled_config())
    assert config.story.id == "turkiye-syria-pact"
    questions = {q.id for q in config.story.questions}
    assert {"russian-bases", "sdf-stance", "israeli-buffer-zone"} <= questions
    names = {a.name for a in config.story.actors}
    assert {"Ahmed al-Sharaa", "Murhaf Abu Qasra", "Fahrettin Altun", "Mazloum Abdi"} <= names
    assert len(config.feeds) >= 6
    assert all(f.url.startswith("https://") for f in config.feeds)


BAD = [
    ("[story\nid = 1\n", "line 1"),
    (MINIMAL_CONFIG + '[[feeds]]\nname = "A"\n', "feeds[0].url: missing"),
    (MINIMAL_CONFIG + '[[feeds]]\nname = "A"\nurl = "file:///etc/passwd"\n', "scheme 'file'"),
    (MINIMAL_CONFIG + '[[feeds]]\nname = "A"\nurl = "ftp://x.example/f"\n', "scheme 'ftp'"),
    (
        MINIMAL_CONFIG + '[[feeds]]\nname = "A"\nurl = "https://a.example/"\n'
        '[[feeds]]\nname = "A"\nurl = "https://b.example/"\n',
        "duplicate feed name 'A'",
    ),
    (MINIMAL_CONFIG + 'colour = "red"\n', "story.colour: unknown key"),
    (MINIMAL_CONFIG + '[[feeds]]\nname = "A"\nurl = "https://a.example/"\nevery = 5\n', "feeds[0].every: unknown key"),
    ('[story]\ntitle = "t"\n', "story.id: missing"),
    ('[story]\nid = "x"\ntitle = "  "\n', "story.title: must not be empty"),
    ('[story]\nid = "x"\ntitle = "t"\nkeywords = "Syria"\n', "story.keywords: must be a list"),
    (MINIMAL_CONFIG + '[[story.actors]]\nname = "A"\nkind = "alien"\n', "'alien' is not one of"),
    (MINIMAL_CONFIG + "[settings]\ntimeout = -1\n", "settings.timeout: must be a positive number"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_config_names_file_and_place(tmp_path, text, expected):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ":")
    assert expected in message
    assert "\n" not in message


def test_unknown_key_error_gives_its_line(tmp_path):
    path = write(tmp_path / "bad.toml", MINIMAL_CONFIG + 'colour = "red"\n')
    with pytest.raises(ConfigError, match=r"line 5: story\.colour"):
        load_config(path)


@pytest.mark.parametrize("command", [[], ["export", "--format", "json"], ["import", "x.txt"]])
def test_bad_config_cli_exits_2_writes_nothing(tmp_path, isolated_home, command):
    bad = write(tmp_path / "bad.toml", MINIMAL_CONFIG + '[[feeds]]\nname = "A"\n')
    before = tree_snapshot(isolated_home)
    result = run_cli(
        "--config", str(bad), "--cache", str(tmp_path / "store.db"), *command, env={"HOME": str(isolated_home)}
    )
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "feeds[0].url" in lines[0]
    assert not (tmp_path / "store.db").exists()
    assert tree_snapshot(isolated_home) == before


def test_lookup_order(tmp_path, monkeypatch, isolated_home):
    explicit = write(tmp_path / "explicit.toml", MINIMAL_CONFIG)
    from_env = write(tmp_path / "env.toml", MINIMAL_CONFIG)
    assert resolve_config(None) == bundled_config()
    from briefing.paths import user_config_file

    user = write(user_config_file(), MINIMAL_CONFIG)
    assert resolve_config(None) == user
    monkeypatch.setenv("BRIEFING_CONFIG", str(from_env))
    assert resolve_config(None) == from_env
    assert resolve_config(str(explicit)) == explicit


def test_bundled_config_is_the_top_level_file():
    assert bundled_config() == REPO / "feeds.toml" or bundled_config().name == "feeds.toml"
    assert Path(bundled_config()).is_file()


def _line_of(text: str, fragment: str, occurrence: int) -> int:
    """The line number of the occurrence-th (from 0) line holding fragment."""
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return numbers[occurrence]


# Each error in an item of an array of tables names that item's line, not the
# line of the same key in the first item.
ITEM_ERRORS = [
    (FULL.replace('kind = "organization"', 'kind = "alien"'), r"story\.actors\[1\]\.kind", 'kind = "alien"'),
    (
        FULL + '\n[[feeds]]\nname = "Third"\nurl = "ftp://third.example/feed"\n',
        r"feeds\[2\]\.url",
        "ftp://third.example",
    ),
    (
        FULL + "\n[[feeds]]\nname = 'Third'\nurl = 'ftp://third.example/feed'\n",
        r"feeds\[2\]\.url",
        "ftp://third.example",
    ),
    (
        FULL + '\n[[feeds]]\nname = "Third"\nurl = "https://third.example/"\nevery = 3\n',
        r"feeds\[2\]\.every",
        "every = 3",
    ),
    (
        FULL + '\n[[feeds]]\nname = "Valley News"\nurl = "https://third.example/"\n',
        r"feeds\[2\]\.name: duplicate",
        'name = "Valley News"',
    ),
    (
        FULL.replace("[[feeds]]", '[[story.questions]]\nid = "water-share"\ntitle = "Again"\n\n[[feeds]]', 1),
        r"story\.questions\[1\]\.id: duplicate",
        'id = "water-share"',
    ),
]


@pytest.mark.parametrize(("text", "where", "fragment"), ITEM_ERRORS)
def test_error_in_a_later_item_names_its_own_line(tmp_path, text, where, fragment):
    occurrences = sum(fragment in line for line in text.splitlines())
    line = _line_of(text, fragment, occurrences - 1)
    with pytest.raises(ConfigError, match=rf": line {line}: {where}"):
        load_config(write(tmp_path / "bad.toml", text))


def test_missing_key_in_a_later_item_names_its_header(tmp_path):
    text = FULL + '\n[[feeds]]\nname = "Third"\n'
    line = _line_of(text, "[[feeds]]", 2)
    with pytest.raises(ConfigError, match=rf": line {line}: feeds\[2\]\.url: missing"):
        load_config(write(tmp_path / "bad.toml", text))


def test_key_in_a_table_is_not_looked_for_in_another(tmp_path):
    # Every actor and feed has a name; the one at fault is in [settings].
    text = FULL + '\n[settings]\nname = "x"\n'
    line = len(text.splitlines())
    with pytest.raises(ConfigError, match=rf": line {line}: settings\.name: unknown key"):
        load_config(write(tmp_path / "bad.toml", text))
