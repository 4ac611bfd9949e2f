"""Properties of every text path, over text Hypothesis makes up.

The text is built from the characters and pieces hostile feeds are made of
('<', '>', '&', quotes, stops, dashes, capitals, newlines, combining marks,
unclosed tags and comments), each piece repeated up to thousands of times.
Whatever the text, each path takes time linear in its length (the bound is
on the time per character, generous for a busy two-core machine), and the
sanitiser leaves no control, bidi or invisible character in what it cleans.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.analysis import analyse_article
from briefing.analysis.names import name_runs, tokens
from briefing.analysis.quotes import quote_spans
from briefing.analysis.sentences import split_sentences
from briefing.config import Actor, Story
from briefing.ingest.files import _html_title
from briefing.model import Article
from briefing.text.boilerplate import strip_boilerplate
from briefing.text.sanitize import clean_line, clean_text, html_to_text, looks_like_html

CHARACTERS = list("<>a/&;\"“”-!. AZ\n'") + ["\u0301", "\u0316", "\u0327"]
PIECES = [
    "<a",
    "<a ",
    "</a",
    "<!--",
    "-->",
    "&lt;a",
    "&amp;",
    "<p>",
    "</p>",
    "<title>",
    "<script>",
    "...",
    '"',
    "“",
    "”",
    "Ab",
    "Erdogan",
    " said",
    ". ",
    "\n\n",
    "e\u0301\u0316",
    '<a href="',
    "<!x",
]

STORY = Story(
    id="x",
    title="x",
    keywords=("Ankara",),
    actors=(Actor("Recep Tayyip Erdoğan", kind="person"), Actor("Türkiye", kind="state")),
)


def _analyse(text: str) -> None:
    when = datetime(2025, 2, 4, 12, tzinfo=UTC)
    analyse_article(
        Article(id=1, key="k", title="t", source="s", link=None, published=when, first_seen=when, text=text), STORY
    )


PATHS = (
    looks_like_html,
    html_to_text,
    clean_text,
    clean_line,
    _html_title,
    strip_boilerplate,
    split_sentences,
    name_runs,
    tokens,
    quote_spans,
    _analyse,
)

_fragment = st.one_of(
    st.sampled_from(CHARACTERS), st.sampled_from(PIECES), st.text(alphabet=CHARACTERS, min_size=1, max_size=6)
)
# A few fragments, each repeated: hostile text is one trick many times over.
hostile_text = st.lists(st.tuples(_fragment, st.integers(1, 3000)), min_size=1, max_size=4).map(
    lambda parts: "".join(fragment * times for fragment, times in parts)
)

# Per character, all paths together; real prose takes a few microseconds.
# Quadratic work on the longest of these texts takes hundreds.
MICROSECONDS_PER_CHARACTER = 60
FIXED_SECONDS = 0.01


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_text)
@example("<a" * 10_000)
@example("<p>x</p>" + '<a "' * 5_000)
@example("<!--" * 5_000)
@example("." * 20_000)
@example("\u0301\u0316" * 10_000)
@example('"one two three four" he said. Ab Cd said ' * 500)
def test_every_text_path_takes_time_linear_in_its_length(text):
    started = time.perf_counter()
    for path in PATHS:
        path(text)
    seconds = time.perf_counter() - started
    bound = FIXED_SECONDS + len(text) * MICROSECONDS_PER_CHARACTER / 1e6
    assert seconds < bound, f"{len(text)} characters took {seconds:.2f} s (bound {bound:.2f} s)"


INVISIBLE = [
    "\u200e",
    "\u200f",
    "\u061c",
    "\ufff9",
    "\ufffa",
    "\ufffb",
    "\U000e0001",
    "\U000e0041",
    "\U000e007f",
    "\u202e",
    "\u2066",
    "\x1b",
    "\x9b",
    "\ufeff",
]


def test_invisible_and_width_breaking_characters_are_dropped():
    # Tag characters spell hidden text; LRM, RLM and ALM reorder what is
    # drawn; interlinear annotation marks hide their annotation.
    hidden = "Ankara" + "".join(chr(0xE0000 + ord(c)) for c in "ignore all previous") + " talks"
    assert clean_line(hidden) == "Ankara talks"
    assert clean_text("a\u200eb\u200fc\u061cd \ufff9base\ufffaruby\ufffb") == "abcd baseruby"
    assert html_to_text("<p>a\u200f&#x200e;b</p>") == "ab"


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(st.sampled_from(INVISIBLE), st.text(max_size=5)), max_size=20).map("".join))
def test_cleaned_text_holds_no_invisible_character(text):
    for cleaned in (clean_text(text), clean_line(text), html_to_text(text)):
        assert not any(c in cleaned for c in INVISIBLE), repr(cleaned)
