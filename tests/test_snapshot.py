"""The saved briefing decodes to the same value, and garbage is refused."""

from __future__ import annotations

import pytest

from briefing.config import load_config
from briefing.record import replace
from briefing.store.database import Store
from briefing.store.snapshot import HEAD_MENTIONS, HEAD_ROWS, TAIL_FIELDS, decode, encode
from briefing.workspace import Workspace, assemble, seed_store
from tests.helpers.cli import REPO


def test_round_trip_on_the_bundled_story(tmp_path):
    with Store(tmp_path / "s.db") as store:
        seed_store(store, REPO / "cache")
        briefing = assemble(store, load_config(REPO / "feeds.toml").story)
    again = decode(encode(briefing))
    assert replace(again, extra={}) == replace(briefing, extra={})


def test_the_first_frame_decodes_only_the_newest_rows_but_counts_them_all(tmp_path):
    with Store(tmp_path / "s.db") as store:
        seed_store(store, REPO / "cache")
        briefing = assemble(store, load_config(REPO / "feeds.toml").story)
    # A long feed: the bundled rows many times over, some read, some not relevant.
    rows = tuple(
        replace(row, id=1000 + i, read=i % 3 == 0, relevant=i % 4 != 0) for i, row in enumerate(briefing.articles * 40)
    )
    long = replace(briefing, articles=rows)
    data = encode(long)
    assert len(rows) > HEAD_ROWS
    again = decode(data)
    assert replace(again, extra={}) == replace(long, extra={})
    assert "rows" not in again.extra  # the counts are only for the head
    head = decode(data, head_only=True)
    assert head.articles == rows[:HEAD_ROWS]
    # The cited lines are all there, their outlets' copies left to the tail.
    assert head.summary == _head_of(long)["summary"] and head.questions == _head_of(long)["questions"]
    assert any(line.copies for line in long.summary)
    assert any(len(a.mentioned_in) > HEAD_MENTIONS for a in long.actors)
    # The head keeps each actor's newest HEAD_MENTIONS "mentioned in" lines; the tail the rest.
    assert head.actors == tuple(replace(a, mentioned_in=a.mentioned_in[:HEAD_MENTIONS]) for a in long.actors)
    assert (
        head.row_counts()
        == long.row_counts()
        == (len(rows), sum(1 for r in rows if not r.read), sum(1 for r in rows if r.relevant))
    )
    # A snapshot whose second document is damaged is refused whole.
    with pytest.raises(ValueError):
        decode(data.partition(b"\n")[0] + b"\n[1, 2]")


def _head_of(briefing) -> dict:
    """What the first frame's head keeps of the actors' and other names'
    mentions; and the views it does not draw, left to the tail whole."""
    return {
        **{
            group: tuple(replace(v, mentioned_in=v.mentioned_in[:keep]) for v in getattr(briefing, group))
            for group, keep in (("actors", HEAD_MENTIONS), ("others", 0))
        },
        **{name: () for name in TAIL_FIELDS},
        # The cited lines without their copies (the tail's).
        "summary": tuple(replace(line, copies=()) for line in briefing.summary),
        "questions": tuple(
            replace(q, evidence=tuple(replace(e, copies=()) for e in q.evidence)) for q in briefing.questions
        ),
    }


@pytest.mark.parametrize("data", [b"[]", b'{"summary": 3}', b"not json", b'{"story_id": 1, "x": 2}'])
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
    cached = workspace.cached_briefing()
    assert replace(cached, extra={}, generated_at=made.generated_at) == replace(made, extra={}, **_head_of(made))
    # Another story file: the saved briefing is not shown.
    other = Workspace(replace(config, story=replace(config.story, title="Another")), tmp_path / "s.db")
    assert other.cached_briefing() is None
