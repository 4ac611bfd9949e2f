"""Read and check feeds.toml: the story to follow and the feeds to read.

Every problem becomes a ConfigError whose message is one line naming the file
and the line or key at fault. Loading never writes anything.
"""

from __future__ import annotations

import math
import re
import sys
import tomllib
from pathlib import Path

from briefing.feed_url import url_problem
from briefing.record import Factory, record

ACTOR_KINDS = ("person", "organization", "state", "group")


class ConfigError(Exception):
    """A config file that cannot be used. str() is the one-line message."""


@record
class Actor:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "person"
    role: str | None = None


@record
class Question:
    id: str
    title: str
    terms: tuple[str, ...] = ()


@record
class Story:
    id: str
    title: str
    keywords: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()
    questions: tuple[Question, ...] = ()


@record
class Feed:
    name: str
    url: str
    enabled: bool = True


@record
class Settings:
    """How refresh behaves. All optional in the file."""

    timeout: float = 15.0  # seconds for the whole request
    connect_timeout: float = 10.0
    max_connections: int = 32
    max_per_host: int = 8
    max_bytes: int = 10 * 1024 * 1024  # after decompression
    min_interval: int = 0  # seconds between fetches of one feed


@record
class Config:
    path: Path
    story: Story
    feeds: tuple[Feed, ...] = ()
    settings: Settings = Factory(Settings)

    def feed(self, name: str) -> Feed | None:
        return next((f for f in self.feeds if f.name == name), None)


_TOP_KEYS = {"story", "feeds", "settings"}
_STORY_KEYS = {"id", "title", "keywords", "actors", "questions"}
_ACTOR_KEYS = {"name", "aliases", "kind", "role"}
_QUESTION_KEYS = {"id", "title", "terms"}
_FEED_KEYS = {"name", "url", "enabled"}
_SETTINGS_TYPES = {
    "timeout": (int, float),
    "connect_timeout": (int, float),
    "max_connections": int,
    "max_per_host": int,
    "max_bytes": int,
    "min_interval": int,
}
# The largest value of each setting, with its unit and why, in words. Past
# these a value is a mistake, and some (a timeout the socket layer cannot
# hold, an interval past the calendar's end) would fail every refresh.
_SETTINGS_MAX = {
    "timeout": (3600, "seconds: an hour"),
    "connect_timeout": (3600, "seconds: an hour"),
    "max_connections": (1000, "connections"),
    "max_per_host": (1000, "connections"),
    "max_bytes": (1024 ** 3, "bytes: 1 GB, as a body is held in memory"),
    "min_interval": (366 * 24 * 3600, "seconds: a year; use enabled = false to stop a feed"),
}


def load_config(path: str | Path) -> Config:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {_toml_message(exc)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: arrays or tables nested too deeply to read") from None
    except ValueError:
        # tomllib's only other ValueError: an integer longer than Python
        # converts (sys.get_int_max_str_digits()).
        line = _long_number_line(text)
        at = f"line {line}: " if line else ""
        raise ConfigError(f"{path}: {at}a number too long to read (more than "
                          f"{sys.get_int_max_str_digits()} digits)") from None
    return parse_config(data, path, text)


def _long_number_line(text: str) -> int | None:
    match = re.search(rf"[0-9_]{{{sys.get_int_max_str_digits()},}}", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    # tomllib says "Expected ... (at line 3, column 7)"; lead with the line.
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        reason = message[: match.start()].strip()
        return f"line {match.group(1)}, column {match.group(2)}: TOML syntax error: {reason}"
    return f"TOML syntax error: {message}"


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, where: str, what: str, hint: str | None = None) -> ConfigError:
        line = self._find_line(hint) if hint else None
        at = f"line {line}: " if line else ""
        return ConfigError(f"{self.path}: {at}{where}: {what}")

    def _find_line(self, needle: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(needle)}\s*=")
        for number, line in enumerate(self.lines, 1):
            if pattern.search(line) or (needle.startswith("\"") and needle in line):
                return number
        return None

    def table(self, value: object, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a table, not {_type_name(value)}")
        return value

    def keys(self, table: dict, allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"{where}.{key}", f"unknown key (known keys: {known})", key)

    def string(self, table: dict, key: str, where: str, required: bool = True) -> str | None:
        if key not in table:
            if required:
                raise self.fail(f"{where}.{key}", "missing (required)")
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"must be a string, not {_type_name(value)}", key)
        if required and not value.strip():
            raise self.fail(f"{where}.{key}", "must not be empty", key)
        return value.strip()

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "must be a list of strings", key)
        return tuple(v.strip() for v in value if v.strip())

    def array_of_tables(self, table: dict, key: str, where: str) -> list[dict]:
        value = table.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}{key}", f"must be an array of tables ([[{where}{key}]])", key)
        for index, item in enumerate(value):
            self.table(item, f"{where}{key}[{index}]")
        return value


def _type_name(value: object) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def parse_config(data: dict, path: Path, text: str = "") -> Config:
    check = _Checker(path, text)
    check.keys(data, _TOP_KEYS, "(top level)")
    if "story" not in data:
        raise check.fail("story", "missing [story] table")
    story_table = check.table(data["story"], "story")
    check.keys(story_table, _STORY_KEYS, "story")

    actors = []
    for index, item in enumerate(check.array_of_tables(story_table, "actors", "story.")):
        where = f"story.actors[{index}]"
        check.keys(item, _ACTOR_KEYS, where)
        kind = check.string(item, "kind", where, required=False) or "person"
        if kind not in ACTOR_KINDS:
            raise check.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(ACTOR_KINDS)}", "kind")
        actors.append(Actor(
            name=check.string(item, "name", where),
            aliases=check.strings(item, "aliases", where),
            kind=kind,
            role=check.string(item, "role", where, required=False) or None,
        ))

    questions = []
    seen_questions: set[str] = set()
    for index, item in enumerate(check.array_of_tables(story_table, "questions", "story.")):
        where = f"story.questions[{index}]"
        check.keys(item, _QUESTION_KEYS, where)
        qid = check.string(item, "id", where)
        if qid in seen_questions:
            raise check.fail(f"{where}.id", f"duplicate question id {qid!r}", f'"{qid}"')
        seen_questions.add(qid)
        questions.append(Question(
            id=qid, title=check.string(item, "title", where), terms=check.strings(item, "terms", where)
        ))

    story = Story(
        id=check.string(story_table, "id", "story"),
        title=check.string(story_table, "title", "story"),
        keywords=check.strings(story_table, "keywords", "story"),
        actors=tuple(actors),
        questions=tuple(questions),
    )

    feeds = []
    seen_feeds: set[str] = set()
    for index, item in enumerate(check.array_of_tables(data, "feeds", "")):
        where = f"feeds[{index}]"
        check.keys(item, _FEED_KEYS, where)
        name = check.string(item, "name", where)
        url = check.string(item, "url", where)
        problem = url_problem(url)
        if problem:
            raise check.fail(f"{where}.url", problem, f'"{url}"')
        if name.casefold() in seen_feeds:
            raise check.fail(f"{where}.name", f"duplicate feed name {name!r}", f'"{name}"')
        seen_feeds.add(name.casefold())
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise check.fail(f"{where}.enabled", "must be true or false", "enabled")
        feeds.append(Feed(name=name, url=url, enabled=enabled))

    settings = Settings()
    if "settings" in data:
        table = check.table(data["settings"], "settings")
        check.keys(table, set(_SETTINGS_TYPES), "settings")
        values = {}
        for key, value in table.items():
            # isfinite only for floats: an int of hundreds of digits does
            # not convert to float, and every int is finite anyway.
            if (isinstance(value, bool) or not isinstance(value, _SETTINGS_TYPES[key])
                    or (isinstance(value, float) and not math.isfinite(value)) or value <= 0):
                raise check.fail(f"settings.{key}", "must be a positive number", key)
            largest, unit = _SETTINGS_MAX[key]
            if value > largest:
                raise check.fail(f"settings.{key}", f"must be at most {largest} ({unit})", key)
            values[key] = value
        settings = Settings(**values)

    return Config(path=path, story=story, feeds=tuple(feeds), settings=settings)
