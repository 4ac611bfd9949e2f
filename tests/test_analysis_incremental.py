"""BriefingBuilder: fed in batches, with changes and removals, it gives what
build_briefing gives over the same articles at once."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from briefing.analysis import (
    ANALYSIS_VERSION,
    ArticleMeta,
    BriefingBuilder,
    analyse_article,
    build_briefing,
    is_relevant,
    light_analysis,
)
from briefing.analysis import build as build_module
from briefing.model import NameCount
from briefing.record import replace
from tests.helpers.analysis import load_articles, load_story

UTC = UTC
NOW = datetime(2025, 2, 7, tzinfo=UTC)
LAST_VIEWED = datetime(2025, 2, 4, 16, tzinfo=UTC)


@pytest.fixture(scope="module")
def story():
    return load_story("syria_story.toml")


@pytest.fixture(scope="module")
def corpus(story):
    """The fixture articles (ids 1-7: s1..s5, weather, football) plus copies
    that make syndication clusters change as batches arrive, a draft of one
    article that is later replaced, and one that is later removed."""
    base = {a.key: a for a in load_articles("s", extra=("weather", "football"))}
    extra = [
        # An earlier copy of the bases story: takes over its cluster when it arrives.
        replace(
            base["s5_bases"],
            id=8,
            key="copy8",
            source="Echo Times",
            published=base["s5_bases"].published - timedelta(hours=2),
            first_seen=base["s5_bases"].first_seen - timedelta(hours=2),
        ),
        replace(
            base["s4_analysis"],
            id=9,
            key="copy9",
            source="Late Digest",
            published=base["s4_analysis"].published + timedelta(hours=5),
            first_seen=base["s4_analysis"].first_seen + timedelta(hours=5),
        ),
        replace(base["s1_preview"], id=10, key="gone10", source="Short Lived"),
    ]
    draft = replace(
        base["s4_analysis"],
        title="Draft: what a pact would mean",
        text=base["s4_analysis"].text.split("\n\n")[0],
        published=base["s4_analysis"].published - timedelta(hours=1),
    )
    final = list(base.values()) + extra
    analyses = {a.id: _stored(analyse_article(a, story)) for a in final}
    return {
        "final": final,
        "draft": draft,
        "draft_analysis": _stored(analyse_article(draft, story)),
        "analyses": analyses,
        "by_id": {a.id: a for a in final},
    }


def _stored(result: dict) -> dict:
    return json.loads(json.dumps(result))  # as a store keeps it


def _batched(story, corpus):
    by_id, analyses = corpus["by_id"], corpus["analyses"]
    builder = BriefingBuilder(story)
    builder.add([by_id[i] for i in (5, 3, 10, 7)] + [corpus["draft"]], {**analyses, 4: corpus["draft_analysis"]})
    builder.add([by_id[i] for i in (1, 9, 6)], analyses)
    builder.add([by_id[i] for i in (2, 8, 4)], analyses)  # 4 replaces its draft
    builder.remove([10])
    return builder


def _final_articles(corpus):
    return [a for a in corpus["final"] if a.id != 10]


@pytest.mark.parametrize("bulk", [False, True])
def test_batches_with_change_and_removal_equal_one_build(story, corpus, monkeypatch, bulk):
    if bulk:  # every batch counts as a big load
        monkeypatch.setattr(build_module, "_BULK", 1)
    builder = _batched(story, corpus)
    expected = build_briefing(story, _final_articles(corpus), corpus["analyses"], now=NOW, last_viewed=LAST_VIEWED)
    got = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    assert got.summary == expected.summary
    assert got.actors == expected.actors
    assert got.questions == expected.questions
    assert got.articles == expected.articles
    assert got == expected
    # The copies matter: the earlier copy of the bases story now speaks for it.
    rows = {r.id: r for r in got.articles}
    assert rows[8].also_in == ("Levant Ledger",) and rows[5].also_in == ("Echo Times",)
    assert rows[4].also_in == ("Late Digest",) and 10 not in rows
    cited = {c.article_id for q in got.questions for c in q.evidence} | {c.article_id for c in got.summary}
    assert 8 in cited and not {5, 9} & cited
    assert got.extra == {**got.extra, "total_articles": 9, "relevant": 7, "distinct_relevant": 4}


@pytest.mark.parametrize("bulk", [False, True])
def test_any_order_and_tiny_pools_give_the_same(story, corpus, monkeypatch, bulk):
    # Tiny pools make the builder drop entries and refill them, and make the
    # summary pool skip copies: still exactly the one-shot result. In bulk,
    # every add is a big load: lists ordered and clusters formed in one go.
    if bulk:
        monkeypatch.setattr(build_module, "_BULK", 1)
        monkeypatch.setattr(build_module, "_REINDEX", 0)
    monkeypatch.setattr(build_module, "_SUMMARY_ROOM", 3)
    monkeypatch.setattr(build_module, "_TIMELINE_ROOM", 2)
    monkeypatch.setattr(build_module, "POOL", 9)  # summary candidates
    articles, analyses = _final_articles(corpus), corpus["analyses"]
    expected = build_briefing(story, articles, analyses, now=NOW, last_viewed=LAST_VIEWED)
    rng = random.Random(7)
    for _ in range(4):
        order = articles[:]
        rng.shuffle(order)
        builder = BriefingBuilder(story)
        for start in range(0, len(order), 3):
            builder.add(order[start : start + 3], analyses)
            builder.build(now=NOW, last_viewed=LAST_VIEWED)  # builds in between change nothing
        assert builder.build(now=NOW, last_viewed=LAST_VIEWED) == expected
    # One at a time in id order.
    builder = BriefingBuilder(story)
    for article in sorted(articles, key=lambda a: a.id):
        builder.add([article], analyses)
    assert builder.build(now=NOW, last_viewed=LAST_VIEWED) == expected


def test_metas_without_text_and_light_dicts_for_the_rest(story, corpus):
    analyses = corpus["analyses"]
    light = {aid: (r if is_relevant(r) else light_analysis(r)) for aid, r in analyses.items()}
    assert light[6] == {"v": ANALYSIS_VERSION, "fp": analyses[6]["fp"], "rel": analyses[6]["rel"]}
    assert not is_relevant(light[6]) and is_relevant(light[1])

    def metas(articles):
        return [
            ArticleMeta(
                id=a.id,
                title=a.title,
                source=a.source,
                link=a.link,
                published=a.published,
                first_seen=a.first_seen,
                read=a.read,
            )
            for a in articles
        ]

    full = _batched(story, corpus).build(now=NOW, last_viewed=LAST_VIEWED)
    builder = BriefingBuilder(story)
    builder.add(metas(_final_articles(corpus)), light)
    assert builder.build(now=NOW, last_viewed=LAST_VIEWED) == full
    # Nothing at all for the unrelated ones: only their rows' relevance is unknown.
    builder = BriefingBuilder(story)
    builder.add(metas(_final_articles(corpus)), {aid: r for aid, r in analyses.items() if is_relevant(r)})
    bare = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    assert replace(bare, articles=()) == replace(full, articles=())
    assert [r.relevance for r in bare.articles if not r.relevant] == [0.0, 0.0]


def test_article_limit_keeps_the_newest_rows(story, corpus):
    builder = _batched(story, corpus)
    full = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    some = builder.build(now=NOW, last_viewed=LAST_VIEWED, article_limit=3)
    assert some.articles == full.articles[:3]
    assert replace(some, articles=full.articles) == full
    assert some.extra["total_articles"] == len(full.articles) == 9
    assert builder.build(now=NOW, article_limit=0).articles == ()
    # Unread counts every row too, not only those kept; removed rows are not counted.
    oldest = full.articles[-1].id
    builder.mark_read(full.articles[0].id)
    builder.mark_read(oldest)
    assert builder.build(now=NOW, article_limit=3).extra["unread"] == 9 - 2
    builder.remove([oldest, full.articles[1].id])
    assert builder.build(now=NOW, article_limit=3).extra["unread"] == 9 - 2 - 1


def test_titles_let_go_are_read_back_when_their_rows_are_shown(story, corpus):
    builder = _batched(story, corpus)
    expected = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    by_id = corpus["by_id"]
    asked: list[list[int]] = []

    def titles_from(ids):
        asked.append(sorted(ids))
        return {i: (by_id[i].title, by_id[i].link) for i in ids}

    assert builder.forget_titles(3, titles_from) == len(expected.articles) - 3
    # The newest rows are still held: no reading back.
    assert builder.build(now=NOW, last_viewed=LAST_VIEWED, article_limit=3).articles == expected.articles[:3]
    assert asked == []
    # All of them (an export): the others are read back, once.
    assert builder.build(now=NOW, last_viewed=LAST_VIEWED) == expected
    assert asked == [sorted(row.id for row in expected.articles[3:])]
    assert builder.build(now=NOW, last_viewed=LAST_VIEWED) == expected
    assert len(asked) == 1
    # Newest rows gone: older rows come into view, with their titles.
    builder.forget_titles(2, titles_from)
    builder.remove([row.id for row in expected.articles[:2]])
    shown = builder.build(now=NOW, last_viewed=LAST_VIEWED, article_limit=4).articles
    assert [(r.id, r.title, r.link) for r in shown] == [(r.id, r.title, r.link) for r in expected.articles[2:6]]


def test_new_copies_in_any_order_join_their_cluster_without_re_forming_it(story, corpus, monkeypatch):
    """A refresh reports its articles in the order feeds finished; fed so,
    each copy of a syndicated story landed between two others in the
    clusters' buckets and re-formed the whole cluster (minutes for 10,000
    near-copies). The builder takes new articles in id order."""
    from briefing.analysis.syndication import Clusters

    builder = _batched(story, corpus)
    base = corpus["by_id"][5]
    copies = [replace(base, id=100 + i, key=f"copy{i}", source=f"Outlet {i}") for i in range(40)]
    analyses = {c.id: corpus["analyses"][5] for c in copies}
    random.Random(7).shuffle(copies)
    reforms = []
    original = Clusters._reform
    monkeypatch.setattr(Clusters, "_reform", lambda self, *a, **k: reforms.append(1) or original(self, *a, **k))
    builder.add(copies, analyses)
    assert reforms == []
    bases = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    row = next(r for r in bases.articles if r.relevant and r.also_in)
    assert len(row.also_in) >= 40  # one cluster: the story and its copies


def test_mark_read_and_new_marks_follow_build_arguments(story, corpus):
    builder = _batched(story, corpus)
    builder.mark_read(3)
    builder.mark_read(12345)  # unknown: ignored
    rows = {r.id: r for r in builder.build(now=NOW).articles}
    assert rows[3].read and not rows[1].read
    first = builder.build(now=NOW, last_viewed=None)
    later = builder.build(now=NOW, last_viewed=LAST_VIEWED)
    assert not any(r.new for r in first.articles) and any(r.new for r in later.articles)


def test_stale_or_missing_analysis_is_not_relevant(story, corpus):
    article = corpus["by_id"][1]
    stale = dict(corpus["analyses"][1], v=ANALYSIS_VERSION - 1)
    builder = BriefingBuilder(story)
    builder.add([article], {1: stale})
    briefing = builder.build(now=NOW)
    assert briefing.articles[0].relevant is False and briefing.summary == ()
    builder.add([article], corpus["analyses"])  # now current: replaces it
    assert builder.build(now=NOW).articles[0].relevant
    builder.remove([1, 999])
    empty = builder.build(now=NOW)
    assert empty.articles == () and empty.actors[0].mentions == 0 and empty.extra["relevant"] == 0


def test_stored_dict_is_compact(story, corpus):
    for aid, result in corpus["analyses"].items():
        assert "tok" not in result and len(result["sum"]) % 2 == 0
        assert all(len(found) % 2 == 0 for found in result["q"].values())
        assert all(0 <= v < 65536 for v in result["sig"])
        article = corpus["by_id"][aid]
        # The sentences naming each actor (a few) are kept for "mentioned in":
        # in a short article that is most of its text.
        assert len(json.dumps(result, ensure_ascii=False)) < 2.0 * len(article.text) + 600


def test_one_call_may_repeat_an_id_and_the_last_wins(story, corpus):
    article = corpus["by_id"][1]
    builder = BriefingBuilder(story)
    builder.add([replace(article, title="Old title"), corpus["by_id"][2], article], corpus["analyses"])
    titles = {r.id: r.title for r in builder.build(now=NOW).articles}
    assert titles == {1: article.title, 2: corpus["by_id"][2].title}


def test_id_index_behaves_like_a_dict():
    from briefing.analysis.rows import IdIndex

    rng = random.Random(3)
    index, plain = IdIndex(), {}
    index._RECENT = 8  # merge often
    index.extend([1, 2, 5], [10, 20, 50])
    plain.update({1: 10, 2: 20, 5: 50})
    for step in range(3000):
        key = rng.randrange(200)
        roll = rng.random()
        if roll < 0.5:
            index[key] = plain[key] = step
        elif roll < 0.8:
            assert index.pop(key) == plain.pop(key, None)
        else:
            fresh = sorted({rng.randrange(200, 400) for _ in range(5)} - plain.keys())
            assert index.held(fresh + [key]) == ({key} & plain.keys())
            index.extend(fresh, range(len(fresh)))
            plain.update(zip(fresh, range(len(fresh)), strict=False))
        assert len(index) == len(plain)
        assert all(index.get(k) == plain.get(k) for k in range(0, 400, 7))


def test_names_spelled_two_ways_count_as_one_and_leave_with_their_articles():
    from briefing.config import Actor, Question, Story
    from tests.helpers.analysis import make_article

    story = Story(
        id="x",
        title="x",
        keywords=("dam",),
        actors=(Actor("Ruth Okafor"),),
        questions=(Question("gates", "Will the gates open?", ("sluice gate",)),),
    )
    texts = {
        1: "Ruth Okafor said the dam would stay shut. Selin Aydın of the Hale Institute agreed with the dam plan.",
        2: "Okafor's engineers checked the dam on Monday. Selin Aydin, of the Hale Institute, said the dam's "
        "sluice gate held.",
        3: "Okafor met Selin Aydin about the dam and the sluice gate, and Selin Aydin said the dam was safe.",
    }
    articles = [make_article(i, t, source=f"Post {i}") for i, t in texts.items()]
    analyses = {a.id: analyse_article(a, story) for a in articles}
    builder = BriefingBuilder(story)
    builder.add(articles, analyses)
    names = {n.name: n for n in builder.build(now=NOW).also_mentioned}
    assert all(is_relevant(r) for r in analyses.values())
    assert names["Selin Aydin"] == NameCount("Selin Aydin", 4, 3) and "Selin Aydın" not in names  # usual spelling
    builder.remove([2, 3])
    names = {n.name: n for n in builder.build(now=NOW).also_mentioned}
    assert not {"Selin Aydin", "Selin Aydın"} & names.keys()  # one article, one mention
    assert builder.build(now=NOW) == build_briefing(story, articles[:1], analyses, now=NOW)
    builder.add(articles[1:], analyses)
    assert builder.build(now=NOW) == build_briefing(story, articles, analyses, now=NOW)


def test_name_tally_ranks_as_if_counted_from_scratch():
    from collections import Counter

    from briefing.analysis.names import fold
    from briefing.analysis.tally import NameTally

    rng = random.Random(9)
    pool = ["Selin Aydın", "Selin Aydin", "Hale Institute", "Omar Reyes", "Lia Chen", "Port Board", "Ana Ruiz"]
    pool += [f"Name{i} Person{i % 7}" for i in range(40)]  # more than the few times 4 it keeps
    tally, held = NameTally(), {}
    for step in range(600):
        if held and rng.random() < 0.35:
            key = rng.choice(sorted(held))
            tally.remove(held.pop(key)[1])
        else:
            names = {n: rng.randint(1, 3) for n in rng.sample(pool, rng.randint(0, 4))}
            held[step] = (names, tally.add(names, track=step % 50 != 0))
            if step % 50 == 0:
                tally.rank_all()
        mentions, articles, spellings = Counter(), Counter(), {}
        for names, _ in held.values():
            for name, count in names.items():
                mentions[fold(name)] += count
                articles[fold(name)] += 1
                spellings.setdefault(fold(name), Counter())[name] += 1
        keep = sorted(
            (k for k in mentions if mentions[k] >= 2 or articles[k] >= 2), key=lambda k: (-mentions[k], -articles[k], k)
        )[:4]
        assert [(n, m) for n, m, _ in tally.top(4)] == [
            (
                min(
                    spellings[k],
                    key=lambda s: (
                        -spellings[k][s],
                        -sum(c for names, _ in held.values() for n, c in names.items() if n == s),
                        s,
                    ),
                ),
                mentions[k],
            )
            for k in keep
        ]


def test_early_version_2_pairs_are_read_too(story, corpus):
    """The first stores of version 2 kept summary and evidence entries as
    [sidx, score] pairs rather than flat."""
    analyses = corpus["analyses"]
    paired = {}
    for aid, result in analyses.items():
        result = dict(result)
        result["sum"] = [result["sum"][k : k + 2] for k in range(0, len(result["sum"]), 2)]
        result["q"] = {q: [flat[k : k + 2] for k in range(0, len(flat), 2)] for q, flat in result["q"].items()}
        paired[aid] = result
    articles = _final_articles(corpus)
    assert build_briefing(story, articles, paired, now=NOW, last_viewed=LAST_VIEWED) == build_briefing(
        story, articles, analyses, now=NOW, last_viewed=LAST_VIEWED
    )
