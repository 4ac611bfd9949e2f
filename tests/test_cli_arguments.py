"""The command line's arguments: the plain dashboard launch is read without
argparse, and must read exactly as the full parser would."""

from __future__ import annotations

import pytest

from briefing.cli import build_parser, plain_dashboard_args

PLAIN = [
    [],
    ["--config", "feeds.toml"],
    ["--cache", "s.db"],
    ["--config", "feeds.toml", "--cache", "s.db"],
    ["--cache", "s.db", "--config", "feeds.toml"],
    ["--config=feeds.toml", "--cache=s.db"],
    ["--config", "a.toml", "--config", "b.toml"],  # the last one wins, as in argparse
    ["--config", "refresh"],  # a file named like a command is still a file
    ["--cache", "with=sign.db"],
    ["--config=x=y.toml"],
]

NOT_PLAIN = [
    ["refresh"],
    ["--config", "feeds.toml", "export", "--format", "json"],
    ["--help"],
    ["-h"],
    ["--version"],
    ["--conf", "feeds.toml"],  # an abbreviation: argparse's to accept
    ["--config"],  # missing its value: argparse's error
    ["--config", "--cache", "s.db"],
    ["--config="],
    ["--config=--"],
    ["refersh"],  # a typo: argparse names the commands
    ["dashboard"],
    ["--cache", "s.db", "extra"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=lambda a: " ".join(a) or "(none)")
def test_the_plain_launch_reads_as_the_full_parser_reads_it(argv):
    plain = plain_dashboard_args(argv)
    assert plain is not None
    full = build_parser().parse_args(argv)
    assert (plain.command, plain.config, plain.cache) == (full.command, full.config, full.cache)


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=" ".join)
def test_anything_else_goes_to_the_full_parser(argv):
    assert plain_dashboard_args(argv) is None
