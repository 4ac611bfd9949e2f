"""The command line's arguments: the plain dashboard launch is read without
argparse, and must read exactly as the full parser would."""

from __future__ import annotations

import pytest

from briefing.cli.main import build_parser, plain_dashboard_args

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


def test_the_command_leaves_its_objects_to_the_end_of_the_process(tmp_path):
    # `briefing` (cli.run) freezes what is alive once main() returns, so that
    # Python's exit does not walk it all with the cyclic collector.
    import subprocess
    import sys

    from briefing.store.database import Store
    from tests.helpers.cli import MINIMAL_CONFIG, REPO, write

    config = write(tmp_path / "feeds.toml", MINIMAL_CONFIG)
    Store(tmp_path / "s.db").close()  # `feeds` only reads a store, never makes one
    code = (
        "import gc, sys\n"
        "from briefing.cli.main import run\n"
        f"sys.argv = ['briefing', '--config', {str(config)!r}, '--cache', {str(tmp_path / 's.db')!r}, 'feeds']\n"
        "code = run()\n"
        "print(code, gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["0", "True"]
