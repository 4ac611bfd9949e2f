"""`briefing search QUERY`: the dashboard's search for scripts and shells.

Every match, newest first (published date, else when first seen), one line
each (date, source, title, link) or one JSON object each. The search only
reads: an article not yet analysed for this story is analysed here for its
`relevant` flag, and not stored.
"""

from __future__ import annotations

import argparse
import json
import sys

from briefing.store.search import SearchHit
from briefing.store.search_query import SearchSyntaxError, parse_query
from briefing.store.values import to_iso
from briefing.text.sanitize import clean_line
from briefing.workspace import ANALYSE_BATCH, analyse_articles, open_config, open_store

EXIT_OK = 0
EXIT_USAGE = 2


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    try:
        query = parse_query(text)  # bad syntax is said before anything is opened
    except SearchSyntaxError as exc:
        print(f"briefing: error: search {clean_line(text)[:80]!r}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if query is None:
        print("briefing: error: search: nothing to search for: give a word", file=sys.stderr)
        return EXIT_USAGE
    config = open_config(args.config)
    with open_store(args.cache) as store:
        try:
            hits = store.search(text, args.limit, newest_first=True, snippets=False)
        except SearchSyntaxError as exc:
            print(f"briefing: error: search {clean_line(text)[:80]!r}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        relevant = _relevant(store, config.story, [hit.id for hit in hits])
    for hit in hits:
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(_record(hit, hit.id in relevant), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_line(hit) + "\n")
    if not hits:
        print(f"no articles match {clean_line(text)[:80]!r}", file=sys.stderr)
    return EXIT_OK


def _relevant(store, story, ids: list[int]) -> set[int]:
    """The matches relevant to the story: from the stored analyses, or
    analysed now (not stored) where there is none yet."""
    from briefing.analysis import ANALYSIS_VERSION, RELEVANCE_THRESHOLD, is_relevant, story_fingerprint

    found = store.analyses(ANALYSIS_VERSION, story_fingerprint(story), min_relevance=RELEVANCE_THRESHOLD, ids=ids)
    missing = [aid for aid in ids if aid not in found]
    for start in range(0, len(missing), ANALYSE_BATCH):  # texts a batch at a time
        found.update(analyse_articles(store.articles(missing[start : start + ANALYSE_BATCH]), story))
    return {aid for aid, result in found.items() if is_relevant(result)}


def _line(hit: SearchHit) -> str:
    when = hit.published or hit.first_seen
    date = f"{when:%Y-%m-%d}" if when else "undated"
    return "  ".join((date, clean_line(hit.source), clean_line(hit.title), clean_line(hit.link) or "-"))


def _record(hit: SearchHit, relevant: bool) -> dict:
    return {
        "id": hit.id,
        "title": clean_line(hit.title),
        "source": clean_line(hit.source),
        "link": clean_line(hit.link) or None,
        "published": to_iso(hit.published),  # as the JSON export writes dates
        "relevant": relevant,
    }
