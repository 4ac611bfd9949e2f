"""The repository's paths, files written for a test, and the real CLI run as
a subprocess with the test's isolated home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.feedserver import write_config

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

MINIMAL_CONFIG = """\
[story]
id = "test-story"
title = "A test story"
keywords = ["Syria", "Türkiye"]
"""

# Loopback answers at once; short limits keep a failing fetch from stalling a test.
SETTINGS = {"timeout": 3, "connect_timeout": 2}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(
    *args: str, env: dict | None = None, input: bytes | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the real `briefing` CLI in a subprocess, with this test's isolated home."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        env=full_env,
        input=input,
        cwd=cwd or REPO,
        timeout=timeout,
    )


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove nothing was written."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def run(tmp_path):
    """run(*args) -> CompletedProcess of `python -m briefing --config C --cache S *args`."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and not key.startswith(("BRIEFING_", "XDG_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        BRIEFING_CONFIG=str(tmp_path / "feeds.toml"),
        BRIEFING_CACHE=str(tmp_path / "store.db"),
        NO_COLOR="1",
        COLUMNS="200",
    )

    def go(*args: str, config: Path | None = None, cache: Path | None = None, input: str | None = None):
        command = [
            sys.executable,
            "-m",
            "briefing",
            "--config",
            str(config or tmp_path / "feeds.toml"),
            "--cache",
            str(cache or tmp_path / "store.db"),
            *args,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL, cwd=tmp_path
        )
        assert not list(home.rglob("*.db")), "wrote to the (fake) user cache dir"
        return done

    return go


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def config_for(tmp_path, feed_server, feeds: dict[str, str], **extra) -> Path:
    """feeds.toml in tmp_path naming the loopback server's paths: {name: path}."""
    return write_config(
        tmp_path / "feeds.toml", [(n, feed_server.url(p)) for n, p in feeds.items()], {**SETTINGS, **extra}
    )


def run_python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a new Python, from the checkout, with a bare environment:
    what it imports is what the code asks for, not what pytest loaded."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
