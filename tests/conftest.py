"""Shared test helpers: an isolated home for every test, configs written to
temporary files, and the real CLI run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

MINIMAL_CONFIG = """\
[story]
id = "test-story"
title = "A test story"
keywords = ["Syria", "Türkiye"]
"""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """No test may read or write the real user's config or cache."""
    home = tmp_path_factory.mktemp("home")
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                      ("XDG_DATA_HOME", ".local/share")):
        monkeypatch.setenv(name, str(home / sub) if sub else str(home))
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.delenv("BRIEFING_CACHE", raising=False)
    return home


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str, env: dict | None = None, input: bytes | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `briefing` CLI in a subprocess, with this test's isolated home."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, env=full_env,
                          input=input, cwd=cwd or REPO, timeout=timeout)


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove nothing was written."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
