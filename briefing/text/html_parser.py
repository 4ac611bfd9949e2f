"""The full HTML-to-text parser behind sanitize.html_to_text, for the
fragments its quick path declines. A module of its own so that html.parser
is imported only when a fragment needs it."""

from __future__ import annotations

from html.parser import HTMLParser

from briefing.text.sanitize import BLOCK_TAGS, SKIP_TAGS, collapse_html_whitespace


class TextExtractor(HTMLParser):
    """HTML to plain text. Block elements become paragraph breaks; scripts,
    styles and embedded objects vanish; links keep their words, never their
    targets. Nothing is ever rendered or executed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # Whitespace inside HTML text is not layout.
            self.parts.append(collapse_html_whitespace(data))
