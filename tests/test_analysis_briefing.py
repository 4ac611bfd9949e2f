"""The whole briefing from the fixture articles of the Türkiye–Syria story."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timezone
from itertools import combinations

import pytest

from briefing.analysis import ANALYSIS_VERSION, analyse_article, build_briefing, story_fingerprint
from briefing.analysis.names import content_stems, words
from briefing.analysis.relevance import RELEVANCE_THRESHOLD
from briefing.config import Actor, Question, Story
from briefing.model import Briefing
from tests.helpers.analysis import analyse_all, load_articles, load_story, make_article

UTC = UTC
NOW = datetime(2025, 2, 7, tzinfo=UTC)
LAST_VIEWED = datetime(2025, 2, 4, 16, tzinfo=UTC)  # after the wire story, before its copy


@pytest.fixture(scope="module")
def story():
    return load_story("syria_story.toml")


@pytest.fixture(scope="module")
def articles():
    return load_articles("s", extra=("weather", "football"))


@pytest.fixture(scope="module")
def analyses(articles, story):
    # Through JSON, as a store would keep them.
    return {aid: json.loads(json.dumps(result)) for aid, result in analyse_all(articles, story).items()}


@pytest.fixture(scope="module")
def briefing(story, articles, analyses) -> Briefing:
    return build_briefing(story, articles, analyses, now=NOW, last_viewed=LAST_VIEWED)


def by_key(articles, key):
    return next(a for a in articles if a.key == key)


def test_analysis_is_compact_json(articles, story):
    for article in articles:
        result = analyse_article(article, story)
        assert json.loads(json.dumps(result)) == result
        assert result["v"] == ANALYSIS_VERSION and result["fp"] == story_fingerprint(story)
        assert len(json.dumps(result)) < 3 * len(article.text) + 2000
        assert {"rel", "s", "sum", "q", "act", "quo", "dates", "sig"} <= result.keys()


def test_fingerprint_follows_what_analysis_depends_on(story):
    same = Story(
        id=story.id, title="Another title", keywords=story.keywords, actors=story.actors, questions=story.questions
    )
    assert story_fingerprint(same) == story_fingerprint(story)
    more = Story(
        id=story.id,
        title=story.title,
        keywords=story.keywords + ("airspace",),
        actors=story.actors,
        questions=story.questions,
    )
    assert story_fingerprint(more) != story_fingerprint(story)


def test_every_article_has_a_row_newest_first(briefing, articles):
    assert [r.id for r in briefing.articles] == [a.id for a in sorted(articles, key=lambda a: a.when, reverse=True)]
    assert briefing.generated_at == NOW and briefing.last_viewed == LAST_VIEWED


def test_unrelated_articles_are_not_relevant(briefing, articles):
    rows = {r.id: r for r in briefing.articles}
    for key in ("weather", "football"):
        row = rows[by_key(articles, key).id]
        assert not row.relevant and row.relevance < RELEVANCE_THRESHOLD
    for key in ("s1_preview", "s2_wire", "s3_copy", "s4_analysis", "s5_bases"):
        assert rows[by_key(articles, key).id].relevant


def test_unrelated_articles_feed_nothing(briefing, articles):
    unrelated = {by_key(articles, "weather").id, by_key(articles, "football").id}
    cited = [c.article_id for c in briefing.summary]
    cited += [c.article_id for q in briefing.questions for c in q.evidence]
    cited += [e.article_id for e in briefing.timeline]
    assert cited and not unrelated & set(cited)


def test_syndicated_copy_shows_also_in_and_counts_once(briefing, articles):
    wire, copy = by_key(articles, "s2_wire"), by_key(articles, "s3_copy")
    rows = {r.id: r for r in briefing.articles}
    assert rows[wire.id].also_in == ("Daily Courier",)
    assert rows[copy.id].also_in == ("Wire One",)
    assert rows[by_key(articles, "s1_preview").id].also_in == ()
    # The copy never speaks for itself; the wire story carries its outlet in `also`.
    everything = list(briefing.summary) + [c for q in briefing.questions for c in q.evidence]
    assert all(c.article_id != copy.id for c in everything)
    sdf = next(q for q in briefing.questions if q.id == "sdf")
    terrorists = [c for c in sdf.evidence if "regards several Kurdish groups" in c.text]
    assert len(terrorists) == 1 and terrorists[0].source == "Wire One" and terrorists[0].also == ("Daily Courier",)
    erdogan = next(a for a in briefing.actors if a.name == "Recep Tayyip Erdoğan")
    texts = [q.text for q in erdogan.quotes]
    assert len(texts) == len(set(texts)) == 3


def test_evidence_ranks_on_topic_and_newer_first(briefing, articles):
    bases = next(q for q in briefing.questions if q.id == "bases")
    newest = by_key(articles, "s5_bases")
    assert bases.evidence[0].article_id == newest.id  # most terms, newest article
    assert "T4 air base near Palmyra" in bases.evidence[0].text
    scores = [c.score for c in bases.evidence]
    assert scores[0] == max(scores)
    assert bases.last_moved == newest.published
    assert bases.outlets == len({c.source for c in bases.evidence} | {s for c in bases.evidence for s in c.also})


GATES = Story(
    id="x",
    title="x",
    keywords=("dam",),
    actors=(Actor("Ruth Okafor"),),
    questions=(Question("gates", "Will the gates open?", ("sluice gate",)),),
)


def test_evidence_recency_breaks_ties():
    old = make_article(
        1,
        "Ruth Okafor said the sluice gate on the dam would stay shut for another week.",
        source="Old Post",
        when=datetime(2024, 7, 1, tzinfo=UTC),
    )
    new = make_article(
        2,
        "Engineers inspected the sluice gate of the dam on Monday before a decision by Okafor.",
        source="New Post",
        when=datetime(2024, 7, 9, tzinfo=UTC),
    )
    view = build_briefing(GATES, [old, new], {}, now=NOW).questions[0]
    assert [c.article_id for c in view.evidence] == [2, 1]
    # The newer evidence tells of Monday 8 July: the question moved then.
    assert view.last_moved == datetime(2024, 7, 8, tzinfo=UTC) and view.outlets == 2


def test_near_identical_sentences_from_different_articles_merge():
    line = "Ruth Okafor said the sluice gate on the dam would stay shut for another week, officials confirmed."
    first = make_article(
        1,
        "Heavy rain fell across the valley on Sunday night, flooding two farm roads. " + line,
        source="Old Post",
        when=datetime(2024, 7, 1, tzinfo=UTC),
    )
    second = make_article(
        2,
        line.replace("another week", "one more week")
        + " Shops in the high street stayed open late for the summer fair, and a band played.",
        source="New Post",
        when=datetime(2024, 7, 2, tzinfo=UTC),
    )
    result = build_briefing(GATES, [first, second], {}, now=NOW)
    assert all(r.also_in == () for r in result.articles)  # not syndicated copies
    evidence = result.questions[0].evidence
    assert len(evidence) == 1 and evidence[0].article_id == 2 and evidence[0].also == ("Old Post",)
    assert result.questions[0].outlets == 2


def test_summary_is_cited_and_not_redundant(briefing, articles, analyses):
    summary = briefing.summary
    assert len(summary) == 6
    ids = {a.id: a for a in articles}
    for cited in summary:
        article = ids[cited.article_id]
        assert cited.source == article.source and cited.published == article.published
        assert cited.text in article.text
    for a, b in combinations(summary, 2):
        sa, sb = set(content_stems(words(a.text))), set(content_stems(words(b.text)))
        assert len(sa & sb) / len(sa | sb) < 0.5, (a.text, b.text)
    # Reads as a story: by article date, then position.
    order = [(ids[c.article_id].when, c.article_id) for c in summary]
    assert order == sorted(order)
    # Facts over quotes and questions.
    assert not any(c.text.lstrip().startswith(('"', "“")) or c.text.endswith("?") for c in summary)


def test_summary_size_is_respected(story, articles, analyses):
    assert len(build_briefing(story, articles, analyses, now=NOW, summary_size=3).summary) == 3


def test_new_marks(briefing, articles):
    new_ids = {a.id for a in articles if a.first_seen > LAST_VIEWED}
    assert {r.id for r in briefing.articles if r.new} == new_ids
    for q in briefing.questions:
        assert q.new_evidence == sum(1 for c in q.evidence if c.new)
        assert all(c.new == (c.article_id in new_ids) for c in q.evidence)
    fidan = next(a for a in briefing.actors if a.name == "Hakan Fidan")
    assert fidan.new and fidan.quotes and all(q.new for q in fidan.quotes)
    erdogan = next(a for a in briefing.actors if a.name == "Recep Tayyip Erdoğan")
    assert not erdogan.new  # already named before the last view
    assert any(q.new_evidence for q in briefing.questions)


def test_nothing_is_new_on_first_view(story, articles, analyses):
    first = build_briefing(story, articles, analyses, now=NOW, last_viewed=None)
    assert not any(r.new for r in first.articles)
    assert not any(a.new for a in first.actors)
    assert not any(q.new_evidence for q in first.questions)
    assert not any(c.new for c in first.summary)


def test_actors(briefing):
    actors = {a.name: a for a in briefing.actors}
    prominence = [a.prominence for a in briefing.actors]  # ranked by it, not by mentions
    assert prominence == sorted(prominence, reverse=True)
    assert briefing.actors[0].mentions > 0
    sharaa = actors["Ahmed al-Sharaa"]
    assert sharaa.role == "Syria's interim president"  # from the story file
    assert sharaa.mentions >= 10 and sharaa.articles == 3  # preview, wire story and its copy
    assert actors["Murhaf Abu Qasra"].role in ("Syria's new defense minister", "Syria's defense minister")
    assert actors["Hakan Fidan"].role == "Turkish Foreign Minister"
    assert actors["Murhaf Abu Qasra"].quotes[0].text.startswith("We want allies")
    sdf = actors["Syrian Democratic Forces"]
    assert sdf.mentions >= 5 and sdf.first_seen is not None and sdf.last_seen >= sdf.first_seen
    for actor in briefing.actors:
        for cited in actor.mentioned_in:
            assert cited.text


def test_actor_with_no_mentions_is_still_listed_last(story, articles, analyses):
    extra = Actor("Nobody Inparticular", kind="person")
    bigger = Story(
        id=story.id,
        title=story.title,
        keywords=story.keywords,
        actors=story.actors + (extra,),
        questions=story.questions,
    )
    result = build_briefing(bigger, articles, {}, now=NOW)  # stale analyses: recomputed
    assert result.actors[-1].name == "Nobody Inparticular" and result.actors[-1].mentions == 0


def test_other_speakers_kept_by_name(briefing):
    speakers = {q.speaker for q in briefing.other_quotes}
    assert {"Selin Aydın", "Farhad Shami"} <= speakers


def test_also_mentioned(briefing):
    names = {n.name: n for n in briefing.also_mentioned}
    assert "Hale Institute" in names and names["Hale Institute"].articles == 2
    listed = {"Ahmed al-Sharaa", "Recep Tayyip Erdoğan", "Hakan Fidan", "Bashar al-Assad", "Syrian Democratic Forces"}
    assert not listed & names.keys()
    assert all(n.mentions >= 2 or n.articles >= 2 for n in briefing.also_mentioned)


def test_timeline(briefing, articles):
    events = briefing.timeline
    assert [e.when for e in events] == sorted(e.when for e in events)
    dated = {(e.when.date().isoformat(), e.article_id) for e in events}
    preview = by_key(articles, "s1_preview")
    # "expected in Ankara on Tuesday" in a Monday 3 February article: Tuesday 4 February.
    assert ("2025-02-04", preview.id) in dated
    # "came to power in December" in February 2025: December 2024.
    assert ("2024-12-01", preview.id) in dated
    # "repeated on Wednesday" in a Wednesday 5 February article.
    assert ("2025-02-05", by_key(articles, "s4_analysis").id) in dated
    assert len({(e.when, e.text) for e in events}) == len(events)


def test_missing_analyses_are_computed(story, articles, analyses):
    partial = {k: v for k, v in analyses.items() if k % 2}
    assert build_briefing(story, articles, partial, now=NOW, last_viewed=LAST_VIEWED) == build_briefing(
        story, articles, analyses, now=NOW, last_viewed=LAST_VIEWED
    )


def test_empty_store():
    empty = build_briefing(Story(id="e", title="Empty"), [], {}, now=NOW)
    assert empty.articles == () and empty.summary == () and empty.generated_at == NOW
