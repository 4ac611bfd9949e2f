"""Dates placed as a reader places them: by the tense of the date's own
clause, negation respected, a month or a year kept as such, background
figures left out; and the timeline built from them (precision, copies).
The story is a port strike (fixtures port*.txt), written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing.analysis import build_briefing
from briefing.analysis.timeline import date_in, event_date
from tests.helpers.analysis import analyse_all, load_articles, load_story

SUNDAY = datetime(2025, 3, 9, 11, tzinfo=UTC)
WEDNESDAY = datetime(2025, 3, 12, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    "sentence,when,expected",
    [
        # A future seen from the past: the nearer of the two.
        ("Talks would resume on Monday, the mediator said.", SUNDAY, date(2025, 3, 10)),
        ("Talks would resume on Monday, the mediator said.", WEDNESDAY, date(2025, 3, 10)),
        ("The mediator said the ballot would be held on Friday.", WEDNESDAY, date(2025, 3, 14)),
        ("The union said the ballot was due to close on Tuesday.", WEDNESDAY, date(2025, 3, 11)),
        # A plain future: the coming day.
        ("The two sides will meet on Thursday.", SUNDAY, date(2025, 3, 13)),
        ("The offer is expected to be put to members on Tuesday.", WEDNESDAY, date(2025, 3, 18)),
        ("Pilots are set to strike on Friday as well.", SUNDAY, date(2025, 3, 14)),
        # The tense of the date's own clause, not of the sentence.
        ("The authority said on Friday that talks would resume soon.", SUNDAY, date(2025, 3, 7)),
        ("The mediator confirmed on Monday that both sides will attend.", WEDNESDAY, date(2025, 3, 10)),
        ("Dockers walked out on Tuesday, and pilots will join them.", WEDNESDAY, date(2025, 3, 11)),
        # The past, as before.
        ("Dockers walked out on Monday.", WEDNESDAY, date(2025, 3, 10)),
        ("They met again next Monday.", SUNDAY, date(2025, 3, 10)),
        ("The ballot closed last Wednesday.", WEDNESDAY, date(2025, 3, 5)),
    ],
)
def test_weekday_follows_the_tense_of_its_clause(sentence, when, expected):
    assert date_in(sentence, when) == (expected, "d")


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The union has had no wage agreement since December.", (date(2024, 12, 1), "m")),
        ("Wages were last raised in June 2023.", (date(2023, 6, 1), "m")),
        ("The terminal opened in 2019 after a long expansion.", (date(2019, 1, 1), "y")),
        ("The port has been run by the authority since 1998.", (date(1998, 1, 1), "y")),
        ("The quay is 2019 metres long.", None),
        ("Pay rose 2.5 percent in 20201.", None),
    ],
)
def test_a_month_or_a_year_keeps_its_precision(sentence, expected):
    assert date_in(sentence, SUNDAY) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A final settlement is not expected to be finalized on Tuesday, officials cautioned.",
        "A deal is unlikely on Tuesday.",
        "The ships did not sail on Friday.",
        "No agreement was reached on Saturday.",
        "The union won't sign on Thursday.",
    ],
)
def test_a_negated_clause_places_no_event(sentence):
    assert date_in(sentence, SUNDAY) is not None  # the text names a day ...
    assert event_date(sentence, SUNDAY) is None  # ... but nothing happens on it


@pytest.mark.parametrize(
    "sentence",
    [
        "Regional inflation stood at 5.1 percent in October.",
        "Unemployment in the harbour district was 7% in January.",
        "Container traffic peaked at 3.8 million boxes in 2022.",
        "Throughput rose after the war began in 2011, peaking at 2 million tonnes in 2016.",
        "Inflation, which stood at 4 per cent on Monday, weighs on wages.",
        "Cargo volumes fell to 1.2 million tonnes on Friday.",
    ],
)
def test_background_figures_are_no_event(sentence):
    assert date_in(sentence, SUNDAY) is not None
    assert event_date(sentence, SUNDAY) is None


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Dockers rejected a 4 percent pay offer on Friday, the union said.", (date(2025, 3, 7), "d")),
        ("The mediator said on Friday that no deal was near.", (date(2025, 3, 7), "d")),
        ("The strike has not stopped the ferries since December.", (date(2024, 12, 1), "m")),
        ("Talks would resume on Monday, the mediator said.", (date(2025, 3, 10), "d")),
    ],
)
def test_events_beside_a_figure_or_a_negation_elsewhere_keep_their_date(sentence, expected):
    assert event_date(sentence, SUNDAY) == expected


@pytest.fixture(scope="module")
def port():
    story = load_story("port_dates_story.toml")
    articles = load_articles("port")
    briefing = build_briefing(story, articles, analyse_all(articles, story), now=datetime(2025, 3, 15, tzinfo=UTC))
    return {a.id: a for a in articles}, briefing


def test_future_in_a_sunday_article_is_dated_forward(port):
    articles, briefing = port
    resume = [e for e in briefing.timeline if "would resume on Monday" in e.text]
    assert articles[resume[0].article_id].published.weekday() == 6  # told on a Sunday
    assert [e.when.date() for e in resume] == [date(2025, 3, 10)]  # the next day, not the Monday before


def test_negated_event_and_background_figure_are_not_on_the_timeline(port):
    _, briefing = port
    texts = " ".join(e.text for e in briefing.timeline)
    assert "not expected to be finalized" not in texts
    assert "inflation" not in texts.lower()
    told_on_sunday = {2, 3}
    assert not [e for e in briefing.timeline if e.article_id in told_on_sunday and e.when.date() == date(2025, 3, 11)]
    assert date(2024, 10, 1) not in {e.when.date() for e in briefing.timeline}  # the statistic's October


def test_month_and_year_events_say_their_precision(port):
    _, briefing = port
    by_text = {e.text.split(",")[0]: e for e in briefing.timeline}
    december = next(e for e in briefing.timeline if "since December" in e.text)
    assert (december.when.date(), december.precision) == (date(2024, 12, 1), "month")
    opened = next(e for e in briefing.timeline if "opened in 2019" in e.text)
    assert (opened.when.date(), opened.precision) == (date(2019, 1, 1), "year")
    walkout = next(e for e in briefing.timeline if "walked off the job on Monday" in e.text)
    assert (walkout.when.date(), walkout.precision) == (date(2025, 3, 3), "day")
    assert by_text  # every event has a text
    events = briefing.timeline
    assert [e.when for e in events] == sorted(e.when for e in events)


def test_an_event_from_several_articles_carries_every_copy(port):
    articles, briefing = port
    resume = next(e for e in briefing.timeline if "would resume on Monday" in e.text)
    assert [c.source for c in resume.copies] == ["Coastal Wire", "Baltic Post"]
    assert resume.copies[0].article_id == resume.article_id
    for copy in resume.copies:
        article = articles[copy.article_id]
        assert copy.text in article.text  # the sentence as that article has it, to scroll to
        assert copy.published == article.published
    single = next(e for e in briefing.timeline if "opened in 2019" in e.text)
    assert single.copies == ()  # one article: no copies to choose from


@pytest.mark.parametrize(
    "fragment",
    [
        "1",  # one run of digits that never becomes a percentage
        "1.",
        "on Monday, ",  # many clause edges and weekdays
        "stood at 5 ",  # many levels that never become an amount
        "was not ",
    ],
)
def test_dating_a_sentence_is_linear_in_its_length(fragment):
    from tests.test_linear_text import assert_linear

    assert_linear(lambda text: event_date("In 2019 " + text + " in December.", SUNDAY), fragment, 40_000)


def test_a_state_held_since_long_ago_is_background_and_a_recent_one_is_not():
    assert event_date("The dockers' union has run the hiring hall since 1987.", SUNDAY) is None
    assert event_date("The port authority has been in deficit since 2024.", SUNDAY) == (date(2024, 1, 1), "y")


def test_a_sentence_that_leans_on_the_one_before_is_no_timeline_event():
    from briefing.model import Article
    from briefing.workspace import analyse_articles
    from tests.helpers.analysis import load_story

    story = load_story("port_dates_story.toml")
    text = (
        "Three questions hang over the Sarnhaven strike talks.\n\n"
        "The third is the terminal's backlog of vessels, which has grown since December."
    )
    article = Article(1, "k", "Sarnhaven strike talks", "Harbour Wire", None, SUNDAY, SUNDAY, text, feed="wire")
    result = analyse_articles([article], story)[1]
    assert [d for d in result["dates"] if d[2] != "p"] == []  # only the publication date
