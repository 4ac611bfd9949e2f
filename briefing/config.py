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
from typing import Any

from briefing.feed_url import url_problem
from briefing.record import Factory, record, replace

ACTOR_KINDS = ("person", "organization", "state", "group")
# When a refresh fetches an article's web page for its whole text: "auto"
# when the article is about the story and its feed gives only a teaser,
# "always" for every new or changed article, "never" not at all.
FULL_TEXT_MODES = ("auto", "always", "never")
# A selector longer than this is a mistake, not a rule for one site's pages.
MAX_SELECTOR_CHARS = 500


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
    ignore: tuple[str, ...] = ()  # names the text mentions that are not to be proposed as actors


@record
class Feed:
    name: str
    url: str
    enabled: bool = True
    full_text: str = "auto"  # one of FULL_TEXT_MODES
    selector: str | None = None  # a CSS selector for the article's text on its pages


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
    settings: Settings = Factory(factory=Settings)
    digest: str | None = None  # file_digest() of the file as read: an edit is refused once it changes

    def feed(self, name: str) -> Feed | None:
        return next((f for f in self.feeds if f.name == name), None)


_TOP_KEYS = {"story", "feeds", "settings"}
_STORY_KEYS = {"id", "title", "keywords", "actors", "questions", "ignore"}
_ACTOR_KEYS = {"name", "aliases", "kind", "role"}
_QUESTION_KEYS = {"id", "title", "terms"}
_FEED_KEYS = {"name", "url", "enabled", "full_text", "selector"}
_SETTINGS_TYPES: dict[str, type[int | float] | tuple[type[int | float], ...]] = {
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
    "max_bytes": (1024**3, "bytes: 1 GB, as a body is held in memory"),
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
        raise ConfigError(
            f"{path}: {at}a number too long to read (more than {sys.get_int_max_str_digits()} digits)"
        ) from None
    return replace(parse_config(data, path, text), digest=file_digest(raw))


def file_digest(data: bytes) -> str:
    """What tells one version of the file from another: zlib's two
    checksums and the length (hashlib's OpenSSL import would cost the
    dashboard's start-up, and this only has to notice an edit)."""
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


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

    def fail(self, where: str, what: str) -> ConfigError:
        line = self._find_line(where)
        at = f"line {line}: " if line else ""
        return ConfigError(f"{self.path}: {at}{where}: {what}")

    def _find_line(self, where: str) -> int | None:
        """The line of where's key ("story.actors[1].kind"), looked for only
        in its own table: every actor has a kind and every feed a url, and
        the first one is not the one at fault."""
        table, _, key = where.rpartition(".")
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        section = self._section(table)
        if section is None:
            # A table written inline has no header: a line is named only if
            # the key is on one line of the whole file.
            found = [n for n, line in enumerate(self.lines, 1) if pattern.search(line)]
            return found[0] if len(found) == 1 else None
        first, end = section
        for number in range(first, end):
            if pattern.search(self.lines[number - 1]):
                return number
        # A missing key, or one written as a dotted key: its table's header.
        return first - 1 if first > 1 else None

    def _section(self, table: str) -> tuple[int, int] | None:
        """The lines (first, end) of the table named as in an error's place:
        "" for the top level, "story", "story.actors[1]"; None if its header
        is not found."""
        match = re.fullmatch(r"(.*)\[(\d+)\]", table)
        name, index = (match.group(1), int(match.group(2))) if match else (table, None)
        headers = table_headers(self.lines)
        if table in ("", "(top level)"):
            return (1, headers[0][0] if headers else len(self.lines) + 1)
        seen = -1
        for position, (number, is_array, header) in enumerate(headers):
            if header != name or is_array != (index is not None):
                continue
            seen += 1
            if index is None or seen == index:
                end = headers[position + 1][0] if position + 1 < len(headers) else len(self.lines) + 1
                return (number + 1, end)
        return None

    def table(self, value: object, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a table, not {_type_name(value)}")
        return value

    def keys(self, table: dict, allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"{where}.{key}", f"unknown key (known keys: {known})")

    def string(self, table: dict, key: str, where: str) -> str:
        """A required string, stripped, and not empty."""
        if key not in table:
            raise self.fail(f"{where}.{key}", "missing (required)")
        value = self.optional_string(table, key, where)
        if not value:
            raise self.fail(f"{where}.{key}", "must not be empty")
        return value

    def optional_string(self, table: dict, key: str, where: str) -> str | None:
        """A string, stripped (perhaps empty), or None if the key is absent."""
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"must be a string, not {_type_name(value)}")
        return value.strip()

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "must be a list of strings")
        return tuple(v.strip() for v in value if v.strip())

    def array_of_tables(self, table: dict, key: str, where: str) -> list[dict]:
        value = table.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}{key}", f"must be an array of tables ([[{where}{key}]])")
        for index, item in enumerate(value):
            self.table(item, f"{where}{key}[{index}]")
        return value


# A table's header line: [name] or [[name]], with an optional comment.
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-. \"']+?)\s*\]\]?\s*(?:#.*)?$")


def table_headers(lines: list[str]) -> list[tuple[int, bool, str]]:
    """Each header's line number, whether it opens an array item ([[...]]),
    and its name written plainly (story.actors)."""
    found = []
    for number, line in enumerate(lines, 1):
        if match := _HEADER.match(line):
            name = re.sub(r"\s*\.\s*", ".", match.group(2)).replace('"', "").replace("'", "")
            found.append((number, match.group(1) == "[[", name))
    return found


def _type_name(value: object) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def selector_problem(selector: str) -> str | None:
    """Why a feed's CSS selector cannot be used, in words; None when it can.
    Checked with cssselect (lxml's), imported only when a config names one."""
    if len(selector) > MAX_SELECTOR_CHARS:
        return f"too long ({len(selector):,} characters; at most {MAX_SELECTOR_CHARS})"
    if any(ord(c) < 32 or ord(c) == 127 for c in selector):
        return "must not contain control characters"
    try:
        from cssselect import GenericTranslator, SelectorError
    except ImportError:  # pragma: no cover - a dependency of the page extraction
        return None
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        return f"{selector[:60]!r} is not a CSS selector ({str(exc)[:80]})"
    except Exception as exc:  # noqa: BLE001 - any other refusal of the selector's text
        return f"{selector[:60]!r} is not a CSS selector ({type(exc).__name__})"
    return None


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
        kind = check.optional_string(item, "kind", where) or "person"
        if kind not in ACTOR_KINDS:
            raise check.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(ACTOR_KINDS)}")
        actors.append(
            Actor(
                name=check.string(item, "name", where),
                aliases=check.strings(item, "aliases", where),
                kind=kind,
                role=check.optional_string(item, "role", where) or None,
            )
        )

    questions = []
    seen_questions: set[str] = set()
    for index, item in enumerate(check.array_of_tables(story_table, "questions", "story.")):
        where = f"story.questions[{index}]"
        check.keys(item, _QUESTION_KEYS, where)
        qid = check.string(item, "id", where)
        if qid in seen_questions:
            raise check.fail(f"{where}.id", f"duplicate question id {qid!r}")
        seen_questions.add(qid)
        questions.append(
            Question(id=qid, title=check.string(item, "title", where), terms=check.strings(item, "terms", where))
        )

    story = Story(
        id=check.string(story_table, "id", "story"),
        title=check.string(story_table, "title", "story"),
        keywords=check.strings(story_table, "keywords", "story"),
        actors=tuple(actors),
        questions=tuple(questions),
        ignore=check.strings(story_table, "ignore", "story"),
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
            raise check.fail(f"{where}.url", problem)
        if name.casefold() in seen_feeds:
            raise check.fail(f"{where}.name", f"duplicate feed name {name!r}")
        seen_feeds.add(name.casefold())
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise check.fail(f"{where}.enabled", "must be true or false")
        full_text = item.get("full_text", "auto")
        if not isinstance(full_text, str) or full_text not in FULL_TEXT_MODES:
            shown = repr(full_text) if isinstance(full_text, str) else _type_name(full_text)
            raise check.fail(
                f"{where}.full_text",
                f"{shown[:60]} is not one of {', '.join(repr(m) for m in FULL_TEXT_MODES)} (feed {name!r})",
            )
        selector = check.optional_string(item, "selector", where) or None
        if selector is not None:
            problem = selector_problem(selector)
            if problem:
                raise check.fail(f"{where}.selector", f"{problem} (feed {name!r})")
        feeds.append(Feed(name=name, url=url, enabled=enabled, full_text=full_text, selector=selector))

    settings = Settings()
    if "settings" in data:
        table = check.table(data["settings"], "settings")
        check.keys(table, set(_SETTINGS_TYPES), "settings")
        values: dict[str, Any] = {}  # each of the type its setting declares, checked below
        for key, value in table.items():
            # isfinite only for floats: an int of hundreds of digits does
            # not convert to float, and every int is finite anyway.
            if (
                isinstance(value, bool)
                or not isinstance(value, _SETTINGS_TYPES[key])
                or (isinstance(value, float) and not math.isfinite(value))
                or value <= 0
            ):
                raise check.fail(f"settings.{key}", "must be a positive number")
            largest, unit = _SETTINGS_MAX[key]
            if value > largest:
                raise check.fail(f"settings.{key}", f"must be at most {largest} ({unit})")
            values[key] = value
        settings = Settings(**values)

    return Config(path=path, story=story, feeds=tuple(feeds), settings=settings)
