"""`briefing refresh`, `briefing feeds` and `briefing opml import|export`.

Thin clients of refresh/run.py and ingest/opml.py: they print, the core works. Every
string that came from a feed, a server or a file is drawn through
sanitize.clean_line. Imports inside functions: rich and the OPML module load
only for the command that draws or reads with them.
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import datetime

from briefing.atomic_write import write_atomically
from briefing.paths import resolve_store
from briefing.refresh.run import FAILED, NOT_MODIFIED, SKIPPED, RefreshStopped, next_allowed, refresh, select_feeds
from briefing.store.database import Store
from briefing.store.values import utcnow
from briefing.text.plural import count
from briefing.text.sanitize import clean_line
from briefing.workspace import open_config, open_store

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _store_path(args: argparse.Namespace, create: bool = False):
    """Open the store once (a refresh creates it, and seeds the default
    one; `feeds` only reads and refuses a path with no store), then hand its
    path to the code that opens its own connection."""
    open_store(args.cache, create=create).close()
    return resolve_store(args.cache)[0]


def outcome_line(outcome, done: int | None = None, total: int | None = None) -> str:
    name = clean_line(outcome.name)
    if outcome.status == FAILED:
        what = f"failed: {clean_line(outcome.error)}"
    elif outcome.status == SKIPPED:
        what = f"skipped: {clean_line(outcome.error)}"
    elif outcome.status == NOT_MODIFIED:
        what = "not modified"
    else:
        what = f"updated: {outcome.new} new"
        if outcome.updated:
            what += f", {outcome.updated} changed"
        if outcome.note:
            what += f" ({clean_line(outcome.note)})"
    counter = f"[{done}/{total}] " if done is not None else ""
    timing = f" ({outcome.elapsed:.1f} s)" if outcome.status != SKIPPED else ""
    return f"{counter}{name}: {what}{timing}"


def cmd_refresh(args: argparse.Namespace) -> int:
    """Refresh and print each feed's outcome. Ctrl+C or SIGTERM (what
    `timeout` and cron send) stops it within moments: its parser processes
    are killed, what was stored is said, and the exit status is 128 + the
    signal's number."""
    try:
        return _refresh(args, (signal.SIGINT, signal.SIGTERM))
    except RefreshStopped as stop:
        print(stop.line(), flush=True)
        return 128 + stop.signal_number


def _refresh(args: argparse.Namespace, stop_signals) -> int:
    config = open_config(args.config)
    names = list(getattr(args, "feed", None) or [])
    total = len(select_feeds(config, names))  # an unknown name: one line, exit 2, nothing fetched
    store_path = _store_path(args, create=True)

    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.text import Text

        progress = Progress(
            TextColumn("refreshing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=Console(stderr=True),
            transient=True,
        )
        task = progress.add_task("refresh", total=total, last="")

        def on_done(outcome, done: int, total: int) -> None:
            # Text, not markup: a feed name is data.
            progress.update(task, completed=done, total=total, last=Text(clean_line(outcome.name)[:40]))

        def on_page(done: int, total: int) -> None:
            progress.update(task, last=Text(f"full text {done}/{total}"))

        with progress:
            report = refresh(
                config, store_path, names or None, on_feed_done=on_done, stop_signals=stop_signals, on_page_done=on_page
            )
        for outcome in report.outcomes:
            if outcome.status in (FAILED, SKIPPED):
                print(outcome_line(outcome))
    else:

        def on_done(outcome, done: int, total: int) -> None:
            print(outcome_line(outcome, done, total), flush=True)

        report = refresh(config, store_path, names or None, on_feed_done=on_done, stop_signals=stop_signals)
    print(report.summary_line(), flush=True)
    return EXIT_OK if report.ok else EXIT_FAILED


# -- briefing feeds -------------------------------------------------------------


def _when(value: datetime | None, never: str = "never") -> str:
    if value is None:
        return never
    return f"{value.astimezone():%Y-%m-%d %H:%M}"


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def feeds_table(config, states, now: datetime | None = None) -> list[str]:
    now = now or utcnow()
    header = ("FEED", "LAST STATUS", "LAST SUCCESS", "FAILURES", "ARTICLES", "VALIDATORS", "NEXT FETCH")
    rows = [header]
    listed = set()
    for feed in config.feeds:
        listed.add(feed.name)
        state = states.get(feed.name)
        rows.append(
            _feed_row(feed.name, feed.enabled, state, next_allowed(state, feed.url, config.settings.min_interval), now)
        )
    for name, state in sorted(states.items()):
        if name not in listed:
            rows.append(_feed_row(name, None, state, None, now))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    right = {3, 4}
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def _feed_row(name: str, enabled: bool | None, state, wait: datetime | None, now: datetime):
    if state is None or state.last_status is None:
        status = "never fetched"
    elif state.last_status == "failed":
        status = f"failed: {clean_line(state.last_error)}"
    else:
        status = clean_line(state.last_status).replace("_", " ")
        if state.last_error:  # a warning kept with a success
            status += f" ({clean_line(state.last_error)})"
    status = status if len(status) <= 60 else status[:59] + "…"
    if enabled is False:
        status = f"disabled; {status}"
    elif enabled is None:
        status = f"not in config; {status}"
    validators = []
    if state and state.etag:
        validators.append("ETag")
    if state and state.last_modified:
        validators.append("Last-Modified")
    if enabled is False:
        next_fetch = "disabled"
    elif enabled is None:
        next_fetch = "-"
    elif wait is not None and wait > now:
        next_fetch = _when(wait)
    else:
        next_fetch = "now"
    return (
        clean_line(name),
        status,
        _when(state.last_success if state else None),
        str(state.consecutive_failures if state else 0),
        str(state.articles if state else 0),
        "+".join(validators) or "none",
        next_fetch,
    )


def cmd_feeds(args: argparse.Namespace) -> int:
    config = open_config(args.config)
    store_path = _store_path(args)
    with Store(store_path) as store:
        states = store.feed_states()
    for line in feeds_table(config, states):
        print(line)
    if not config.feeds:
        print(f"(no feeds in {clean_line(str(config.path))})")
    note = stale_feeds_note(config, states, store_path)
    if note:
        print(note)
    return EXIT_OK


def stale_feeds_note(config, states, store_path) -> str | None:
    """What to know when the store holds feeds the config no longer names
    (the config was switched to another story): their articles are still
    in the store, and how to start on a clean one."""
    listed = {feed.name for feed in config.feeds}
    stale = [state for name, state in states.items() if name not in listed]
    if not stale:
        return None
    articles = sum(state.articles for state in stale)
    return (
        f"{count(len(stale), 'feed')} marked 'not in config' {'is' if len(stale) == 1 else 'are'} not in "
        f"{clean_line(str(config.path))} but still in the store, with {count(articles, 'article')} "
        f"(from an earlier story?). To start this story on a clean store: briefing --cache NEW_FILE, "
        f"or delete {clean_line(str(store_path))}"
    )


# -- briefing opml ----------------------------------------------------------------


def cmd_opml(args: argparse.Namespace) -> int:
    from briefing.ingest import opml

    config = open_config(args.config)
    if args.opml_command == "import":
        try:
            result = opml.import_opml(config, args.file)
        except opml.OpmlError as exc:
            print(f"briefing: error: {clean_line(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
        print(result.message())
        return EXIT_OK
    if args.opml_command == "export":
        text = opml.export_opml(config)
        if args.output:
            try:
                write_atomically(args.output, text.encode("utf-8"))
            except OSError as exc:
                print(
                    f"briefing: error: {clean_line(str(args.output))}: cannot write: "
                    f"{clean_line(exc.strerror or str(exc))}",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            print(f"wrote {count(len(config.feeds), 'feed')} to {clean_line(str(args.output))}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    raise AssertionError(args.opml_command)
