"""Actors ranked by how central they are, not by how often they are named.

In the port strike story Oskar Brandt, who ran the port in 1998, is named
three times in most articles' background paragraphs and never in a title,
a lead or a quotation; Mara Lindqvist leads the strike, is in the headlines
and speaks, but is named less often."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.analysis import BriefingBuilder, build_briefing
from briefing.analysis.prominence import Presence, prominence
from tests.helpers.analysis import analyse_all, load_articles, load_story

NOW = datetime(2025, 3, 7, tzinfo=UTC)


@pytest.fixture(scope="module")
def setup():
    story = load_story("port_story.toml")
    articles = load_articles("k")
    analyses = analyse_all(articles, story)
    return story, articles, analyses, build_briefing(story, articles, analyses, now=NOW)


def test_background_name_does_not_outrank_the_principal(setup):
    _, _, _, briefing = setup
    names = [a.name for a in briefing.actors]
    actors = {a.name: a for a in briefing.actors}
    brandt, lindqvist = actors["Oskar Brandt"], actors["Mara Lindqvist"]
    assert brandt.mentions > lindqvist.mentions and brandt.articles > lindqvist.articles  # the counts stay
    assert lindqvist.prominence > brandt.prominence
    assert names.index("Mara Lindqvist") < names.index("Oskar Brandt")
    assert [a.prominence for a in briefing.actors] == sorted((a.prominence for a in briefing.actors), reverse=True)


def test_names_outside_the_story_file_are_ranked_the_same_way(setup):
    _, _, _, briefing = setup
    assert [o.prominence for o in briefing.others] == sorted((o.prominence for o in briefing.others), reverse=True)
    assert all(o.prominence > 0 for o in briefing.others)


def test_each_part_counts():
    base = Presence(titled=0, led=0, quotes=0, outlets=1, articles=2, last=0.0)
    plain = prominence(base, relevant=4, outlets=2, newest=0.0)
    for better in (
        Presence(titled=1, led=0, quotes=0, outlets=1, articles=2, last=0.0),
        Presence(titled=0, led=1, quotes=0, outlets=1, articles=2, last=0.0),
        Presence(titled=0, led=0, quotes=1, outlets=1, articles=2, last=0.0),
        Presence(titled=0, led=0, quotes=0, outlets=2, articles=2, last=0.0),
        Presence(titled=0, led=0, quotes=0, outlets=1, articles=3, last=0.0),
    ):
        assert prominence(better, relevant=4, outlets=2, newest=0.0) > plain
    older = Presence(titled=0, led=0, quotes=0, outlets=1, articles=2, last=-30 * 86400.0)
    assert prominence(older, relevant=4, outlets=2, newest=0.0) < plain
    assert prominence(Presence(0, 0, 0, 0, 0, None), relevant=4, outlets=2, newest=0.0) == 0.0


def test_prominence_follows_articles_as_they_come_and_go(setup):
    story, articles, analyses, full = setup
    builder = BriefingBuilder(story)
    for article in reversed(articles):
        builder.add([article], analyses)
    builder.remove([1, 5])
    builder.add([articles[0], articles[4]], analyses)
    assert builder.build(now=NOW).actors == full.actors
    builder.remove([1])  # Lindqvist's first title and lead
    fewer = build_briefing(story, [a for a in articles if a.id != 1], analyses, now=NOW)
    assert builder.build(now=NOW).actors == fewer.actors
