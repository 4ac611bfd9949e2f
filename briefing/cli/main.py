"""The command line: `briefing [--config FILE] [--cache FILE] [COMMAND]`.

With no command it opens the dashboard. Every command is a client of the core.
Imports inside functions: `briefing --help`, `--version` and a usage error
need none of them, and each command imports only its own module.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from briefing import __version__

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not for the plain launch (plain_dashboard_args)

    parser = argparse.ArgumentParser(
        prog="briefing",
        description="A terminal dashboard for following one developing news story.",
        epilog="Run without a command to open the dashboard.",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    _global_options(parser, None)
    # The same two options after the command (`briefing export --cache x.db`):
    # SUPPRESS keeps what was given before the command when they are not.
    after = argparse.ArgumentParser(add_help=False)
    _global_options(after, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[after], **kwargs)

    command("dashboard", help="open the dashboard (the default)")

    export = command("export", help="write the briefing as Markdown (the default) or JSON")
    export.add_argument(
        "--format", choices=("md", "json"), default="md", help="md: Markdown (the default); json: the JSON export"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    imp = command("import", help="add articles from files (.txt .md .html .json or a feed)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--source", help="the outlet the articles come from")
    imp.add_argument("--published", metavar="DATE", help="publication date, ISO 8601")
    imp.add_argument("--link", metavar="URL", help="the article's address (http/https)")

    refresh = command("refresh", help="fetch every enabled feed now")
    refresh.add_argument("--feed", action="append", metavar="NAME", default=[], help="only this feed (repeatable)")

    command("feeds", help="list each feed's health")

    opml = command("opml", help="import or export the feed list as OPML")
    opml_commands = opml.add_subparsers(dest="opml_command", metavar="ACTION", required=True)
    opml_import = opml_commands.add_parser(
        "import", parents=[after], help="add the feeds of an OPML file to the config"
    )
    opml_import.add_argument("file", metavar="FILE")
    opml_export = opml_commands.add_parser("export", parents=[after], help="write the feeds as OPML")
    opml_export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    prune = command("prune", help="drop old articles that are not evidence for anything")
    prune.add_argument("--older-than", metavar="AGE", required=True, help="e.g. 90d")

    articles = command("articles", help="list the stored articles, newest first")
    articles.add_argument(
        "--format",
        default="text",
        metavar="{text,jsonl}",
        help="a line to read per article (text, the default) or a JSON object per line (jsonl)",
    )
    articles.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    search = command(
        "search",
        help="list the stored articles that match a search, newest first",
        description=(
            'Words must all be in an article; "exact phrase" in quotes; a OR b; -word leaves out; '
            "prefix* matches word starts. Accents and letters like ø fold: Ostkai finds Østkai. "
            "Quote the whole query for the shell: briefing search '\"air base\" OR airbase -Moscow'."
        ),
    )
    search.add_argument(
        "query", nargs="*", metavar="QUERY", help="the search (several words are joined by spaces; -word too)"
    )
    search.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: date, source, title and link a line (the default); jsonl: a JSON object a line",
    )
    search.add_argument("--limit", type=_positive, metavar="N", help="at most N matches (default: every one)")
    return parser


def _parse(arguments: list[str]) -> argparse.Namespace:
    """argparse's reading, except that a search's -word is a word of the
    query, not an unknown option (`briefing search ferry -storm`)."""
    parser = build_parser()
    args, extras = parser.parse_known_args(arguments)
    if getattr(args, "command", None) != "search":
        return parser.parse_args(arguments)  # what it does not know, said argparse's way
    args.query = search_words(arguments)  # none: cmd_search says there is nothing to search for
    return args


# A search's options that take a value, and the global ones.
_VALUED = ("--format", "--limit", "--config", "--cache")


def search_words(arguments: list[str]) -> list[str]:
    """The words of `briefing ... search ...`, in the order given: every
    argument after the command that is not an option or an option's value
    (all of them after a `--`)."""
    words: list[str] = []
    seen_command = only_words = skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif only_words:
            words.append(argument)
        elif argument == "--":
            only_words = seen_command
        elif argument in _VALUED:
            skip = True
        elif argument.startswith(tuple(f"{name}=" for name in _VALUED)):
            continue
        elif not seen_command:
            seen_command = argument == "search"
        else:
            words.append(argument)
    return words


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="story and feeds (default: $BRIEFING_CONFIG, the user's feeds.toml, then the bundled story)",
    )
    parser.add_argument(
        "--cache",
        metavar="FILE",
        default=default,
        help="the SQLite store (default: $BRIEFING_CACHE, then the user cache dir)",
    )


def _positive(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number, 1 or more")
    return int(text)


def plain_dashboard_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """The everyday launch, `briefing` with at most --config FILE and --cache
    FILE (or --config=FILE), read without argparse: building the parser for
    every command would cost the dashboard's start-up, most of it gettext
    looking for translations of argparse's words. Anything else (a command,
    --help, --version, an abbreviation, a typo) returns None and goes to the
    full parser, which reads these the same way."""
    values: dict[str, str | None] = {"config": None, "cache": None}
    i = 0
    while i < len(argv):
        name, equals, value = argv[i].partition("=")
        if name not in ("--config", "--cache"):
            return None
        if not equals:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None
            i += 1
            value = argv[i]
        if not value or value == "--":  # argparse reads "--config=--" its own way
            return None
        values[name[2:]] = value
        i += 1
    return SimpleNamespace(command=None, **values)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = plain_dashboard_args(arguments) or _parse(arguments)
    import sqlite3

    from briefing.config import ConfigError
    from briefing.ingest.files import ImportFileError
    from briefing.paths import resolve_store
    from briefing.store.database import StoreError
    from briefing.store.errors import store_error

    try:
        return _dispatch(args)
    except StoreError as exc:
        _error(str(exc))
        return exc.status
    except (ConfigError, ImportFileError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except sqlite3.Error as exc:
        error = store_error(resolve_store(args.cache)[0], exc)
        _error(str(error))
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> int:
    """The `briefing` command and `python -m briefing`: main(), then a quicker
    way out. At exit Python runs its cyclic collector over and over while it
    takes the modules apart, over every object still alive (the modules,
    httpx's, the dashboard's widgets), and a refresh waits for it. Here the
    garbage there is is collected once (its finalisers run, as they would),
    and what is still alive is frozen, left to the end of the process."""
    code = main()
    gc.collect()  # what is garbage now is finalised, as at any exit
    gc.freeze()
    return code


def _error(message: str) -> None:
    from briefing.text.sanitize import clean_line

    print(f"briefing: error: {clean_line(message)}", file=sys.stderr)


def _dispatch(args: argparse.Namespace | SimpleNamespace) -> int:
    command = args.command or "dashboard"
    if isinstance(args, SimpleNamespace) or command == "dashboard":  # plain_dashboard_args names no command
        # No cyclic garbage collection until the first frame is painted
        # (BriefingApp turns it back on): start-up only builds objects that
        # live all session, and the collector's passes over them (textual's
        # modules, the widgets, the saved briefing) fell inside the first
        # frame (benchmarks/log.md, "Dashboard at scale").
        gc.disable()
        from briefing.workspace import open_config, open_store_for_dashboard

        config = open_config(args.config)  # a bad config fails here, before any screen
        store_path, store_checked = open_store_for_dashboard(args.cache)
        from briefing.tui.app import run_dashboard  # imported while the store is checked

        return run_dashboard(config, store_path, store_checked)
    if command == "export":
        from briefing.cli.articles import cmd_export

        return cmd_export(args)
    if command == "import":
        from briefing.cli.articles import cmd_import

        return cmd_import(args)
    if command == "prune":
        from briefing.cli.articles import cmd_prune

        return cmd_prune(args)
    if command == "articles":
        from briefing.cli.article_list import cmd_articles

        return cmd_articles(args)
    if command == "search":
        from briefing.cli.search import cmd_search

        return cmd_search(args)
    from briefing.cli import feeds

    if command == "refresh":
        return feeds.cmd_refresh(args)
    if command == "feeds":
        return feeds.cmd_feeds(args)
    if command == "opml":
        return feeds.cmd_opml(args)
    raise AssertionError(command)
