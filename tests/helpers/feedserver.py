"""A real HTTP server on 127.0.0.1 for tests: no mocks of the HTTP layer.

    from tests.helpers.feedserver import FeedServer, Reply, rss, item, write_config

    def test_something(feed_server, tmp_path):
        feed_server.route("/a.xml", Reply(body=rss(item("1", "Title"))))
        url = feed_server.url("/a.xml")
        ...
        assert feed_server.hits("/a.xml") == 1

`feed_server` is a pytest fixture that tests/conftest.py registers for every
test (`pytest_plugins`): name it as an argument, never import it. Every
route answers with a `Reply`, or with what a handler function returns for
the request it is given; the server records every request (path and headers
as received), counts hits per path, and measures how many requests were in
flight at once. Unknown paths answer 404.
"""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    hang: bool = False  # never answer (until the server stops)
    content_length: bool = True  # False: no Content-Length, close-delimited body
    content_type: str | None = "application/rss+xml; charset=utf-8"


@dataclass(frozen=True)
class Seen:
    """One request as the server received it. Header names are lowercased;
    values are exactly the bytes received, decoded as latin-1."""

    path: str
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


Handler = Callable[[Seen], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen() backlog; the default of 5 drops connection attempts when a
    # test opens a dozen at once, and a dropped SYN waits a second to retry.
    request_queue_size = 128


class FeedServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """tls: a server-side SSL context; the server then speaks https."""
        self._tls = tls
        self._routes: dict[str, Handler] = {}
        self._seen: list[Seen] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections = 0  # TCP connections accepted
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up ------------------------------------------------------------------

    def route(self, path: str, reply: Reply | Handler | None = None, **fields) -> None:
        """Answer `path` with a Reply, a handler(seen) -> Reply, or Reply(**fields)."""
        if reply is None:
            reply = Reply(**fields)
        self._routes[path] = reply if callable(reply) else (lambda seen, r=reply: r)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        assert self._server is not None
        return f"{'https' if self._tls else 'http'}://{host}:{self.port}{path}"

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    # -- what happened -----------------------------------------------------------

    def requests(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self._seen if path is None or s.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests(path))

    def reset_counts(self) -> None:
        with self._lock:
            self._seen.clear()
            self.max_in_flight = 0
            self.connections = 0

    # -- running -----------------------------------------------------------------

    def start(self) -> FeedServer:
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def setup(self) -> None:  # one handler per connection
                super().setup()
                with server._lock:
                    server.connections += 1

            def do_GET(self) -> None:
                raw = {}
                for name, value in self.headers.raw_items():
                    raw[name.lower()] = value
                seen = Seen(self.path, raw)
                with server._lock:
                    server._seen.append(seen)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    handler = server._routes.get(self.path)
                    reply = handler(seen) if handler else Reply(404, b"not here", content_type="text/plain")
                    if reply.hang:
                        server._stopping.wait(60)
                        self.close_connection = True
                        return
                    if reply.delay:
                        server._stopping.wait(reply.delay)
                    self.send_response(reply.status)
                    if reply.content_type and "content-type" not in {k.lower() for k in reply.headers}:
                        self.send_header("Content-Type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.content_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.body:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self._server = _Server(("127.0.0.1", 0), RequestHandler)
        if self._tls is not None:
            self._server.socket = self._tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="feedserver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


# -- documents ------------------------------------------------------------------------


def item(
    guid: str | None,
    title: str,
    link: str | None = None,
    description: str = "",
    pub_date: str | None = "Tue, 04 Feb 2025 10:00:00 GMT",
) -> str:
    parts = [f"<title>{escape(title)}</title>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{escape(guid)}</guid>')
    if link:
        parts.append(f"<link>{escape(link)}</link>")
    if description:
        parts.append(f"<description>{escape(description)}</description>")
    if pub_date:
        parts.append(f"<pubDate>{pub_date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss(*items: str, title: str = "Test feed", encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>test</description>{''.join(items)}</channel></rss>"
    ).encode(encoding)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_config(path: Path, feeds: Iterable[tuple[str, str]], settings: dict | None = None, extra: str = "") -> Path:
    """A minimal feeds.toml: a story, the given (name, url) feeds, [settings].
    Names and URLs are written between double quotes as they are: TOML
    escapes in them (\\" or \\u001b) are read by the TOML parser."""
    lines = ["# test config", "[story]", 'id = "test-story"', 'title = "Test story"', 'keywords = ["Syria"]', ""]
    if settings:
        lines.append("[settings]")
        lines += [
            f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"'
            for key, value in settings.items()
        ]
        lines.append("")
    for name, url in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path


class Clock:
    """Wall-clock timing for assertions about how long something took."""

    def __enter__(self) -> Clock:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start
