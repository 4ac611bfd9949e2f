"""`briefing articles`: the stored articles, newest first, as lines to read
or as JSON Lines for jq and pandas.

The list is written as it is read from the store, a batch of articles at a
time (workspace.listed_articles), so a store of any size is listed in
bounded memory; with -o FILE the lines go to a temporary file that replaces
FILE only once the list is whole. Every string from a feed, a page or a file
is cleaned again on the way out: a line drawn on a terminal carries no
escape sequence or control character.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from briefing.atomic_write import write_chunks_atomically
from briefing.model import Article
from briefing.store.values import to_iso
from briefing.text.sanitize import clean_line, safe_link, strip_controls
from briefing.workspace import listed_articles, open_config, open_store

FORMATS = ("text", "jsonl")
EXIT_USAGE = 2


def cmd_articles(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        return _usage(f"--format {clean_line(args.format)[:40]!r}: expected one of {', '.join(FORMATS)}")
    if args.output:
        problem = _output_problem(Path(args.output))
        if problem:
            return _usage(problem)
    config = open_config(args.config)
    line = json_line if args.format == "jsonl" else text_line
    with open_store(args.cache) as store:
        listed = listed_articles(store, config.story, with_text=args.format == "jsonl")
        lines = (line(*each) for each in listed)
        if not args.output:
            for text in lines:
                sys.stdout.write(text)
            return 0
        try:
            write_chunks_atomically(Path(args.output), _encoded(lines))
        except OSError as exc:
            return _usage(f"{clean_line(args.output)}: cannot write: {clean_line(exc.strerror or str(exc))}")
    print(f"wrote {clean_line(args.output)}", file=sys.stderr)
    return 0


def text_line(article: Article, relevance: float, relevant: bool) -> str:
    """date  relevant|not relevant  source · title  link"""
    mark = "relevant" if relevant else "not relevant"
    link = safe_link(article.link) or "(no link)"
    return f"{_local(article.when)}  {mark:<12}  {clean_line(article.source)} · {clean_line(article.title)}  {link}\n"


def json_line(article: Article, relevance: float, relevant: bool) -> str:
    """One article as one JSON object on one line."""
    record = {
        "id": article.id,
        "title": clean_line(article.title),
        "source": clean_line(article.source),
        "link": safe_link(article.link),
        "published": to_iso(article.published),
        "first_seen": to_iso(article.first_seen),
        "author": clean_line(article.author) or None,
        "feed": clean_line(article.feed) or None,
        "read": article.read,
        "relevant": relevant,
        "relevance": round(relevance, 3),
        "text": strip_controls(article.text),
        "text_source": article.text_source,
        "summary": strip_controls(article.summary or "") or None,
        "page_status": article.page_status,
        "page_error": clean_line(article.page_error) or None,
        "page_fetched": to_iso(article.page_fetched),
    }
    # The texts were cleaned on the way in and keep their paragraphs as
    # stored; only what a terminal would obey is taken out again (json
    # escapes the C0 controls, not the C1 ones). ensure_ascii=False keeps
    # the text readable; a line is always one line.
    return json.dumps(record, ensure_ascii=False) + "\n"


def _local(value: datetime) -> str:
    return f"{value.astimezone():%Y-%m-%d %H:%M}"


def _encoded(lines: Iterator[str]) -> Iterator[bytes]:
    for text in lines:
        yield text.encode("utf-8")


def _output_problem(out: Path) -> str | None:
    """Why -o FILE cannot be written, found before anything is read or written."""
    if out.is_dir():
        return f"{clean_line(str(out))}: is a directory"
    if str(out.parent) and not out.parent.exists():
        return f"{clean_line(str(out))}: folder {clean_line(str(out.parent))} does not exist"
    return None


def _usage(message: str) -> int:
    print(f"briefing: error: {message}", file=sys.stderr)
    return EXIT_USAGE
