"""Hostile payloads shared by the hostile-input tests, and two tools to serve
and measure them.

    from tests.helpers.hostile import CONTROL, controls_in, hostile_rss, billion_laughs, Dribbler, run_measured

Everything here builds bytes or strings; nothing touches the network beyond
127.0.0.1. `CONTROL` is what must never reach a terminal: C0 controls other
than newline and tab (ESC included), DEL, C1 (0x80-0x9F), and the bidi
embeddings, overrides and isolates.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What Rich itself writes to style text: SGR sequences only.
RICH_SGR = re.compile(r"\x1b\[[0-9;]*m")


def controls_in(text: str | bytes) -> list[str]:
    """Every forbidden character in text, each with a little context: [] when clean."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [repr(text[max(0, m.start() - 12) : m.end() + 12]) for m in CONTROL.finditer(text)]


# -- terminal control payloads ------------------------------------------------------------
# Each carries a visible word so a test can see that the words survive while the
# instruction around them does not.

CONTROL_PAYLOADS = {
    "csi": "\x1b[31mRedword\x1b[0m",
    "csi_clear": "\x1b[2J\x1b[HClearword",
    "osc8": "\x1b]8;;https://evil.example/\x1b\\Linkword\x1b]8;;\x1b\\",
    "osc8_bel": "\x1b]8;;file:///etc/passwd\x07Fileword\x1b]8;;\x07",
    "osc52": "\x1b]52;c;cm0gLXJmIH4K\x07Clipword",
    "osc_title": "\x1b]0;pwned window title\x07Titleword",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\Dcsword",
    "c0": "Bell\x07word Back\x08word Vt\x0bword Ff\x0cword Nul\x00word",
    "del": "Del\x7fword",
    "c1": "C1\x85word Csi8\x9b31mword Osc8\x9d0;x\x9cword",
    "bidi": "\u202eBidiword\u202c \u2066Isoword\u2069 \u202aEmbword\u202c \u202dLroword\u202c \u2067Rliword\u2069",
}
CONTROL_WORDS = (
    "Redword",
    "Clearword",
    "Linkword",
    "Fileword",
    "Clipword",
    "Titleword",
    "Dcsword",
    "Del",
    "Bidiword",
    "Isoword",
)
# What must not survive even as visible text: the payloads inside the sequences.
CONTROL_LEFTOVERS = ("evil.example", "cm0gLXJmIH4K", "pwned window title", "[31m", "]52;", "]8;;")
HOSTILE_CONTROLS = " ".join(CONTROL_PAYLOADS.values())

# C1 and bidi characters are legal XML 1.0 characters: a well-formed feed can carry them.
XML_LEGAL_CONTROLS = "C1\x85word Csi8\x9b31mword " + CONTROL_PAYLOADS["bidi"]

# -- markup payloads ------------------------------------------------------------------------

MARKUP_PAYLOADS = (
    "[bold]Boldword[/]",
    "[/]",
    "[link=file:///etc/passwd]Pwword[/link]",
    "[@click=app.quit]Quitword[/]",
    ":smile: :thumbs_up:",
    "back\\slash \\[bold]not-escaped\\",
    "[red",
)
HOSTILE_MARKUP = " ".join(MARKUP_PAYLOADS)


# -- feed documents -------------------------------------------------------------------------


def _item(
    *,
    guid: str,
    title: str,
    link: str | None = None,
    description: str | None = None,
    author: str | None = None,
    source: str | None = None,
    raw: bool = False,
) -> str:
    """One <item>. raw=True writes the strings without XML escaping (for
    payloads that are already markup, or bytes an honest feed would escape)."""
    esc = (lambda s: s) if raw else escape
    parts = [
        f"<title>{esc(title)}</title>",
        f'<guid isPermaLink="false">{esc(guid)}</guid>',
        "<pubDate>Tue, 04 Feb 2025 10:00:00 GMT</pubDate>",
    ]
    if link is not None:
        parts.append(f"<link>{esc(link)}</link>")
    if description is not None:
        parts.append(f"<description>{esc(description)}</description>")
    if author is not None:
        parts.append(f"<author>{esc(author)}</author>")
    if source is not None:
        parts.append(f'<source url="http://example.invalid/src">{esc(source)}</source>')
    return "<item>" + "".join(parts) + "</item>"


def _channel(title: str, items: list[str], raw_title: bool = False) -> bytes:
    head = title if raw_title else escape(title)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{head}</title>'
        f"<link>http://example.invalid/</link><description>d</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


# Link targets that must never be stored or shown (the words of the links must).
LINK_TARGETS = ("secret-target", "stealTarget", "dataTarget", "scriptTarget")
LINK_WORDS = ("the secret file words", "the script words", "the data words")
ARTICLE_HTML = (
    "<p>Syria and Türkiye discuss a defense pact. {payload}</p>"
    '<p>Read <a href="file:///etc/secret-target">the secret file words</a> or '
    '<a href="javascript:stealTarget(document.cookie)">the script words</a> or '
    '<a href="data:text/html,dataTarget">the data words</a>.</p>'
    "<script>document.location='http://scriptTarget.example/'</script>"
    '<p>Ahmed al-Sharaa said: "{payload}" on Tuesday in Damascus.</p>'
)


def hostile_rss(kind: str = "controls") -> bytes:
    """A feed whose every displayed field is hostile.

    kind="controls": raw control bytes and escape sequences (ill-formed XML, as
    real feeds often are: feedparser falls back to its loose parser).
    kind="legal": only C1 and bidi characters, which XML allows, so the strict
    parser reads it. kind="markup": Rich/Textual markup in every field."""
    payload = {"controls": HOSTILE_CONTROLS, "legal": XML_LEGAL_CONTROLS, "markup": HOSTILE_MARKUP}[kind]
    items = [
        _item(
            guid=f"{kind}-1",
            title=f"Syria talks {payload}",
            link="https://example.invalid/a1",
            description=ARTICLE_HTML.format(payload=payload),
            author=f"Reporter {payload}",
            source=f"Source {payload}",
        ),
        _item(
            guid=f"{kind}-2",
            title=f"Türkiye pact {payload} second",
            link="javascript:alert(1)",
            description=f"Syria plain text body {payload}",
        ),
        _item(
            guid=f"{kind}-3",
            title=f"Syria file link {payload}",
            link="file:///etc/passwd",
            description="Syria and Türkiye, a file link.",
        ),
        _item(
            guid=f"{kind}-4",
            title=f"Syria dash link {payload}",
            link="-oProxyCommand=touch${IFS}pwned",
            description="Syria and Türkiye, an option link.",
        ),
    ]
    return _channel(f"Channel {payload}", items)


def good_rss(tag: str, count: int = 3, start: int = 0) -> bytes:
    """An honest feed: `count` relevant items with ids tag-start .. tag-(start+count-1)."""
    items = [
        _item(
            guid=f"{tag}-{n}",
            title=f"{tag} item {n}: Syria and Türkiye talk",
            link=f"https://example.invalid/{tag}/{n}",
            description=f"<p>Syria and Türkiye discuss a defense pact, report {tag} {n}.</p>",
        )
        for n in range(start, start + count)
    ]
    return _channel(f"Good {tag}", items)


# -- hostile XML --------------------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    top = f"&lol{levels - 1};"
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{"".join(entities)}]>\n'
        f'<rss version="2.0"><channel><title>{top}</title><item><title>{top}</title>'
        f"<guid>laughs</guid><description>{top}</description></item></channel></rss>"
    ).encode()


def quadratic_blowup(size: int = 100_000, refs: int = 10_000) -> bytes:
    """One big entity referenced many times: no nesting, same blowup."""
    body = "&a;" * refs
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{"B" * size}">]>\n'
        f'<rss version="2.0"><channel><title>q</title><item><title>quad</title><guid>quad</guid>'
        f"<description>{body}</description></item></channel></rss>"
    ).encode()


def external_entity(*paths: str) -> bytes:
    """Entities that name local files (XXE): their content must never be read."""
    decls = "".join(f'<!ENTITY x{i} SYSTEM "file://{p}">' for i, p in enumerate(paths))
    refs = " ".join(f"&x{i};" for i in range(len(paths)))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{decls}]>\n'
        f'<rss version="2.0"><channel><title>xxe {refs}</title><item><title>Syria xxe {refs}</title>'
        f"<guid>xxe</guid><description>Syria {refs}</description><author>{refs}</author>"
        "</item></channel></rss>"
    ).encode()


def external_dtd(dtd_url: str, pe_url: str) -> bytes:
    """An external DTD and an external parameter entity, both on our own
    server: a parser that fetched either would show up in its log."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{dtd_url}" ['
        f'<!ENTITY % pe SYSTEM "{pe_url}"> %pe;]>\n'
        '<rss version="2.0"><channel><title>dtd</title><item><title>Syria dtd &fromdtd;</title>'
        "<guid>dtd</guid><description>Syria dtd.</description></item></channel></rss>"
    ).encode()


def deep_nesting(depth: int = 100_000) -> bytes:
    return (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>deep</title><item>'
        "<title>Syria deep</title><guid>deep</guid><description>"
        + "<a>" * depth
        + "bottom"
        + "</a>" * depth
        + "</description></item></channel></rss>"
    ).encode()


def big_feed(size: int) -> bytes:
    """A well-formed feed of at least `size` bytes."""
    filler = "Syria " * 1000
    one = f"<item><title>big</title><description>{filler}</description></item>"
    count = size // len(one) + 1
    return _channel("big", []).replace(b"</channel></rss>", b"") + (one * count).encode() + b"</channel></rss>"


def gzip_bomb(expanded: int = 1 << 30, member: int = 64 << 20) -> bytes:
    """Zeros that inflate to `expanded` bytes, as several gzip members (one
    body per RFC 1952): about a thousandth of the size on the wire."""
    one = gzip.compress(b"\0" * member, compresslevel=9, mtime=0)
    return one * (expanded // member)


# -- a server that dribbles --------------------------------------------------------------------


class Dribbler:
    """A raw HTTP server on 127.0.0.1 that sends one byte a second, forever
    (until stopped). mode="body": the status line and headers arrive at once,
    the body a byte at a time; mode="headers": even the status line dribbles.

        with Dribbler("body") as d:
            url = d.url("/feed.xml")
    """

    def __init__(self, mode: str = "body", interval: float = 1.0) -> None:
        assert mode in ("body", "headers")
        self.mode = mode
        self.interval = interval
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, daemon=True, name="dribbler")

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}{path}"

    def __enter__(self) -> Dribbler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"
        body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>' + b" " * 999_000
        stream = head + body if self.mode == "headers" else body
        try:
            conn.settimeout(5)
            conn.recv(65536)
            if self.mode == "body":
                conn.sendall(head)
            for byte in stream:
                if self._stop.wait(self.interval):
                    break
                conn.sendall(bytes([byte]))
        except OSError:
            pass
        finally:
            conn.close()


# -- running the CLI and measuring it -----------------------------------------------------------


@dataclass
class Measured:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float
    max_rss_mb: float  # the largest resident set of the process or any child it waited for

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


def cli_env(extra: dict | None = None) -> dict:
    """The environment for a CLI subprocess: this test's isolated home (the
    conftest sets it in os.environ), no proxies (loopback must stay loopback),
    no colour, a wide terminal."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("BRIEFING_")}
    env.update(NO_COLOR="1", COLUMNS="200", PYTHONUNBUFFERED="1")
    env.update(extra or {})
    return env


def start_refresh(config: Path, store: Path, workdir: Path, *, new_session: bool = False) -> subprocess.Popen:
    """`briefing refresh` as cron would run it, in a subprocess; in a process
    group of its own with new_session, so a test can signal it and its children."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "--config", str(config), "--cache", str(store), "refresh"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=cli_env(),
        cwd=workdir,
        start_new_session=new_session,
    )


# A small wrapper that starts the CLI with posix_spawn and reports its peak
# RSS from wait4: the CLI's own peak and every child it reaped (its parser
# processes). Measured in a fresh small process, not forked from pytest, whose
# own memory (large test bodies) would otherwise count as the child's peak.
_WRAPPER = """
import os, sys
report, args = sys.argv[1], sys.argv[2:]
pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "briefing", *args], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_measured(args: list[str], workdir: Path, timeout: float = 60, env: dict | None = None) -> Measured:
    """Run `python -m briefing *args`; measure its wall time and peak RSS.
    Killed, with its whole process group, if it outlives `timeout`."""
    stamp = time.monotonic_ns()
    out_path, err_path, rss_path = (workdir / f".{name}-{stamp}" for name in ("out", "err", "rss"))
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, str(rss_path), *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env or cli_env(),
            cwd=workdir,
            start_new_session=True,
        )
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        seconds = time.monotonic() - started
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything it left behind
    except ProcessLookupError:
        pass
    rss_kb = int(rss_path.read_text()) if rss_path.exists() else 0
    measured = Measured(process.returncode, out_path.read_bytes(), err_path.read_bytes(), seconds, rss_kb / 1024)
    for path in (out_path, err_path, rss_path):
        path.unlink(missing_ok=True)
    return measured


# -- a story config for hostile tests ---------------------------------------------------------

STORY = """\
# hostile-input test story
[story]
id = "hostile-story"
title = "Syria and Türkiye talk"
keywords = ["Syria", "Türkiye", "defense pact"]

[[story.actors]]
name = "Ahmed al-Sharaa"
aliases = ["al-Sharaa", "Sharaa"]
kind = "person"
role = "Syria's transitional president"

[[story.questions]]
id = "pact"
title = "Will there be a defense pact?"
terms = ["defense pact", "pact", "Syria"]
"""


def write_story_config(path: Path, feeds: list[tuple[str, str]], settings: dict | None = None) -> Path:
    """STORY plus [settings] and the (name, url) feeds. Names are written between
    double quotes as they are, so TOML escapes in them (\\u001b) become characters."""
    lines = [STORY]
    if settings:
        lines.append("[settings]")
        lines += [f"{key} = {value!r}" for key, value in settings.items()]
        lines.append("")
    for name, url in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


_LINE = re.compile(r"^\[\d+/\d+\] (?P<name>.+?): (?P<what>.*) \((?P<seconds>\d+\.\d) s\)$")


def outcome_lines(stdout: str) -> dict[str, str]:
    """`briefing refresh` output (not a terminal) as {feed name: 'updated: 3 new'}."""
    found = {}
    for line in stdout.splitlines():
        match = _LINE.match(line)
        if match:
            found[match["name"]] = match["what"]
    return found
