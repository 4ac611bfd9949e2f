"""Relevance: story terms, normalised for length, titles weigh more."""

from __future__ import annotations

from briefing.analysis import RELEVANCE_THRESHOLD, analyse_article
from briefing.config import Actor, Question, Story
from tests.helpers.analysis import make_article

STORY = Story(
    id="x",
    title="x",
    keywords=("defense pact", "air base", "Ankara"),
    actors=(Actor("Ahmed al-Sharaa"), Actor("Recep Tayyip Erdoğan"), Actor("Türkiye", ("Turkey",), "state")),
    questions=(Question("bases", "Will bases open?", ("air base", "Badiyah")),),
)
CORE = (
    "Sharaa and Erdogan discussed a defense pact in Ankara, including an air base in the Badiyah desert. "
    "Officials said the talks would continue next month."
)
FILLER = (
    "The weather in the region stayed mild for the season, and markets were busy with shoppers buying "
    "fruit, bread and household goods before the weekend. "
)


def score(text: str, title: str = "") -> float:
    return analyse_article(make_article(1, text, title=title), STORY)["rel"]


def test_on_topic_article_is_relevant():
    assert score(CORE) > 0.6


def test_length_does_not_dominate():
    long_text = CORE + "\n\n" + "\n\n".join(FILLER * 3 for _ in range(12))
    assert score(long_text) < score(CORE)
    # ... but the many mentions of a long on-topic article do not run away either.
    assert score((CORE + " ") * 20) < 1.0


def test_title_hits_weigh_more():
    body = "Officials met for talks on Tuesday. " + FILLER + "Erdogan spoke briefly about the air base."
    assert score(body, title="Erdogan weighs air base offer") > score(body, title="Talks continue")


def test_passing_mentions_are_not_relevant():
    weather = "Snow is expected across Türkiye this week, and Ankara may see its coldest night of the winter. " + FILLER
    football = (
        "Turkey beat the visitors 2-0 in a friendly on Tuesday, with both goals in the second half. "
        "Erdogan congratulated the players after the match. " + FILLER
    )
    assert score(weather) < RELEVANCE_THRESHOLD
    assert score(football) < RELEVANCE_THRESHOLD
