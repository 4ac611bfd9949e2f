"""OPML in and out: the feed list other readers import and export.

Import adds `[[feeds]]` blocks to the end of the config file and leaves
every byte already there (comments, order, spacing) as it was. Nothing is
written unless the OPML file is acceptable, has at least one feed to take,
and the new config still loads; the write goes through a temporary file and
os.replace, so the config is never seen half written. A read-only config is
refused; the config keeps its mode, its owner and its hard links
(atomic_write).

OPML is XML from strangers: a document with a DOCTYPE or an ENTITY
declaration is refused before xml.etree sees it (no entity expansion, no
external entities), and only http(s) feed URLs are taken: a feed with any
other URL is left out, and said to be.
"""

from __future__ import annotations

import os
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.parsers import expat

from briefing.atomic_write import write_atomically
from briefing.config import Config, ConfigError, parse_config
from briefing.feed_url import url_problem
from briefing.store.values import utcnow
from briefing.text.plural import count
from briefing.text.sanitize import clean_line, strip_controls

MAX_OPML_BYTES = 10 * 1024 * 1024
MAX_NAME = 100


class OpmlError(Exception):
    """An OPML file that cannot be imported, or a config that cannot take
    its feeds. str() is one line naming the file; nothing was changed."""


@dataclass(frozen=True)
class OpmlFeed:
    name: str
    url: str


@dataclass(frozen=True)
class RefusedFeed:
    """An outline whose feed cannot be taken. `problem` is short ("URL is
    not http(s) (exec:)"); `detail` is the whole sentence."""

    name: str
    problem: str
    detail: str


@dataclass(frozen=True)
class OpmlDocument:
    feeds: tuple[OpmlFeed, ...]
    refused: tuple[RefusedFeed, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    config_path: Path
    added: tuple[OpmlFeed, ...]
    skipped: tuple[OpmlFeed, ...]
    refused: tuple[RefusedFeed, ...] = ()

    def message(self) -> str:
        """One line a refused feed, then the summary."""
        added, skipped = len(self.added), len(self.skipped)
        lines = [f"skipped {feed.name!r}: {feed.problem}" for feed in self.refused]
        line = f"{clean_line(str(self.config_path))}: added {count(added, 'feed')}, skipped {skipped} already listed"
        if self.refused:
            line += f" and {len(self.refused)} with a bad URL"
        lines.append(line if added else line + " (file unchanged)")
        return "\n".join(lines)


# -- reading OPML ---------------------------------------------------------------


class _Refused(Exception):
    pass


def _refuse(what: str):
    def handler(*_args) -> None:
        raise _Refused(what)

    return handler


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _attr(element: ET.Element, name: str) -> str:
    name = name.lower()
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return ""


def parse_opml(data: bytes, where: str) -> OpmlDocument:
    """The feeds an OPML document lists, in order, and apart from them those
    whose URL is not http(s) (`exec:`, `file:`) or not a URL. Raises
    OpmlError (one line starting with `where`) for anything that is not
    OPML."""
    checker = expat.ParserCreate()
    checker.StartDoctypeDeclHandler = _refuse("a DOCTYPE declaration")
    checker.EntityDeclHandler = _refuse("an ENTITY declaration")
    checker.UnparsedEntityDeclHandler = _refuse("an ENTITY declaration")
    checker.ExternalEntityRefHandler = _refuse("an external entity")
    try:
        checker.Parse(data, True)
    except _Refused as exc:
        raise OpmlError(f"{where}: refused: the file has {exc} (not allowed in OPML here)") from None
    except expat.ExpatError as exc:
        raise OpmlError(f"{where}: not an OPML file: XML error: {clean_line(str(exc))}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"{where}: not an OPML file: XML error: {clean_line(str(exc))}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(
            f"{where}: not an OPML file (the root element is <{clean_line(_local(root.tag))[:40]}>, not <opml>)"
        )
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError(f"{where}: not an OPML file (no <body>)")
    feeds: list[OpmlFeed] = []
    refused: list[RefusedFeed] = []
    for outline in body.iter():
        if _local(outline.tag) != "outline":
            continue
        raw_url = _attr(outline, "xmlUrl")
        if not raw_url.strip():
            continue  # a folder, or a link to a web page
        name = clean_line(_attr(outline, "title")) or clean_line(_attr(outline, "text"))
        url = raw_url.strip()
        shown = clean_line(url)[:60]
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None  # url_problem below says why
        scheme = parts.scheme.lower() if parts else ""
        problem = url_problem(url)
        if parts and scheme not in ("http", "https"):
            what = clean_line(scheme)[:20]
            label = f"a {what}: URL" if scheme else "a URL that is not absolute"
            refused.append(
                RefusedFeed(
                    name or shown,
                    f"URL is not http(s) ({what}:)" if scheme else f"URL is not absolute ({shown})",
                    f"feed {name or shown!r} has {label} ({shown}); only http:// and https:// feeds can be imported",
                )
            )
        elif problem:
            refused.append(
                RefusedFeed(name or shown, clean_line(problem), f"feed {name or shown!r}: {clean_line(problem)}")
            )
        elif not parts or not parts.netloc or strip_controls(url) != url or any(ch.isspace() for ch in url):
            refused.append(
                RefusedFeed(
                    name or shown, f"invalid URL {shown!r}", f"feed {name or shown!r} has an invalid URL {shown!r}"
                )
            )
        else:
            feeds.append(OpmlFeed(name=(name or parts.hostname or url)[:MAX_NAME].strip(), url=url))
    return OpmlDocument(tuple(feeds), tuple(refused))


def read_opml(path: str | os.PathLike) -> OpmlDocument:
    path = Path(path)
    try:
        if path.is_dir():
            raise OpmlError(f"{path}: is a directory, not an OPML file")
        if path.stat().st_size > MAX_OPML_BYTES:
            raise OpmlError(f"{path}: too large for an OPML file (over 10 MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise OpmlError(f"{path}: no such file") from None
    except OSError as exc:
        raise OpmlError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_opml(data, str(path))


# -- importing into the config ----------------------------------------------------


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}?{parts.query}"


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control escaped."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def import_opml(config: Config, opml_path: str | os.PathLike) -> ImportResult:
    """Append the OPML file's new feeds to the config file (config.path).
    Feeds already listed, by URL or by name, are skipped."""
    document = read_opml(opml_path)
    feeds, refused = document.feeds, document.refused
    if not feeds and refused:
        others = len(refused) - 1
        also = f" ({count(others, 'other feed')} refused too)" if others else ""
        raise OpmlError(f"{opml_path}: {refused[0].detail}{also}; nothing was imported")
    if not feeds:
        raise OpmlError(f"{opml_path}: no feeds in it (no <outline> with an xmlUrl)")
    names = {feed.name.casefold() for feed in config.feeds}
    urls = {_url_key(feed.url) for feed in config.feeds}
    added: list[OpmlFeed] = []
    skipped: list[OpmlFeed] = []
    for feed in feeds:
        if feed.name.casefold() in names or _url_key(feed.url) in urls:
            skipped.append(feed)
            continue
        names.add(feed.name.casefold())
        urls.add(_url_key(feed.url))
        added.append(feed)
    target = Path(config.path)
    if added:
        _append_feeds(target, added, Path(opml_path).name)
    return ImportResult(target, tuple(added), tuple(skipped), refused)


def _append_feeds(target: Path, feeds: list[OpmlFeed], source_name: str) -> None:
    try:
        original = target.read_bytes()
    except OSError as exc:
        raise OpmlError(f"{target}: cannot read the config: {exc.strerror or exc}") from None
    newline = "\r\n" if b"\r\n" in original else "\n"
    lines = [f"# Imported from {clean_line(source_name)[:80]} by `briefing opml import`."]
    for feed in feeds:
        lines += ["", "[[feeds]]", f"name = {toml_string(feed.name)}", f"url = {toml_string(feed.url)}"]
    prefix = ""
    if original and not original.endswith(b"\n"):
        prefix = newline
    addition = (prefix + newline + newline.join(lines) + newline).encode("utf-8")
    updated = original + addition
    # The new file must still load, with exactly the feeds expected.
    try:
        text = updated.decode("utf-8")
        parsed = parse_config(tomllib.loads(text), target, text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ConfigError) as exc:
        raise OpmlError(
            f"{target}: cannot add the feeds to this config ({clean_line(str(exc))}); nothing was changed"
        ) from None
    have = {(f.name, f.url) for f in parsed.feeds}
    if any((f.name, f.url) not in have for f in feeds):
        raise OpmlError(
            f"{target}: cannot add the feeds to this config (its feeds are not [[feeds]] tables); nothing was changed"
        )
    try:
        write_atomically(target, updated)
    except OSError as exc:
        raise OpmlError(f"{target}: cannot write: {exc.strerror or exc}; nothing was changed") from None


# -- exporting ------------------------------------------------------------------------


def export_opml(config: Config) -> str:
    """The config's feeds as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"briefing: {clean_line(config.story.title)}"
    ET.SubElement(head, "dateCreated").text = format_datetime(utcnow(), usegmt=True)
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    for feed in config.feeds:
        name = clean_line(feed.name)
        ET.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=clean_line(feed.url))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
