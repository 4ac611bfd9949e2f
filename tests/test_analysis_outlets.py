"""Outlet names inside sentences are not mentions of what they name."""

from __future__ import annotations

from datetime import UTC

import pytest

from briefing.analysis.outlets import outlet_spans


@pytest.mark.parametrize(
    "sentence,outlet",
    [
        ("Sources told The Times of Israel that the deal is unlikely today.", "The Times of Israel"),
        ("Daily Sabah reported that the talks went on into the night.", "Daily Sabah"),
        ("According to Anadolu Agency, the ministers met twice.", "Anadolu Agency"),
        ("The Jerusalem Post said Israel would keep its troops there.", "The Jerusalem Post"),
    ],
)
def test_outlet_names_are_found(sentence, outlet):
    spans = outlet_spans(sentence)
    assert [sentence[a:b] for a, b in spans] == [outlet]


@pytest.mark.parametrize(
    "sentence",
    [
        "Israel says it will keep troops in the buffer zone.",
        "The Israeli army moved into the buffer zone in December.",
        "Times were hard for Syria's army after the regime fell.",
        "Press reports in Damascus said the talks went well.",
    ],
)
def test_ordinary_sentences_have_none(sentence):
    assert outlet_spans(sentence) == []


def test_an_outlet_named_in_an_article_is_no_evidence_and_no_mention():
    from datetime import datetime, timezone

    from briefing.analysis import analyse_article
    from briefing.config import load_config
    from briefing.model import Article
    from tests.helpers.cli import REPO

    story = load_config(REPO / "feeds.toml").story
    when = datetime(2025, 2, 4, 9, tzinfo=UTC)
    text = (
        "Turkish President Recep Tayyip Erdoğan received Syria's Ahmed al-Sharaa in Ankara on "
        "Tuesday to discuss a defense pact.\n\n"
        "Sources told The Times of Israel that the deal between Türkiye and Syria is unlikely to be "
        "finalized today."
    )
    article = Article(
        id=1,
        key="k",
        title="Erdoğan receives al-Sharaa",
        source="Desk",
        link=None,
        published=when,
        first_seen=when,
        text=text,
    )
    result = analyse_article(article, story)
    sentences = {int(i): s for i, s in result["s"].items()}
    outlet_sentence = next(i for i, s in sentences.items() if "Times of Israel" in s)
    israel_question = next(q.id for q in story.questions if "Israel" in q.title)
    assert outlet_sentence not in result["q"].get(israel_question, [])[0::2]
    assert "Israel" not in result["act"]
