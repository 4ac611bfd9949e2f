"""Where briefing finds its config, its store and its bundled story.

Nothing here creates a directory or a file: callers do that when they write.
platformdirs is imported only when no path is given: the child processes
import this module and are always given theirs.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "briefing"
_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir() -> Path:
    """The bundled feeds.toml and cache/: inside the wheel, or the checkout."""
    inside_wheel = _PACKAGE_DIR / "_bundled"
    if (inside_wheel / "feeds.toml").is_file():
        return inside_wheel
    return _PACKAGE_DIR.parent


def bundled_config() -> Path:
    return bundled_dir() / "feeds.toml"


def bundled_cache_dir() -> Path:
    return bundled_dir() / "cache"


def user_config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "feeds.toml"


def default_store_file() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME) / "briefing.db"


def resolve_config(explicit: str | os.PathLike | None) -> Path:
    """--config FILE, then $BRIEFING_CONFIG, then the user's, then the bundled one."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("BRIEFING_CONFIG")
    if env:
        return Path(env)
    user = user_config_file()
    if user.is_file():
        return user
    return bundled_config()


def resolve_store(explicit: str | os.PathLike | None) -> tuple[Path, bool]:
    """The store path, and whether it is the default one (seeded on creation)."""
    if explicit:
        return Path(explicit), False
    env = os.environ.get("BRIEFING_CACHE")
    if env:
        return Path(env), False
    return default_store_file(), True
