"""Boilerplate removal and sentence splitting."""

from __future__ import annotations

import pytest

from briefing.analysis.sentences import split_sentences
from briefing.text.boilerplate import strip_boilerplate

STORY = [
    "The two ministers met in the capital on Monday to talk about border crossings.",
    "Officials said a second meeting could follow within weeks, though no date was set.",
    "Trade across the frontier fell by a third last year, according to customs data.",
]


def test_legal_notice_and_everything_after_it_goes():
    text = "\n\n".join(STORY) + (
        "\n\nLEGAL NOTICE: All rights to this news item belong to the agency. It may not be republished "
        "without a written contract.\nCity council approves new bus lanes\nStorm warning issued for the coast"
    )
    assert strip_boilerplate(text) == "\n\n".join(STORY)


@pytest.mark.parametrize(
    "notice",
    [
        "Copyright 2025 Example News. All rights reserved.",
        "© 2025 Example News",
        "All rights reserved.",
    ],
)
def test_other_notices_cut_the_tail(notice):
    text = f"{STORY[0]}\n\n{notice}\n\nUnrelated headline about a football transfer"
    assert strip_boilerplate(text) == STORY[0]


def test_an_embedded_post_goes_with_its_byline():
    # The post is someone else's words (here another outlet's tweet): the
    # summary must not cite them as the article's.
    post = (
        "#BREAKING: The minister arrives at the border post. pic.twitter.com/Xy12AbC9\n"
        "— Frontier Desk (@FrontierDesk) February 4, 2025"
    )
    out = strip_boilerplate(f"{STORY[0]}\n\n{post}\n\n{STORY[1]}")
    assert out == f"{STORY[0]}\n\n{STORY[1]}"
    # The same with the post and its byline in paragraphs of their own.
    out = strip_boilerplate(f"{STORY[0]}\n\n{post.replace(chr(10), chr(10) * 2)}\n\n{STORY[1]}")
    assert out == f"{STORY[0]}\n\n{STORY[1]}"
    assert strip_boilerplate(out) == out


def test_a_link_to_a_post_without_a_byline_loses_only_the_link():
    text = f"{STORY[0]}\n\nThe minister arrives at the border post. pic.twitter.com/Xy12AbC9\n\n{STORY[1]}"
    assert strip_boilerplate(text) == f"{STORY[0]}\n\nThe minister arrives at the border post.\n\n{STORY[1]}"


def test_share_and_follow_lines_go():
    text = "\n\n".join(
        [
            STORY[0],
            "Share this article",
            "Read more: Ten facts about the border",
            STORY[1],
            "Follow us on Telegram",
            "Facebook | Twitter | Email",
            STORY[2],
        ]
    )
    assert strip_boilerplate(text) == "\n\n".join(STORY)


def test_html_leftovers_go():
    text = (
        "<p>The ministers met &amp; talked for <b>three</b> hours.</p>\n\n"
        '<div class="embed">They agreed&nbsp;to meet again &quot;soon&quot;.<br/></div>\n\n'
        "Prices rose 5% &amp;amp; wages fell."
    )
    assert strip_boilerplate(text) == (
        "The ministers met & talked for three hours.\n\n"
        'They agreed to meet again "soon".\n\nPrices rose 5% & wages fell.'
    )


def test_story_text_that_merely_mentions_rights_is_kept():
    text = (
        "Copyright lawyers say the new rules are unclear.\n\n"
        "The publisher said the photos may not be published in the region, a move critics called censorship.\n\n"
        "Share prices fell 3% after the announcement."
    )
    assert strip_boilerplate(text) == text


def test_strip_is_idempotent_and_keeps_paragraphs():
    text = "\n\n".join(STORY) + "\n\nShare this article"
    once = strip_boilerplate(text)
    assert strip_boilerplate(once) == once
    assert once.split("\n\n") == STORY


# --- sentences ---------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Mr. Demir met Dr. Kaya in the U.S. capital. They spoke for an hour.",
            ["Mr. Demir met Dr. Kaya in the U.S. capital.", "They spoke for an hour."],
        ),
        (
            "Gen. Yilmaz arrived on Feb. 4 with aides. Talks began at noon.",
            ["Gen. Yilmaz arrived on Feb. 4 with aides.", "Talks began at noon."],
        ),
        ("Recep T. Erdoğan spoke first. The guest replied.", ["Recep T. Erdoğan spoke first.", "The guest replied."]),
        (
            "About 3.8 million refugees live there, up 1.5 percent. Numbers may fall.",
            ["About 3.8 million refugees live there, up 1.5 percent.", "Numbers may fall."],
        ),
        (
            '"We will build it together," he said. The crowd cheered.',
            ['"We will build it together," he said.', "The crowd cheered."],
        ),
        (
            "“We will build it together,” she said. The crowd cheered.",
            ["“We will build it together,” she said.", "The crowd cheered."],
        ),
        (
            'He ended with a warning: "Nobody is safe." Then he left.',
            ['He ended with a warning: "Nobody is safe."', "Then he left."],
        ),
        ('"Why now?" Fidan asked. Nobody answered.', ['"Why now?" Fidan asked.', "Nobody answered."]),
        (
            "The talks stalled... Then came the call. It was brief… and tense.",
            ["The talks stalled...", "Then came the call.", "It was brief… and tense."],
        ),
        (
            "Was it a deal? Officials would not say! Nobody knew.",
            ["Was it a deal?", "Officials would not say!", "Nobody knew."],
        ),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_newlines_end_sentences():
    assert split_sentences("A heading without a stop\nThe first line. The second line.\n\nNext paragraph.") == [
        "A heading without a stop",
        "The first line.",
        "The second line.",
        "Next paragraph.",
    ]


def test_decoded_entities_cannot_smuggle_control_characters():
    out = strip_boilerplate("Safe text &amp;#27;[31m here &#x202E;reversed&#x202C; and &amp;#7; bell.")
    assert not any(ch in out for ch in "\x1b\x07\u202e\u202c")
    assert out.startswith("Safe text") and "reversed" in out
