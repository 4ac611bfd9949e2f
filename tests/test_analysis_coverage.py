"""The story's volume by day and its coverage by outlet, and when each open
question last moved, on the port strike fixtures (port*.txt)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from briefing.analysis import BriefingBuilder, build_briefing
from tests.helpers.analysis import analyse_all, load_articles, load_story, make_article

NOW = datetime(2025, 3, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def port():
    story = load_story("port_dates_story.toml")
    articles = load_articles("port")
    analyses = analyse_all(articles, story)
    return story, articles, analyses, build_briefing(story, articles, analyses, now=NOW)


def test_volume_covers_every_day_of_the_story_with_quiet_days_as_zero(port):
    _, _, _, briefing = port
    days = [v.day.date() for v in briefing.volume]
    assert days == [date(2025, 3, 4) + timedelta(days=i) for i in range(11)]  # 4 to 14 March, oldest first
    by_day = {v.day.date(): (v.articles, v.outlets) for v in briefing.volume}
    assert by_day[date(2025, 3, 4)] == (1, 1)
    assert by_day[date(2025, 3, 6)] == (0, 0)  # a quiet day, there for the chart's fall and rise
    assert by_day[date(2025, 3, 9)] == (2, 2)  # Coastal Wire and its copy in the Baltic Post
    assert by_day[date(2025, 3, 10)] == (2, 1)  # two Harbour Gazette pieces: one outlet
    assert by_day[date(2025, 3, 12)] == (0, 0)  # the football report is not about the story
    assert all(v.day.tzinfo is not None and v.day.hour == 0 for v in briefing.volume)
    assert sum(v.articles for v in briefing.volume) == sum(1 for row in briefing.articles if row.relevant)


def test_coverage_per_outlet(port):
    story, _, _, briefing = port
    assert [q.id for q in briefing.questions] == ["pay", "backlog"]
    outlets = {c.source: c for c in briefing.coverage}
    assert set(outlets) == {"Harbour Gazette", "Coastal Wire", "Baltic Post", "Quayside Radio"}
    wire = outlets["Coastal Wire"]
    assert (wire.articles, wire.relevant) == (3, 2)  # the football report counts as an article only
    assert (wire.first, wire.last) == (datetime(2025, 3, 9, 11, tzinfo=UTC), datetime(2025, 3, 14, 9, tzinfo=UTC))
    assert len(wire.evidence) == len(story.questions) and all(n > 0 for n in wire.evidence)
    radio = outlets["Quayside Radio"]
    assert radio.evidence[0] > 0 and radio.evidence[1] == 0
    assert radio.silent_on == ("backlog",)  # it says nothing on the ships
    gazette = outlets["Harbour Gazette"]
    assert gazette.quotes >= 3 and gazette.relevant == 3  # Castellan's quotes are in its first piece
    assert wire.quotes == 0
    # Most relevant articles first; then the outlet that speaks on more questions.
    assert [c.source for c in briefing.coverage] == ["Harbour Gazette", "Coastal Wire", "Baltic Post", "Quayside Radio"]


def test_an_outlet_with_no_story_article_is_silent_on_every_question(port):
    story, articles, analyses, _ = port
    other = make_article(50, "The harbour festival opens with a brass band.", source="Festival News", when=NOW)
    briefing = build_briefing(story, [*articles, other], {**analyses}, now=NOW)
    festival = next(c for c in briefing.coverage if c.source == "Festival News")
    assert (festival.articles, festival.relevant, festival.quotes) == (1, 0, 0)
    assert festival.evidence == (0, 0) and festival.silent_on == ("pay", "backlog")
    assert festival.first is None and festival.last is None
    assert briefing.coverage[-1] is festival


def test_coverage_and_volume_follow_articles_that_come_and_go(port):
    story, articles, analyses, full = port
    builder = BriefingBuilder(story)
    builder.add(articles, analyses)
    builder.remove([8, 1])  # Quayside Radio's only piece, the Gazette's first
    fewer = [a for a in articles if a.id not in (1, 8)]
    expected = build_briefing(story, fewer, analyses, now=NOW)
    got = builder.build(now=NOW)
    assert got.coverage == expected.coverage and got.volume == expected.volume
    assert "Quayside Radio" not in {c.source for c in got.coverage}
    gazette = next(c for c in got.coverage if c.source == "Harbour Gazette")
    assert gazette.first == datetime(2025, 3, 10, 8, tzinfo=UTC)  # its first story article went away
    assert got.volume[0].day.date() == date(2025, 3, 9)
    builder.add([articles[0]], analyses)  # and comes back
    assert builder.build(now=NOW).coverage == build_briefing(story, [*fewer, articles[0]], analyses, now=NOW).coverage


def test_volume_is_bounded_to_the_last_year_of_the_story(port):
    story, articles, analyses, _ = port
    stray = make_article(
        60,
        "Dockworkers at Sarnhaven held a strike over pay at the terminal, the Harbour Workers' Union said.",
        source="Old Archive",
        when=datetime(1990, 1, 1, tzinfo=UTC),
    )
    briefing = build_briefing(story, [*articles, stray], {}, now=NOW)
    assert len(briefing.volume) == 366
    assert briefing.volume[-1].day.date() == date(2025, 3, 14)


def test_each_question_moved_when_its_newest_evidence_happened(port):
    _, _, _, briefing = port
    moved = {q.id: q.last_moved for q in briefing.questions}
    newest_article = max(a.published for a in port[1] if a.source != "Coastal Wire" or "derby" not in a.title)
    assert newest_article == datetime(2025, 3, 14, 9, tzinfo=UTC)  # the round-up
    # The round-up tells the pay story only as "said on Monday": the ballot
    # news of Tuesday 11 March is the newest on pay.
    assert moved["pay"] == datetime(2025, 3, 11, 18, tzinfo=UTC)
    # It brings the ships' backlog news of its own.
    assert moved["backlog"] == datetime(2025, 3, 14, 9, tzinfo=UTC)


def test_a_repeated_line_moved_its_question_when_it_was_first_told(port):
    story, articles, analyses, _ = port
    # A later outlet repeats the Saturday line word for word, undated.
    late = make_article(
        70,
        "More than forty vessels were waiting at anchorage outside Sarnhaven, the port authority said, "
        "as the backlog from the strike grew.",
        source="Late Digest",
        when=datetime(2025, 3, 13, tzinfo=UTC),
    )
    kept = [a for a in articles if a.id not in (5, 6)]  # no fresher backlog news
    briefing = build_briefing(story, [*kept, late], {}, now=NOW)
    backlog = next(q for q in briefing.questions if q.id == "backlog")
    assert any(c.source == "Late Digest" or "Late Digest" in c.also for c in backlog.evidence)
    assert backlog.last_moved == datetime(2025, 3, 8, tzinfo=UTC)  # "said on Saturday", first told
