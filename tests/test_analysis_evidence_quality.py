"""Evidence and a summary an analyst would sign: one report told by three
outlets in their own words is one line with all its sources and copies;
lines that lean on the sentence before are not used alone; the summary
tells the story's lead once, then what followed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.analysis import build_briefing
from briefing.analysis.names import content_stems, words
from briefing.analysis.paraphrase import negated, same_report
from briefing.analysis.standalone import leans_on_previous
from tests.helpers.analysis import analyse_all, load_articles, load_story

NOW = datetime(2025, 3, 7, tzinfo=UTC)


@pytest.fixture(scope="module")
def briefing():
    story = load_story("port_story.toml")
    articles = load_articles("k")
    return build_briefing(story, articles, analyse_all(articles, story), now=NOW)


def _stems(text: str) -> set[str]:
    return set(content_stems(words(text)))


def test_paraphrases_of_one_report_are_one_line_with_every_copy(briefing):
    talks = next(q for q in briefing.questions if q.id == "talks")
    continuing = [c for c in talks.evidence if "continuing" in c.text or "still in talks" in c.text]
    assert len(continuing) == 1
    line = continuing[0]
    assert set(line.also) == {"Coast Daily", "Northern Ledger"}
    assert [c.article_id for c in line.copies][0] == line.article_id  # the primary first
    assert {c.article_id for c in line.copies} == {1, 2, 3}
    own = {c.article_id: c.text for c in line.copies}
    assert own[2] == "Talks with the dockworkers are still continuing, a port authority statement said on Monday."
    assert own[3] == "On Monday the port authority said it was still in talks with the union."
    assert {c.source for c in line.copies} == {line.source, *line.also}


def test_syndicated_copies_carry_their_own_article(briefing):
    lines = [c for c in briefing.summary if "four percent pay rise" in c.text]
    assert len(lines) == 1 and lines[0].also == ("Valley Gazette",)
    assert [(c.article_id, c.source) for c in lines[0].copies] == [(5, "Harbour Wire"), (6, "Valley Gazette")]
    assert lines[0].copies[1].text == lines[0].text  # the copy's own sentence, word for word
    ships = next(q for q in briefing.questions if q.id == "ships")
    assert any(len(c.copies) == 2 and c.copies[1].article_id == 6 for c in ships.evidence)


def test_lines_that_lean_on_the_one_before_are_not_used_alone(briefing):
    summary = " ".join(c.text for c in briefing.summary)
    assert "She appointed" not in summary and "The second is" not in summary
    for question in briefing.questions:
        for cited in question.evidence:
            assert not leans_on_previous(cited.text), cited.text


def test_the_lead_once_then_what_followed(briefing):
    texts = [c.text for c in briefing.summary]
    walkouts = [t for t in texts if "walked off the job" in t or "stopped work" in t]
    assert len(walkouts) == 1  # two outlets' leads of the walkout: told once
    lead = next(c for c in briefing.summary if c.text in walkouts)
    assert len(lead.copies) == 2 and lead.also  # with the other outlet's telling
    assert any("pay rise" in t for t in texts) and any("diverted three container ships" in t for t in texts)


@pytest.mark.parametrize(
    "sentence",
    [
        "She appointed a new negotiator for the strike talks on Tuesday.",
        "Under the proposal, the port would reopen two berths by Friday.",
        "The first open question is pay.",
        "The third is the night rota, which the union calls unsafe.",
        "The other unions have not said whether they will join.",
        "Also, the port authority hired extra security.",
        "It was not clear when the ships would return.",
        "These talks have gone nowhere.",
        "They will not go back until the rota changes.",
    ],
)
def test_leaning_sentences(sentence):
    assert leans_on_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Dockworkers walked out on Monday.",
        "Under pressure from shippers, the port authority reopened two berths.",
        "The first ships left the port on Friday.",
        "This week the union will vote on the offer.",
        "“We will stay out,” Lindqvist said.",
        "Itzel Moreno chairs the port board.",
        "Theirry Ostrand founded the shipping line.",
    ],
)
def test_standing_sentences(sentence):
    assert not leans_on_previous(sentence)


def test_a_denial_is_not_the_same_report():
    said = "The port authority said on Monday that talks with the union were continuing."
    denied = "The port authority said on Monday that talks with the union were not continuing."
    assert negated(denied) and not negated(said)
    assert not same_report(_stems(said), _stems(denied), negated(said), negated(denied))
    other = "Talks with the union were continuing, the port authority said on Monday."
    assert same_report(_stems(said), _stems(other), negated(said), negated(other))


def test_one_event_told_in_other_words_by_several_outlets_is_one_summary_line():
    """Three outlets' leads on one meeting, in words too far apart for the
    paraphrase test, name the same two actors on the same day: the summary
    tells it once, with every outlet, and leaves room for what followed."""
    from datetime import UTC, datetime

    from briefing.analysis import build_briefing
    from briefing.config import Actor, Question, Story
    from tests.helpers.analysis import analyse_all, make_article

    story = Story(
        id="harbour",
        title="Harbour talks",
        keywords=("Sarnhaven", "harbour", "strike"),
        actors=(Actor("Ilse Varnholt", kind="person"), Actor("Tomas Reed", kind="person")),
        questions=(Question("deal", "Will there be a deal?", ("deal", "offer")),),
    )
    monday = datetime(2025, 3, 10, 9, tzinfo=UTC)
    leads = [
        "Ilse Varnholt will receive Tomas Reed at her office in Sarnhaven today, hoping to end the strike.",
        "Tomas Reed sat down with Ilse Varnholt on Monday as the harbour walkout entered a third week.",
        "Varnholt and Reed spent two hours together on Monday, their first strike meeting since January.",
    ]
    articles = [
        make_article(
            i + 1,
            lead + " The harbour strike deal offer was discussed.",
            title=f"Harbour talks {i}",
            source=f"Outlet {i}",
            when=monday,
        )
        for i, lead in enumerate(leads)
    ]
    briefing = build_briefing(story, articles, analyse_all(articles, story), now=monday)
    meeting = [line for line in briefing.summary if "Reed" in line.text and "Varnholt" in line.text]
    assert len(meeting) == 1
    assert len({meeting[0].source, *meeting[0].also}) == 3
