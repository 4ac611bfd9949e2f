"""An isolated home for every test, and the shared fixture modules, each
registered once here (tests name the fixtures, never import them)."""

from __future__ import annotations

import pytest

# Before any helper is imported, so that a bare assert in a helper reports its values.
pytest.register_assert_rewrite("tests.helpers")

pytest_plugins = ["tests.helpers.feedserver", "tests.helpers.cli"]


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
