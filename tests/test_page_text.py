"""An article's web page to its text (briefing.ingest.page_text): the story kept,
the page around it dropped, hostile pages answered with a reason in words
and in bounded time, and the real measured pages scored.

The pages here are our own; the real ones are the article-pages corpus
beside the checkout (or under $BRIEFING_CORPORA), scored as
benchmarks/extraction.py scores them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

import pytest

from briefing.ingest.page_text import MAX_ELEMENTS, MAX_HTML_BYTES, MIN_WORDS, PageText, extract_article
from tests.helpers.cli import REPO, run_python
from tests.helpers.hostile import CONTROL, CONTROL_LEFTOVERS, CONTROL_PAYLOADS, CONTROL_WORDS

STORY = [
    "The old harbour bridge, closed since a barge struck one of its piers in the autumn storms, will carry "
    "traffic again by the end of April, the county engineer told councillors on Tuesday evening.",
    "Divers found that the damaged pier had shifted by less than two centimetres, far less than first feared, "
    "and the repair crews have already poured the new footing beside it.",
    "Fishermen who moor on the east quay have had to drive forty minutes around the estuary since October. "
    "Several of them told the meeting that the detour had cost them a day's catch every week.",
    "The council will decide next month whether to add a separate lane for bicycles while the deck is open "
    "for the works, which the engineer said would add about three weeks to the schedule.",
]
HEADLINE = "Harbour bridge to reopen in spring"


def article_page(paragraphs: list[str] = STORY, title: str = HEADLINE, charset: str | None = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    declaration = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>{declaration}
<title>{title} | The Valley Courier</title>
<meta property="og:title" content="{title}">
<script>window.tracker = {{id: 42}};</script><style>body {{ font-family: serif; }}</style>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your visit.
  <button>Accept all</button> <a href="/privacy">Manage your choices</a></div>
<header><nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/local">Local news</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By Ana Ferreira, 3 March</p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
  <li><a href="/a">Ferry timetable changes for the summer season</a></li>
  <li><a href="/b">New lighthouse keeper appointed after forty years</a></li>
  <li><a href="/c">Storm damage bill reaches two million</a></li></ul></aside>
</main>
<footer><p>Copyright The Valley Courier. All rights reserved.</p><a href="/contact">Contact us</a>
  <a href="/terms">Terms of use</a> <a href="/ads">Advertise with us</a></footer>
</body></html>"""


CONSENT_WALL = """<!DOCTYPE html><html><head><title>Before you continue</title></head><body>
<div class="consent-wall"><h1>Before you continue</h1>
<p>We and our partners use cookies and similar technologies to store and access information on your device.</p>
<button>Accept all</button> <button>Reject all</button> <a href="/more">More options</a></div>
</body></html>"""

PAYWALL = """<!DOCTYPE html><html><head><title>Subscribe</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div class="paywall"><h2>This story is for subscribers</h2><p>Subscribe now for one euro a week.</p>
<a href="/login">Log in</a></div><footer><a href="/terms">Terms</a></footer></body></html>"""

NOISE = (
    "cookies",
    "Accept all",
    "Home",
    "Weather",
    "Related stories",
    "Ferry timetable",
    "lighthouse",
    "All rights reserved",
    "Advertise",
    "window.tracker",
    "font-family",
    "Ana Ferreira",
)


def test_an_article_page_gives_its_story_and_nothing_around_it():
    page = extract_article(article_page(), url="https://courier.example/harbour-bridge")
    assert page.problem is None
    assert page.title == HEADLINE
    # Paragraphs separated by a blank line; the headline is the title, not the text's first line.
    assert page.text == "\n\n".join(STORY)
    for noise in NOISE:
        assert noise not in page.text, noise


def test_bytes_and_text_give_the_same_article():
    assert extract_article(article_page().encode("utf-8")) == extract_article(article_page())


def test_a_consent_wall_has_no_article_text_and_says_so():
    page = extract_article(CONSENT_WALL)
    assert page.text == ""
    assert page.problem == "the page has no article text (a consent or paywall page?)"
    assert page.title == "Before you continue"


def test_a_paywall_teaser_is_not_taken_for_an_article():
    page = extract_article(PAYWALL)
    assert page.text == ""
    assert "no article text" in page.problem and "paywall" in page.problem
    words = len("This story is for subscribers".split()) + len("Subscribe now for one euro a week.".split())
    assert words < MIN_WORDS


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "the page is empty"),
        (b"   \n\t ", "the page is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 12, "binary data"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> <p>not a page</p>", "binary data"),
        (b"Plain words in a text file, with no markup at all.", "no HTML tags"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8, "binary data"),
    ],
)
def test_what_is_not_html_is_named(data, reason):
    page = extract_article(data)
    assert page == PageText("", None, page.problem)
    assert page.problem.startswith("not HTML: ") and reason in page.problem


def test_other_inputs_are_a_type_error():
    with pytest.raises(TypeError):
        extract_article(None)  # type: ignore[arg-type]


def test_control_characters_and_markup_in_the_article_stay_plain_text():
    hostile = " ".join(CONTROL_PAYLOADS.values())
    # Control characters written as character references too: the parser reads them back.
    # A sequence that spans a tag goes whole, before the page is parsed into elements.
    spanning = "A link \x1b]8;;https://split.example/<b>\x07Splitword</b> was in the text."
    story = [
        STORY[0] + " " + hostile,
        spanning,
        "Entities &#27;[2Jcleared&#x9b;31m and &#x202e;reversed text here.",
        "Press [@click=app.quit]quit[/] or [bold red]this[/bold red] to win, the banner said.",
        *STORY[1:],
    ]
    page = extract_article(article_page(story, title="Bridge \x1b[31mnews\x07 [@click=app.quit]"))
    assert page.problem is None
    assert not CONTROL.findall(page.text) and not CONTROL.findall(page.title)
    for word in CONTROL_WORDS:
        assert word in page.text, word
    for leftover in (*CONTROL_LEFTOVERS, "split.example", "[2J"):
        assert leftover not in page.text, leftover
    assert "Splitword" in page.text and "cleared" in page.text and "reversed text" in page.text
    assert "Press [@click=app.quit]quit[/] or [bold red]this[/bold red] to win" in page.text
    assert page.title == "Bridge news [@click=app.quit]"


def test_a_hundred_thousand_nested_divs_end_in_bounded_time():
    deep = "<div>" * 100_000 + "".join(f"<p>{p}</p>" for p in STORY) + "</div>" * 100_000
    started = time.process_time()
    inside = extract_article(f"<html><head><title>Deep</title></head><body>{deep}</body></html>")
    # The article after the nesting is read as well.
    after = extract_article(article_page().replace("</main>", f"</main>{deep}"))
    elapsed = time.process_time() - started
    assert inside.text == "" and "too deeply nested" in inside.problem
    assert after.problem is None and after.text == "\n\n".join(STORY)
    assert elapsed < 20, f"{elapsed:.1f} s"  # about 1 s; a parser without a depth limit runs out of stack


def test_a_page_of_too_many_elements_is_refused_quickly():
    page = article_page().replace("<main>", "<main>" + "<br>" * (MAX_ELEMENTS + 1000))
    started = time.process_time()
    result = extract_article(page)
    elapsed = time.process_time() - started
    assert result.text == "" and "too large to read" in result.problem and f"{MAX_ELEMENTS:,}" in result.problem
    assert elapsed < 10, f"{elapsed:.1f} s"  # about 0.3 s; trafilatura itself would spend seconds


@pytest.mark.slow
def test_a_large_page_takes_time_in_proportion():
    """About a megabyte of article and menus: linear time, not quadratic."""
    unit = "<nav><a href='/a'>Home</a> <a href='/b'>News</a></nav>" + "".join(f"<p>{p}</p>" for p in STORY)
    page = "<html><body><article>" + unit * 1300 + "</article></body></html>"
    assert len(page) > 1_000_000
    started = time.process_time()
    result = extract_article(page)
    elapsed = time.process_time() - started
    assert result.problem is None and result.text.count(STORY[2]) > 1200
    assert elapsed < 30, f"{elapsed:.1f} s"  # about 2 s


def test_the_page_is_read_up_to_its_size_cap():
    # The article comes after five megabytes of script: beyond the cap, unread.
    late = (
        "<html><body><script>"
        + "x" * MAX_HTML_BYTES
        + "</script><article>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "</article></body></html>"
    )
    started = time.process_time()
    page = extract_article(late.encode())
    assert page.text == "" and "no article text" in page.problem
    assert time.process_time() - started < 10  # about 0.2 s


def test_a_character_cut_by_the_cap_leaves_the_page_utf8():
    # No declared charset, so only the bytes say UTF-8; the cap falls inside "é".
    head = article_page([*STORY, "Café owners on the quay welcomed the news."], charset=None).encode()
    padding = MAX_HTML_BYTES - len(head) - len(b"<script>") - 1
    data = head + b"<script>" + b"x" * padding + "é".encode() * 10 + b"</script>"
    assert data[:MAX_HTML_BYTES].endswith(b"x\xc3")
    page = extract_article(data)
    assert page.problem is None
    assert "Café owners on the quay" in page.text


@pytest.mark.parametrize(
    "data, expected",
    [
        # Windows-1252 curly quotes with no declaration at all.
        (
            article_page([*STORY, "The mayor called it \u201ca good day\u201d for the town."], charset=None).encode(
                "cp1252"
            ),
            "\u201ca good day\u201d",
        ),
        # Declared Latin-1, read as browsers do (Windows-1252).
        (
            article_page(
                [*STORY, "The caf\xe9 said \u201cwelcome back\u201d to the drivers."], charset="iso-8859-1"
            ).encode("cp1252"),
            "café said \u201cwelcome back\u201d",
        ),
        # UTF-8 with one broken byte: the rest is still UTF-8.
        (
            article_page([*STORY, "The café reopened, SPLIT the owner said."]).encode().replace(b"SPLIT", b"\xff"),
            "café reopened, \ufffd the owner said",
        ),
        # UTF-16 with a byte-order mark.
        (
            ("\ufeff" + article_page([*STORY, "Überraschung at the café."]).replace("utf-8", "utf-16")).encode(
                "utf-16-le"
            ),
            "Überraschung at the café",
        ),
        # A charset nobody knows.
        (
            article_page([*STORY, "The caf\xe9 was full."], charset="x-unknown-charset").encode("latin-1"),
            "café was full",
        ),
    ],
)
def test_broken_and_odd_encodings_are_read(data, expected):
    page = extract_article(data)
    assert page.problem is None
    assert expected in page.text
    assert STORY[0] in page.text


SELECTOR_PAGE = """<!DOCTYPE html><html><head><title>Two stories</title></head><body>
<div class="lead-story"><p>{lead}</p><p>{more}</p></div>
<div class="story-body"><p>{first}</p><div class="inner"><p>{second}</p></div>
<script>ignored()</script></div>
</body></html>""".format(lead=" ".join(STORY[:2]), more=" ".join(STORY[2:]), first=STORY[0], second=STORY[3])


def test_a_selector_takes_the_element_it_names():
    chosen = extract_article(SELECTOR_PAGE, selector="div.story-body")
    assert chosen.problem is None
    assert chosen.text == f"{STORY[0]}\n\n{STORY[3]}"
    assert chosen.title == "Two stories"
    # Matches inside other matches are not repeated.
    nested = extract_article(SELECTOR_PAGE, selector=".story-body, .story-body .inner, .story-body p")
    assert nested.text == chosen.text
    several = extract_article(SELECTOR_PAGE, selector="div.lead-story p")
    assert several.text == f"{' '.join(STORY[:2])}\n\n{' '.join(STORY[2:])}"


def test_a_selector_that_is_wrong_or_matches_nothing_says_so():
    none = extract_article(SELECTOR_PAGE, selector="article.main-text")
    assert none.text == "" and none.problem == "nothing on the page matches the selector 'article.main-text'"
    bad = extract_article(SELECTOR_PAGE, selector="div[[")
    assert bad.text == "" and bad.problem.startswith("the selector 'div[[' is not a CSS selector")


def test_importing_page_text_leaves_trafilatura_and_lxml_unloaded(tmp_path):
    code = (
        "import sys\n"
        "import briefing.ingest.page_text as p\n"
        "heavy = ('trafilatura', 'lxml', 'cssselect', 'textual')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
        "p.extract_article('<html><body><p>' + 'word ' * 50 + '</p></body></html>')\n"
        "print('trafilatura' in sys.modules)\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["", "True"]


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_benchmark", REPO / "benchmarks" / "extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scoring_follows_the_corpus_readme():
    bench = _benchmark()
    truth = "one two three four five six"  # shingles: 1-4, 2-5, 3-6
    assert bench.page_counts(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = bench.page_counts(truth, "one two three four five seven")  # 2 shared, 1 extra, 1 missed
    assert (tp, fp, fn) == (0.5, 0.25, 0.25)
    assert bench.page_precision_recall(truth, "") == (0.0, 0.0)
    scores = bench.score([(truth, truth), (truth, "")])
    assert scores.precision == 0.5 and scores.recall == 0.5 and scores.f1 == 0.5


@pytest.mark.slow
def test_the_real_article_pages_score_at_least_095():
    """All 88 measured pages (about 3 s of CPU here); benchmarks/extraction.md has the figures."""
    bench = _benchmark()
    root = bench.corpus_dir()
    if not (root / "ground-truth.json").is_file():
        pytest.skip(f"the article-pages corpus is not at {root} (set BRIEFING_CORPORA to its parent)")
    pages = bench.load_pages(root)
    results = [extract_article(page.html, url=page.url) for page in pages]
    assert not [r.problem for r in results if r.problem]
    assert not [r for r in results if CONTROL.search(r.text) or CONTROL.search(r.title or "")]
    scores = bench.score([(page.truth, r.text) for page, r in zip(pages, results, strict=False)])
    assert scores.f1 >= 0.95, scores
