"""An isolated home for every test, and the shared fixture modules, each
registered once here (tests name the fixtures, never import them)."""

from __future__ import annotations

import pytest

# Before any helper is imported, so that a bare assert in a helper reports its values.
pytest.register_assert_rewrite("tests.helpers")

pytest_plugins = ["tests.helpers.feedserver", "tests.helpers.cli"]

# No network but loopback: any request to another host (an article's link
# at example.invalid, say, whose page a refresh now fetches) goes to a proxy
# on a closed loopback port and fails at once, never reaching DNS or the
# internet. Set for the whole session, so child processes and the CLI run
# as a subprocess inherit it; httpx honours these variables.
NO_NETWORK_PROXY = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, NO_NETWORK_PROXY)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost,::1")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """No test may read or write the real user's config or cache."""
    home = tmp_path_factory.mktemp("home")
    for name, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(name, str(home / sub) if sub else str(home))
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.delenv("BRIEFING_CACHE", raising=False)
    return home
