"""`briefing export`, `briefing import` and `briefing prune`."""

from __future__ import annotations

import argparse
import re
import signal
import sqlite3
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from briefing.atomic_write import write_atomically
from briefing.export import to_json, to_markdown
from briefing.ingest.files import former_import_key, parse_date, read_articles
from briefing.record import replace
from briefing.store.errors import StoreError, classify, store_error
from briefing.store.values import utcnow
from briefing.text.plural import count
from briefing.text.sanitize import clean_line, safe_link
from briefing.workspace import analyse_pending, assemble, open_config, open_store


def cmd_export(args: argparse.Namespace) -> int:
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
        marks = store.marks()
    text = to_json(briefing, marks) if args.format == "json" else to_markdown(briefing, marks=marks)
    if args.output:
        try:
            write_atomically(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            print(
                f"briefing: error: {clean_line(args.output)}: cannot write: {clean_line(exc.strerror or str(exc))}",
                file=sys.stderr,
            )
            return 2
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


class ImportStopped(KeyboardInterrupt):
    """SIGINT or SIGTERM during `briefing import`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _StopSignals:
    """While in use, SIGINT and SIGTERM raise ImportStopped, except while
    held: then the signal waits for release(). The import holds them from
    the end of its transaction until it has said what was stored, so that a
    signal can never land between a COMMIT and the words that report it."""

    def __init__(self) -> None:
        self.held = False
        self.pending: int | None = None
        # What signal.signal() gives back: a handler, SIG_DFL/SIG_IGN, or None (not set from Python).
        self._previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}

    def __enter__(self) -> _StopSignals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handler(self, signum: int, _frame: FrameType | None) -> None:
        if self.held:
            self.pending = self.pending or signum
            return
        self.held = True  # a second Ctrl+C must not interrupt the rollback
        raise ImportStopped(signum)

    def hold(self) -> None:
        self.held = True

    def release(self) -> None:
        self.held = False
        if self.pending is not None:
            signum, self.pending = self.pending, None
            self.held = True
            raise ImportStopped(signum)


def cmd_import(args: argparse.Namespace) -> int:
    """All or nothing: the articles are stored in one transaction, and what
    the command prints says whether it committed. Analysing them for the
    briefing comes after; if that fails or is stopped, the articles stay
    stored and the briefing is brought up to date the next time it is made."""
    config = open_config(args.config)
    published = parse_date(args.published, "--published") if args.published else None
    if args.link is not None:
        if not safe_link(args.link):
            print(
                f"briefing: error: --link {args.link!r}: only http:// and https:// links are accepted", file=sys.stderr
            )
            return 2
    addresses = [name for name in args.paths if _is_address(name)]
    files = [name for name in args.paths if not _is_address(name)]
    for address in addresses:
        if not safe_link(address):
            print(
                f"briefing: error: {clean_line(address)[:200]}: not an http(s) address that can be fetched",
                file=sys.stderr,
            )
            return 2
    if addresses and args.link is not None:
        print("briefing: error: --link names a file's address; an http(s) argument is its own", file=sys.stderr)
        return 2
    stored = False
    with _StopSignals() as signals:
        try:
            # Read and check every file first: one bad file means nothing is written.
            articles = []
            for name in files:
                articles.extend(read_articles(Path(name), source=args.source, published=published, link=args.link))
            # Then every address: one that gives no article means nothing is written either.
            from_pages = _read_addresses(config, addresses, args.source, published) if addresses else []
            if from_pages is None:
                return 2
            with open_store(args.cache, create=True) as store:
                try:
                    with store.transaction():
                        # Rows imported before keys named the outlet keep their place.
                        store.rename_keys(
                            (former, a.key, a.source)
                            for a in articles
                            if (former := former_import_key(a.key)) is not None
                        )
                        counts = store.upsert_articles(articles)
                        if from_pages:
                            page_counts = store.upsert_articles(from_pages, from_pages=True)
                            counts = _sum_counts(counts, page_counts)
                        signals.hold()  # from here on, the COMMIT decides
                except sqlite3.Error as exc:
                    raise store_error(store.path, exc, "nothing was imported") from None
                stored = True
                origin = count(len(files), "file")
                if addresses:
                    origin = f"{origin} and " if files else ""
                    origin += count(len(addresses), "address", "addresses")
                print(
                    f"imported {count(len(articles) + len(from_pages), 'article')} from {origin}: "
                    f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged",
                    flush=True,
                )
                signals.release()
                try:
                    analyse_pending(store, config.story)
                except (sqlite3.Error, StoreError) as exc:
                    reason = classify(store.path, exc) if isinstance(exc, sqlite3.Error) else str(exc)
                    print(
                        f"briefing: warning: the articles are stored, but the briefing could not be "
                        f"brought up to date ({reason}); it will be the next time it is made",
                        file=sys.stderr,
                    )
        except ImportStopped as stop:
            if stored:
                print(
                    "briefing: import stopped after the articles were stored; the briefing will be "
                    "brought up to date the next time it is made",
                    file=sys.stderr,
                )
            else:
                print("briefing: import stopped: nothing stored", file=sys.stderr)
            return 128 + stop.signum
    return 0


def _is_address(name: str) -> bool:
    """An argument to fetch rather than a file to read: it starts http:// or https://."""
    return name[:8].lower().startswith(("http://", "https://"))


def _read_addresses(config, addresses: list[str], source: str | None, published) -> list | None:
    """The articles of these web pages, fetched and extracted as a refresh
    does (refresh/pages.py); None, having said why in one line, when any
    gives no article."""
    from briefing.refresh.pages import page_article, read_pages  # fetching and extraction load only for an address

    pages = read_pages(config.settings, [safe_link(address) or address for address in addresses])
    failed = [page for page in pages if page.error is not None]
    if failed:
        first = failed[0]
        more = f" (and {len(failed) - 1} more of the addresses failed)" if len(failed) > 1 else ""
        print(
            f"briefing: error: {clean_line(first.url)[:200]}: {clean_line(first.error)}; nothing was imported{more}",
            file=sys.stderr,
        )
        return None
    return [page_article(page, source, published) for page in pages]


def _sum_counts(one, other):
    return replace(
        one,
        new=one.new + other.new,
        updated=one.updated + other.updated,
        unchanged=one.unchanged + other.unchanged,
        changed_ids=one.changed_ids + other.changed_ids,
    )


# The longest age prune takes: a century. Older cutoffs would reach before
# the dates the store keeps (and, much older, before the calendar's start).
MAX_AGE_HOURS = 36525 * 24
_UNIT_HOURS = {"h": 1, "d": 24, "w": 7 * 24}


def parse_age(text: str) -> timedelta:
    """'90d', '12w', '36h' -> a timedelta. Raises ValueError with the reason."""
    match = re.fullmatch(r"\s*([0-9]+)\s*([dwh])\s*", text)
    if not match:
        raise ValueError(f"--older-than {text!r}: expected a number and a unit, such as 90d, 12w or 36h")
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
    # Compared as text first: a number of thousands of digits is not worth
    # (or, past Python's limit, even able to be) converted.
    hours = int(digits) * _UNIT_HOURS[unit] if len(digits) <= 12 else MAX_AGE_HOURS + 1
    if hours > MAX_AGE_HOURS:
        raise ValueError(
            f"--older-than {text[:40]!r}: too long; at most 100 years "
            f"({MAX_AGE_HOURS // 24}d, {MAX_AGE_HOURS // 168}w or {MAX_AGE_HOURS}h)"
        )
    return timedelta(hours=hours)


def evidence_ids(briefing) -> set[int]:
    """Every article the briefing cites: summary, evidence, quotes, mentions,
    timeline, the other names and voices, and each outlet's copy of a line
    (which the reader opens too)."""
    cited = [*briefing.summary, *briefing.timeline]
    for question in briefing.questions:
        cited += question.evidence
    for actor in (*briefing.actors, *briefing.others):
        cited += [*actor.quotes, *actor.mentioned_in]
    cited += briefing.other_quotes
    ids = {item.article_id for item in cited}
    ids.update(copy.article_id for item in cited for copy in getattr(item, "copies", ()))
    return ids


def cmd_prune(args: argparse.Namespace) -> int:
    try:
        age = parse_age(args.older_than)
    except ValueError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 2
    config = open_config(args.config)
    with open_store(args.cache) as store:
        before = store.path.stat().st_size
        keep = evidence_ids(assemble(store, config.story))
        removed = store.prune(utcnow() - age, keep)
        after = store.path.stat().st_size
    print(
        f"pruned {count(removed, 'article')} older than {args.older_than} that are not evidence for anything, "
        "pinned or noted; "
        f"store {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB"
    )
    return 0
