"""Every name and voice: the names the story file does not list open like
actors, quotations by people outside the story file are kept, and a
spokesperson's words are listed under the organisation they speak for.
On a story of its own: a dockworkers' strike at a port."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.analysis import BriefingBuilder, build_briefing
from briefing.analysis.quotes import quote_spans, quotes_in_paragraph
from tests.helpers.analysis import analyse_all, load_articles, load_story, make_article

NOW = datetime(2025, 3, 7, tzinfo=UTC)
LAST_VIEWED = datetime(2025, 3, 4, tzinfo=UTC)


@pytest.fixture(scope="module")
def story():
    return load_story("port_story.toml")


@pytest.fixture(scope="module")
def articles():
    return load_articles("k")


@pytest.fixture(scope="module")
def briefing(story, articles):
    return build_briefing(story, articles, analyse_all(articles, story), now=NOW, last_viewed=LAST_VIEWED)


def test_names_not_in_the_story_file_open_like_actors(briefing):
    others = {o.name: o for o in briefing.others}
    assert {"Tomas Reed", "Helena Roos"} <= set(others)
    assert all(not o.listed for o in briefing.others) and all(a.listed for a in briefing.actors)
    roos = others["Helena Roos"]
    assert roos.role == "Prime Minister"  # "Prime Minister Helena Roos urged ..."
    assert (roos.mentions, roos.articles) == (2, 1)
    assert [q.text for q in roos.quotes] == ["A port that does not move is a country that does not move"]
    assert [c.article_id for c in roos.mentioned_in] == [4, 4]
    assert all("Roos" in c.text for c in roos.mentioned_in)
    reed = others["Tomas Reed"]
    assert reed.articles == 2 and reed.quotes[0].text.startswith("Every day the cranes stand still")
    # The JSON keeps its keys: the plain counts are still there.
    assert {n.name for n in briefing.also_mentioned} == set(others)


def test_quotes_by_people_outside_the_story_file_are_kept(briefing):
    speakers = {q.speaker for q in briefing.other_quotes}
    assert {"Helena Roos", "Tomas Reed"} <= speakers
    assert "other_quotes" not in briefing.extra  # a field of its own now


def test_a_spokesperson_is_heard_under_the_organisation(briefing):
    ostrand = next(a for a in briefing.actors if a.name == "Ostrand Shipping")
    said = {(q.speaker, q.text[:30]) for q in ostrand.quotes}
    # Named: "..., said Tomas Reed, a spokesman for Ostrand Shipping."
    assert ("Tomas Reed", "Every day the cranes stand sti") in said
    # Unnamed: "..., an Ostrand spokeswoman said."
    assert ("Ostrand spokeswoman", "We cannot leave cargo sitting ") in said


def test_spokesperson_shapes():
    def found(paragraph):
        return [
            (f.speaker, f.org)
            for f in quotes_in_paragraph(paragraph, quote_spans(paragraph), [], None, lambda name: (name, None))
        ]

    assert found('"The terminal stays shut until further notice," a spokesman for Varberg Harbour said.') == [
        ("Varberg Harbour spokesman", "Varberg Harbour")
    ]
    assert found('"We have seen nothing like it in years," said Lena Holm, a spokeswoman for the Tide Office.') == [
        ("Lena Holm", "Tide Office")
    ]
    assert found('A Kelmouth Ferries spokesperson said: "Our boats will keep running on time."') == [
        ("Kelmouth Ferries spokesperson", "Kelmouth Ferries")
    ]
    assert found('"The cranes will be back by Friday morning," Lena Holm said.') == [("Lena Holm", None)]


def test_a_spokesperson_for_a_name_outside_the_story_file(story):
    texts = [
        "The Varberg Harbour Office said extra berths were ready for the container ships diverted by the strike "
        'at the Port of Kelmouth. "We can take four more ships a day while the dockworkers strike lasts," said '
        "Lena Holm, a spokeswoman for the Varberg Harbour Office.",
        "Dockworkers at the Port of Kelmouth kept up their strike as the Varberg Harbour Office took in the "
        "container ships diverted from the port.",
    ]
    articles = [
        make_article(i, text, title="Kelmouth strike", source=f"Outlet {i}", when=datetime(2025, 3, 5 + i, tzinfo=UTC))
        for i, text in enumerate(texts, 1)
    ]
    briefing = build_briefing(story, articles, analyse_all(articles, story), now=NOW)
    office = next(o for o in briefing.others if o.name == "Varberg Harbour Office")
    assert [(q.speaker, q.text[:20]) for q in office.quotes] == [("Lena Holm", "We can take four mor")]


def test_every_mention_by_article_newest_first(briefing, articles):
    brandt = next(a for a in briefing.actors if a.name == "Oskar Brandt")
    lines = brandt.mentioned_in
    assert len(lines) > 3 and all("Brandt" in c.text for c in lines)
    when = [c.published for c in lines]
    assert when == sorted(when, reverse=True)  # newest article first
    by_article: dict[int, list[str]] = {}
    for c in lines:
        by_article.setdefault(c.article_id, []).append(c.text)
    # Every article naming him once over (the Valley Gazette's copy of article 5
    # is article 5's line, which names it), each with its sentences in order.
    assert set(by_article) == {1, 2, 3, 4, 5}
    k1 = articles[0].text
    assert [k1.index(text) for text in by_article[1]] == sorted(k1.index(text) for text in by_article[1])
    assert len(by_article[1]) == 3  # three sentences of article 1 name him
    assert all("Valley Gazette" in c.also for c in lines if c.article_id == 5)
    assert "Oskar Brandt" not in briefing.extra["mentioned_in_left_out"]


def test_mentions_left_out_are_counted(story, articles, monkeypatch):
    from briefing.analysis import assemble

    monkeypatch.setattr(assemble, "MENTIONED_IN", 4)
    briefing = build_briefing(story, articles, analyse_all(articles, story), now=NOW)
    brandt = next(a for a in briefing.actors if a.name == "Oskar Brandt")
    assert len(brandt.mentioned_in) == 4
    # Six articles name him; the lines of the two newest filled the four lines.
    assert briefing.extra["mentioned_in_left_out"]["Oskar Brandt"] == 6 - 3


def test_others_follow_articles_as_they_come_and_go(story, articles):
    analyses = analyse_all(articles, story)
    builder = BriefingBuilder(story)
    builder.add(articles[:3], analyses)
    builder.add(articles[3:], analyses)
    builder.remove([4])  # the only article naming Helena Roos
    after = builder.build(now=NOW)
    assert "Helena Roos" not in {o.name for o in after.others}
    assert "Helena Roos" not in {q.speaker for q in after.other_quotes}
    kept = [a for a in articles if a.id != 4]
    fresh = build_briefing(story, kept, analyses, now=NOW)
    assert after.others == fresh.others and after.actors == fresh.actors


def test_a_name_the_story_file_ignores_is_no_longer_proposed(story, articles):
    from briefing.record import replace

    quiet = replace(story, ignore=("helena roos",))  # matched folded, as actors are
    briefing = build_briefing(quiet, articles, analyse_all(articles, quiet), now=NOW, last_viewed=LAST_VIEWED)
    assert "Helena Roos" not in {o.name for o in briefing.others}
    assert "Helena Roos" not in {n.name for n in briefing.also_mentioned}
    assert "Tomas Reed" in {o.name for o in briefing.others}
