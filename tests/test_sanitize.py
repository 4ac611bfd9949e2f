"""The one sanitiser: nothing a terminal could obey survives it."""

from __future__ import annotations

import random

import pytest

from briefing.text.sanitize import clean_line, clean_text, html_to_text, safe_link

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "a\x9b31mb",
    "bell\x07 nul\x00 del\x7f c1\x85",
    "\u202eevil\u202c \u2066iso\u2069",
    "\x1bPdcs payload\x1b\\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_control_characters_survive(text):
    for cleaned in (clean_text(text), clean_line(text), html_to_text(f"<p>{text}</p>")):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
        assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)
        assert not any(c in cleaned for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_escape_sequences_lose_their_payload():
    assert clean_line("\x1b]8;;https://evil.example\x07click\x1b]8;;\x07") == "click"
    assert clean_line("\x1b]52;c;ZXZpbA==\x07ok") == "ok"
    assert clean_line("\x1b[31mred\x1b[0m") == "red"


def test_html_to_text_keeps_paragraphs_drops_scripts_and_link_targets():
    html = (
        '<p>First <a href="javascript:alert(1)">para</a>.</p><script>steal()</script>'
        "<p>Second&nbsp;para &amp; more.</p><ul><li>one</li><li>two</li></ul>"
    )
    assert html_to_text(html) == "First para.\n\nSecond para & more.\n\none\n\ntwo"


def test_markup_is_kept_as_text():
    assert clean_line("[bold]x[/] [@click=app.quit]q[/] :smile:") == "[bold]x[/] [@click=app.quit]q[/] :smile:"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("http://example.com", "http://example.com"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("-oProxyCommand=evil", None),
        ("https://exa mple.com", None),
        ("ftp://example.com/x", None),
        ("", None),
    ],
)
def test_safe_link(link, expected):
    assert safe_link(link) == expected


# Pieces of HTML, well formed and not, that the quick path must either turn
# into exactly what the full parser gives or hand over to it.
_HTML_PIECES = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "</br>",
    "<P class='x'>",
    '<a href="x>y">',
    "<b>",
    "</b>",
    "&amp;",
    "&#10;",
    "&lt;",
    "text",
    " ",
    "\n",
    "\t",
    "<",
    ">",
    "'",
    '"',
    "<div\nid=1>",
    "</div >",
    "<img src=x/>",
    "&nbsp;",
    "&#x1b;[31m",
    "\x1b[2J",
    "<o:p>",
    "<p-x>",
    "<!-- c -->",
    "<script>",
    "</script>",
    "<h1>",
    "&notanentity;",
    "&amp",
    "<li>",
    "</ li>",
    "<x y='a\"b'>",
    "< p>",
    "<1>",
    "</>",
    "é",
    "\u202e",
    "<STYLE>",
    "<td>",
]


@pytest.mark.slow
def test_quick_html_path_agrees_with_the_full_parser():
    from briefing.text.sanitize import _parsed_html_to_text, _simple_html_to_text

    rnd = random.Random(20250224)
    quick = 0
    for _ in range(20000):
        html = "".join(rnd.choice(_HTML_PIECES) for _ in range(rnd.randint(1, 12)))
        text = _simple_html_to_text(html)
        if text is None:
            continue
        quick += 1
        assert text == _parsed_html_to_text(html), html
    assert quick > 5000  # the quick path is really taken, not always refused


def test_quick_html_path_refuses_what_it_cannot_read():
    from briefing.text.sanitize import _simple_html_to_text

    assert _simple_html_to_text("<p>a</p><script>x</script>") is None
    assert _simple_html_to_text("<p>a <!-- note --> b</p>") is None
    assert _simple_html_to_text('<a href="unclosed>text') is None
    assert _simple_html_to_text("<p>Erdogan &amp; al-Sharaa</p><p>met</p>") == "Erdogan & al-Sharaa\n\nmet"


def test_html_whitespace_collapses_as_the_regular_expression_would():
    import re

    from briefing.text.html_tags import collapse_html_whitespace

    spaces = [" ", "  ", "\t", "\n", "\r\n", "\xa0", "\u2003", "\u3000", "\u2028", "\x0c"]
    rnd = random.Random(7)
    for _ in range(5000):
        data = "".join(rnd.choice(spaces + ["a", "bc", "é"]) for _ in range(rnd.randint(0, 10)))
        assert collapse_html_whitespace(data) == re.sub(r"\s+", " ", data), repr(data)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # A quote opens a quoted value only after '='; elsewhere it is a character.
        ("<p>Hello <img alt=Don't> world.</p><!-- c --><p>More text here</p>", "Hello world.\n\nMore text here"),
        ("<p>Hello <img alt=Don't> world.</p><p>More</p>", "Hello world.\n\nMore"),
        ("<!-- x --><p>a</p><p title=it's>b</p><p>c</p>", "a\n\nb\n\nc"),
        ('<a href="x>y">link</a> after', "link after"),
        # A head that is never closed (valid HTML) does not swallow the body.
        ("<html><head><title>T</title><body><p>Body text</p>", "Body text"),
    ],
)
def test_html_to_text_reads_quotes_and_heads_as_browsers_do(html, expected):
    from briefing.text.sanitize import html_to_text

    assert html_to_text(html) == expected


def test_a_link_with_a_backslash_is_refused():
    from briefing.text.sanitize import safe_link

    # Browsers read '\' as '/', so this goes to evil.example; urlsplit says bank.example.
    assert safe_link("https://evil.example\\@bank.example/") is None
    assert safe_link("https://bank.example/a?b=c") == "https://bank.example/a?b=c"
