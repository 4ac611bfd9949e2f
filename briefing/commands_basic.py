"""`briefing export`, `briefing import` and `briefing prune`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from briefing.workspace import assemble, open_config, open_store


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a failure leaves the
    old file (or no file) rather than half of a new one."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cmd_export(args: argparse.Namespace) -> int:
    from briefing.export import to_json, to_markdown

    config = open_config(args.config)
    if args.output:
        out = Path(args.output)
        if out.is_dir():
            print(f"briefing: error: {out}: is a directory", file=sys.stderr)
            return 2
        if not out.parent.exists() and str(out.parent):
            print(f"briefing: error: {out}: folder {out.parent} does not exist", file=sys.stderr)
            return 2
    with open_store(args.cache) as store:
        briefing = assemble(store, config.story, last_viewed=store.last_viewed(config.story.id))
    text = to_json(briefing) if args.format == "json" else to_markdown(briefing)
    if args.output:
        write_atomically(Path(args.output), text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from briefing.importer import parse_date, read_articles

    config = open_config(args.config)
    published = parse_date(args.published, "--published") if args.published else None
    if args.link is not None:
        from briefing.sanitize import safe_link

        if not safe_link(args.link):
            print(f"briefing: error: --link {args.link!r}: only http:// and https:// links are accepted",
                  file=sys.stderr)
            return 2
    # Read and check every file first: one bad file means nothing is written.
    articles = []
    for name in args.paths:
        articles.extend(read_articles(Path(name), source=args.source, published=published, link=args.link))
    with open_store(args.cache) as store:
        counts = store.upsert_articles(articles)
        from briefing.workspace import analyse_pending

        analyse_pending(store, config.story)
    print(f"imported {len(articles)} articles from {len(args.paths)} files: "
          f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    print("briefing: error: prune is not available yet", file=sys.stderr)
    return 2
