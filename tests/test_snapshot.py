"""The saved briefing decodes to the same value, and garbage is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefing.config import load_config
from briefing.snapshot import decode, encode
from briefing.store import Store
from briefing.workspace import Workspace, assemble, seed_store
from tests.conftest import REPO


def test_round_trip_on_the_bundled_story(tmp_path):
    with Store(tmp_path / "s.db") as store:
        seed_store(store, REPO / "cache")
        briefing = assemble(store, load_config(REPO / "feeds.toml").story)
    again = decode(encode(briefing))
    assert replace(again, extra={}) == replace(briefing, extra={})


@pytest.mark.parametrize("data", [b"[]", b"{\"summary\": 3}", b"not json", b"{\"story_id\": 1, \"x\": 2}"])
def test_garbage_is_refused(data):
    with pytest.raises(ValueError):
        decode(data)


def test_workspace_paints_the_last_briefing_of_the_same_story(tmp_path):
    config = load_config(REPO / "feeds.toml")
    with Store(tmp_path / "s.db") as store:
        seed_store(store, REPO / "cache")
    workspace = Workspace(config, tmp_path / "s.db")
    assert workspace.cached_briefing() is None
    made = workspace.load_briefing()
    assert replace(workspace.cached_briefing(), extra={}, generated_at=made.generated_at) == \
        replace(made, extra={})
    # Another story file: the saved briefing is not shown.
    other = Workspace(replace(config, story=replace(config.story, title="Another")), tmp_path / "s.db")
    assert other.cached_briefing() is None
