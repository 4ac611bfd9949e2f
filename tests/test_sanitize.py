"""The one sanitiser: nothing a terminal could obey survives it."""

from __future__ import annotations

import pytest

from briefing.sanitize import clean_line, clean_text, html_to_text, safe_link

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
    html = ('<p>First <a href="javascript:alert(1)">para</a>.</p><script>steal()</script>'
            '<p>Second&nbsp;para &amp; more.</p><ul><li>one</li><li>two</li></ul>')
    assert html_to_text(html) == "First para.\n\nSecond para & more.\n\none\n\ntwo"


def test_markup_is_kept_as_text():
    assert clean_line("[bold]x[/] [@click=app.quit]q[/] :smile:") == "[bold]x[/] [@click=app.quit]q[/] :smile:"


@pytest.mark.parametrize(("link", "expected"), [
    ("https://example.com/a", "https://example.com/a"),
    ("http://example.com", "http://example.com"),
    ("javascript:alert(1)", None),
    ("file:///etc/passwd", None),
    ("-oProxyCommand=evil", None),
    ("https://exa mple.com", None),
    ("ftp://example.com/x", None),
    ("", None),
])
def test_safe_link(link, expected):
    assert safe_link(link) == expected
