"""Edits to the story in feeds.toml, made from the dashboard: an actor, an
alias, a name to stop proposing, a keyword, an open question.

The file is the user's: tomlkit edits it in place so that every comment and
line outside the edit stays as it was; the new text is checked by the same
checker as a loaded file (config.parse_config) before it is written, and
written atomically. It is not written when the file changed on disk since
the dashboard read it (an editor or another session): the user is told and
nothing is lost. The bundled feeds.toml is never edited: the first edit
copies it to the user's config folder, and says so.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from briefing.atomic_write import write_atomically
from briefing.config import ACTOR_KINDS, Config, ConfigError, file_digest, parse_config, table_headers
from briefing.paths import bundled_config, user_config_file
from briefing.record import record, replace


class ConfigEditError(Exception):
    """An edit that was not made. str() is one line saying why."""


@record
class Edited:
    """The config after an edit, where it was written, and, on a first edit
    of the bundled file, where that was copied from."""

    config: Config
    path: Path
    copied_from: Path | None = None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


class StoryEditor:
    """Edits one config file. `seen` is the digest of the bytes the caller
    loaded (Config.digest): an edit is refused once the file no longer
    holds them. After an edit `seen` is the new file's, so edits in a row
    work; `user_file` is where the bundled file's copy goes."""

    def __init__(self, config: Config, user_file: Path | None = None) -> None:
        self.path = config.path
        self.seen = config.digest
        self._user_file = user_file

    # -- the edits -----------------------------------------------------------

    def add_actor(self, name: str, kind: str, role: str | None = None, aliases: tuple[str, ...] = ()) -> Edited:
        name = _one_line(name, "the actor's name")
        if kind not in ACTOR_KINDS:
            raise ConfigEditError(f"kind {kind!r} is not one of {', '.join(ACTOR_KINDS)}")
        values: dict[str, object] = {"name": name}
        clean_aliases = [_one_line(a, "an alias") for a in aliases if a.strip()]
        if clean_aliases:
            values["aliases"] = clean_aliases
        values["kind"] = kind
        if role and role.strip():
            values["role"] = _one_line(role, "the role")

        def change(text: str, config: Config) -> str:
            if _names_actor(config, name):
                raise ConfigEditError(f"{name!r} is already an actor of the story or one's alias")
            return _add_table(text, "story.actors", values)

        return self._edit(change)

    def add_alias(self, actor: str, alias: str) -> Edited:
        alias = _one_line(alias, "the alias")

        def change(text: str, config: Config) -> str:
            if _names_actor(config, alias):
                raise ConfigEditError(f"{alias!r} already names an actor of the story")
            import tomlkit

            document = tomlkit.parse(text)
            for table in document["story"].get("actors", []):
                if str(table.get("name", "")).strip() == actor:
                    if "aliases" in table:
                        table["aliases"].append(alias)
                    else:
                        table["aliases"] = [alias]
                    return tomlkit.dumps(document)
            raise ConfigEditError(f"no actor named {actor!r} in the story")

        return self._edit(change)

    def ignore_name(self, name: str) -> Edited:
        name = _one_line(name, "the name")

        def change(text: str, config: Config) -> str:
            if name.casefold() in (n.casefold() for n in config.story.ignore):
                raise ConfigEditError(f"{name!r} is already ignored")
            return _add_to_story_list(text, "ignore", name)

        return self._edit(change)

    def add_keyword(self, keyword: str) -> Edited:
        keyword = _one_line(keyword, "the keyword")

        def change(text: str, config: Config) -> str:
            if keyword.casefold() in (k.casefold() for k in config.story.keywords):
                raise ConfigEditError(f"{keyword!r} is already a keyword")
            return _add_to_story_list(text, "keywords", keyword)

        return self._edit(change)

    def add_question(self, title: str, terms: tuple[str, ...], question_id: str | None = None) -> Edited:
        title = _one_line(title, "the question's title")
        clean_terms = [_one_line(t, "a term") for t in terms if t.strip()]
        if not clean_terms:
            raise ConfigEditError("a question needs at least one term to find its evidence by")

        def change(text: str, config: Config) -> str:
            taken = {q.id for q in config.story.questions}
            qid = question_id or _slug(title)
            base, n = qid, 2
            while qid in taken:
                if question_id:
                    raise ConfigEditError(f"a question with id {qid!r} exists")
                qid, n = f"{base}-{n}", n + 1
            return _add_table(text, "story.questions", {"id": qid, "title": title, "terms": clean_terms})

        return self._edit(change)

    # -- reading, checking, writing --------------------------------------------

    def _edit(self, change: Callable[[str, Config], str]) -> Edited:
        source = self.path
        copied_from = None
        if _same_file(self.path, bundled_config()):
            target = self._user_file or user_config_file()
            if target.exists():
                raise ConfigEditError(
                    f"{target} exists but this session reads the bundled {self.path}: "
                    "restart briefing to use your own file, then edit"
                )
            copied_from = source
        else:
            target = self.path
        data = self._read_unchanged(source)
        text = data.decode("utf-8")
        new_text = change(text, parse_config(tomllib.loads(text), source, text))
        try:
            new_config = parse_config(tomllib.loads(new_text), target, new_text)
        except (ConfigError, tomllib.TOMLDecodeError) as exc:
            raise ConfigEditError(f"not saved, the edit would break the file: {exc}") from None
        new_data = new_text.encode("utf-8")
        if copied_from is None:
            self._read_unchanged(source)  # once more, just before writing
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, new_data)
        except OSError as exc:
            raise ConfigEditError(f"{target}: cannot write: {exc.strerror or exc}") from None
        self.path, self.seen = target, file_digest(new_data)
        return Edited(replace(new_config, digest=self.seen), target, copied_from)

    def _read_unchanged(self, path: Path) -> bytes:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigEditError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if self.seen is not None and file_digest(data) != self.seen:
            raise ConfigEditError(
                f"{path} changed on disk since briefing read it; not saved. Restart briefing to read it again"
            )
        return data


def _names_actor(config: Config, name: str) -> bool:
    folded = name.casefold()
    return any(folded == n.casefold() for actor in config.story.actors for n in (actor.name, *actor.aliases))


def _add_table(text: str, name: str, values: dict[str, object]) -> str:
    """Text with a new [[name]] table after the last one (or after the
    [story] table's last value when there is none), so the comments that
    head the next section stay with it."""
    import tomlkit

    body = "".join(f"{key} = {tomlkit.item(value).as_string()}\n" for key, value in values.items())
    lines = text.splitlines(keepends=True)
    at = _block_end(lines, name, True)
    if at is None:
        at = _block_end(lines, "story", False)
    if at is None:
        raise ConfigEditError("no [story] table to edit")
    return _insert(lines, at, f"\n[[{name}]]\n{body}")


def _add_to_story_list(text: str, key: str, value: str) -> str:
    """Text with value appended to the [story] table's list `key`, which is
    made after the table's last value if it is not there."""
    import tomlkit

    document = tomlkit.parse(text)
    story = document["story"]
    if key in story:
        story[key].append(value)
        return tomlkit.dumps(document)
    lines = text.splitlines(keepends=True)
    at = _block_end(lines, "story", False)
    if at is None:
        raise ConfigEditError("no [story] table to edit")
    return _insert(lines, at, f"{key} = {tomlkit.item([value]).as_string()}\n")


def _block_end(lines: list[str], name: str, is_array: bool) -> int | None:
    """The index of the line after the last value of the last table with
    this header: its trailing blank lines and comments belong to what
    follows."""
    headers = table_headers([line.rstrip("\r\n") for line in lines])
    found = [i for i, (_, array, header) in enumerate(headers) if header == name and array == is_array]
    if not found:
        return None
    position = found[-1]
    start = headers[position][0]  # 1-based: the header's line
    end = headers[position + 1][0] - 1 if position + 1 < len(headers) else len(lines)
    last = start
    for number in range(start + 1, end + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            last = number
    return last


def _insert(lines: list[str], at: int, block: str) -> str:
    before = lines[:at]
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    return "".join(before) + block + "".join(lines[at:])


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigEditError(f"{what} is empty")
    if _UNSAFE.search(value):
        raise ConfigEditError(f"{what} holds a control character or a line break")
    if len(value) > 200:
        raise ConfigEditError(f"{what} is longer than 200 characters")
    return value


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return slug[:40].strip("-") or "question"
