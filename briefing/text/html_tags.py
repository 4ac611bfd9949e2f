"""What both HTML readers (sanitize.py's quick path and html_parser.py's
full one) agree on: which tags break a line, which tags' contents are never
text, and how whitespace inside HTML text collapses."""

from __future__ import annotations

BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section "
    "article header footer figure figcaption hr dd dt dl aside".split()
)
# Not "head": a page that never closes it (valid HTML) would lose its body.
SKIP_TAGS = frozenset("script style noscript template iframe object embed svg title".split())


def collapse_html_whitespace(data: str) -> str:
    """Whitespace inside HTML text is not layout: each run is one space.
    (The same as re.sub(r"\\s+", " ", data): str.split() and \\s agree on
    what whitespace is; done with split because it is several times faster.)"""
    words = data.split()
    if not words:
        return " " if data else ""
    lead = " " if data[0].isspace() else ""
    trail = " " if data[-1].isspace() else ""
    return lead + " ".join(words) + trail
