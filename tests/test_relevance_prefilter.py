"""may_be_relevant is a necessary condition of the analysis's relevance: no
text the analysis finds about the story is ever ruled out by it (a refresh
skips the analysis of teasers it rules out), and it rules out most of an
unrelated feed."""

from __future__ import annotations

import re

import pytest

from briefing.analysis import analyse_article, is_relevant
from briefing.analysis.story import may_be_relevant
from briefing.config import load_config
from briefing.record import replace
from briefing.store.database import Store
from briefing.workspace import seed_store
from tests.helpers.analysis import load_articles, load_story
from tests.helpers.cli import REPO

CASES = [
    ("syria_story.toml", "s"),
    ("dam_story.toml", "d"),
    ("port_story.toml", "k"),
    ("port_dates_story.toml", "port"),
]


def _teasers(article):
    """The whole article, its first sentence, and its first 25 words: what
    feeds carry."""
    first = re.split(r"(?<=[.!?])\s", article.text, maxsplit=1)[0]
    short = " ".join(article.text.split()[:25])
    return [article, replace(article, text=first), replace(article, text=short), replace(article, title="", text=short)]


@pytest.mark.parametrize(("story_file", "prefix"), CASES)
def test_no_relevant_text_is_ruled_out(story_file, prefix):
    story = load_story(story_file)
    relevant = 0
    for article in load_articles(prefix):
        for teaser in _teasers(article):
            if is_relevant(analyse_article(teaser, story)):
                relevant += 1
                assert may_be_relevant(teaser.title, teaser.text, story), teaser.title
    assert relevant  # the check saw relevant texts


def test_the_bundled_articles_as_teasers_are_never_ruled_out(tmp_path):
    story = load_config(REPO / "feeds.toml").story
    with Store(tmp_path / "s.db") as store:
        seed_store(store, REPO / "cache")
        articles = store.articles()
    for article in articles:
        for teaser in _teasers(article):
            if is_relevant(analyse_article(teaser, story)):
                assert may_be_relevant(teaser.title, teaser.text, story), teaser.title


def test_most_unrelated_teasers_are_ruled_out():
    story = load_config(REPO / "feeds.toml").story
    unrelated = [
        ("Council approves budget for roads", "The council voted to spend more on roads and schools."),
        ("Storm closes ferry routes", "High winds kept ferries in port along the west coast on Sunday."),
        ("Cup final ends in a draw", "Neither side scored in ninety minutes of rain-soaked football."),
        ("Bakery wins regional prize", "A family bakery took the top award for its rye loaf."),
    ]
    assert not any(may_be_relevant(title, text, story) for title, text in unrelated)
