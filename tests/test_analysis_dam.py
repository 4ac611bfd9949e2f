"""A story with nothing in common with the Syria one: nothing of that story
may be built into the code. Two towns quarrel over a dam."""

from __future__ import annotations

from datetime import UTC, datetime, timezone

import pytest

from briefing.analysis import build_briefing
from tests.helpers.analysis import analyse_all, load_articles, load_story, make_article

UTC = UTC
LAST_VIEWED = datetime(2024, 7, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def setup():
    story = load_story("dam_story.toml")
    articles = load_articles("d")
    articles.append(
        make_article(
            99,
            "The Marrowfield under-twelves won the county cup on Saturday after a penalty shoot-out, and the "
            "team will parade through the town centre next weekend. Parents praised the coaches for a fine season.",
            title="Junior cup glory",
            source="Valley Post",
            when=datetime(2024, 7, 14, tzinfo=UTC),
        )
    )
    briefing = build_briefing(
        story, articles, analyse_all(articles, story), now=datetime(2024, 7, 16, tzinfo=UTC), last_viewed=LAST_VIEWED
    )
    return story, articles, briefing


def test_relevance_follows_this_story(setup):
    _, _, briefing = setup
    rows = {r.id: r for r in briefing.articles}
    assert all(rows[i].relevant for i in (1, 2, 3))
    assert not rows[99].relevant  # names a town of the story, but it is about football


def test_actors_roles_and_surnames(setup):
    _, _, briefing = setup
    actors = {a.name: a for a in briefing.actors}
    assert actors["Ruth Okafor"].role == "Ellerby's mayor"  # from the text
    assert actors["Daniel Brisco"].role == "leader of Marrowfield council"  # from the story file
    assert actors["Ruth Okafor"].articles == 3  # "Okafor" alone counts in the later articles
    assert actors["Hale Valley Water Board"].mentions >= 4  # alias "Water Board"


def test_quotes_attributed(setup):
    _, _, briefing = setup
    actors = {a.name: a for a in briefing.actors}
    brisco = {q.text for q in actors["Daniel Brisco"].quotes}
    assert "A gate open six hours a day is a start, not a settlement" in brisco  # "he said"
    assert "Every week without a water release costs our growers their harvest" in brisco
    assert [q.text for q in actors["Ruth Okafor"].quotes] == [
        "We cannot gamble with the taps of twelve thousand households"
    ]
    assert all(q.new == (q.article_id == 3) for q in actors["Daniel Brisco"].quotes)


def test_questions_and_summary(setup):
    _, articles, briefing = setup
    gates, court = briefing.questions
    assert gates.evidence[0].article_id == 3 and "reopen one sluice gate" in gates.evidence[0].text
    assert gates.new_evidence >= 1 and gates.last_moved == articles[2].published
    assert any("compensation claim" in c.text for c in court.evidence)
    assert len(briefing.summary) == 6 and all(c.article_id in (1, 2, 3) for c in briefing.summary)


def test_nothing_from_the_other_story(setup):
    _, _, briefing = setup
    text = repr(briefing)
    for word in ("Syria", "Sharaa", "Erdo", "Türkiye", "Turkey", "Ankara"):
        assert word not in text


def test_timeline(setup):
    _, _, briefing = setup
    dated = [(e.when.date().isoformat(), e.article_id) for e in briefing.timeline]
    assert ("2024-07-05", 1) in dated  # "closed ... on Friday", article of Monday 8 July
    assert ("2024-07-15", 3) in dated  # "agreed on Monday", article of Monday 15 July
