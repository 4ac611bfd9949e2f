"""Fetch feed documents over HTTP: concurrent, bounded, conditional, capped.

One `Fetcher` serves one refresh. It keeps at most `max_connections`
requests in flight overall and `max_per_host` to any one host, sends back the
ETag and Last-Modified a feed last gave (a 304 then costs nothing), follows at
most five redirects itself so that every Location is checked (http and https
only), and reads the body as it is decompressed, stopping at `max_bytes`, so a
gzip bomb stops at the cap instead of filling memory.

Nothing here parses or stores: a `FetchResult` carries the bytes (or the
reason, in words, why there are none) back to the caller. No exception
escapes `Fetcher.fetch`.

Longer than most modules: a request's limits, redirects, cap, validators
and Retry-After are one sequence per request; decoding a body and the
certificates are apart (body.py, tls.py).
"""

from __future__ import annotations

import asyncio
import importlib.util
import math
import re
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from briefing import __version__
from briefing.config import Settings
from briefing.feed_url import url_problem
from briefing.ingest.body import Identity, Inflate, TooLarge
from briefing.ingest.tls import TrustLoader
from briefing.text.sanitize import clean_line

USER_AGENT = f"briefing/{__version__} (+https://github.com/briefing)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# Only what we decode ourselves with a bound on the output.
ACCEPT_ENCODING = "gzip, deflate"
MAX_REDIRECTS = 5
# A server may ask us to wait (429/503 Retry-After); we wait at most this long,
# so a wrong header cannot silence a feed for years.
MAX_RETRY_AFTER = timedelta(hours=24)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ERROR_LENGTH = 200
# The first requests to a host open its connections; they start this far
# apart rather than all at once. A burst of connects can overflow a small
# server's accept queue (Python's http.server listens with a backlog of 5),
# and a dropped connect is retried by the kernel only after a whole second.
# Once a host's connections are open, requests reuse them and are not paced.
CONNECT_SPACING = 0.006


@dataclass(frozen=True)
class FetchRequest:
    """One feed to fetch, with the validators its last good answer carried."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None  # instead of ACCEPT (a feed's types): an article page asks for HTML


@dataclass(frozen=True)
class FetchResult:
    """How one fetch went. `status` is "ok" (body holds the bytes),
    "not_modified" (a 304) or "failed" (error says why, in words)."""

    name: str
    url: str
    status: str
    http_status: int | None = None
    final_url: str | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: datetime | None = None
    elapsed: float = 0.0


class _Failed(Exception):
    """`names_redirect`: the words already say a redirect went wrong."""

    def __init__(
        self,
        message: str,
        http_status: int | None = None,
        retry_after: datetime | None = None,
        names_redirect: bool = False,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retry_after = retry_after
        self.names_redirect = names_redirect


def describe_size(size: int) -> str:
    """10485760 -> '10 MB'; 1500 -> '1.5 KB'; 900 -> '900 bytes'."""
    mib, kib = 1024 * 1024, 1024
    if size >= mib:
        return f"{size // mib} MB" if size % mib == 0 else f"{size / mib:.1f} MB"
    if size >= kib:
        return f"{size // kib} KB" if size % kib == 0 else f"{size / kib:.1f} KB"
    return f"{size} bytes"


def describe_seconds(seconds: float) -> str:
    """15.0 -> '15'; 0.5 -> '0.5'."""
    return f"{seconds:g}"


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """A Retry-After header (delay in seconds, or an HTTP date) as the UTC
    time before which the feed must not be asked again; None when absent,
    unreadable or already past. Capped at MAX_RETRY_AFTER from now."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{1,12}", value):
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    when = min(when, now + MAX_RETRY_AFTER)
    if when <= now:
        return None
    # The store keeps whole seconds: round up so we never ask early.
    return datetime.fromtimestamp(math.ceil(when.timestamp()), tz=UTC)


def _decoder(content_encoding: str) -> Identity | Inflate:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return Identity()
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return Inflate(codings[0])
    raise _Failed(f"unsupported content encoding {clean_line(', '.join(codings))[:40]!r}")


def _raw_header(response: httpx.Response, name: bytes) -> str | None:
    """A header exactly as received (latin-1 round-trips every byte)."""
    for key, value in response.headers.raw:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


_LOCATION = "briefing.location"


async def _hold_location(response: httpx.Response) -> None:
    """Take a redirect's Location out of httpx's hands: even with
    follow_redirects=False it builds the next request, and raises on a
    Location it cannot parse (javascript:...) before we could refuse it."""
    if response.status_code in _REDIRECTS:
        response.extensions[_LOCATION] = _raw_header(response, b"location")
        if "location" in response.headers:
            del response.headers["location"]


def _describe_error(exc: Exception, settings: Settings, url: str) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out after {describe_seconds(settings.connect_timeout)} s connecting"
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"timed out after {describe_seconds(settings.timeout)} s"
    text = str(exc) or type(exc).__name__
    low = text.lower()
    host = urlsplit(url).hostname or "?"
    if isinstance(exc, httpx.ConnectError):
        if "refused" in low or "all connection attempts failed" in low:
            return "connection refused"
        if any(
            s in low
            for s in (
                "name or service not known",
                "nodename nor servname",
                "temporary failure in name resolution",
                "no address associated",
                "getaddrinfo failed",
                "name resolution",
            )
        ):
            return f"host not found ({host})"
        if "certificate" in low:
            return "TLS certificate not trusted"
        if "ssl" in low or "tls" in low:
            return f"TLS error: {text}"
        if "unreachable" in low:
            return "network unreachable"
        return f"could not connect: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in low or "disconnected" in low:
            return "the server closed the connection without an answer"
        if "incomplete" in low or "peer closed" in low:
            return "the server closed the connection before the body was complete"
        return f"broken HTTP answer: {text}"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return "connection reset" if "reset" in low or not str(exc) else f"connection lost: {text}"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return f"invalid URL: {text}"
    if isinstance(exc, httpx.HTTPError):
        return f"HTTP error: {text}"
    if isinstance(exc, zlib.error):
        return "the compressed body is damaged"
    return f"unexpected error: {type(exc).__name__}: {text}"


_SHOWN_URL = 100


def _shown(url: str) -> str:
    """A URL as it goes into an error: cleaned, and short enough to leave
    room for the reason after it."""
    url = clean_line(url)
    return url if len(url) <= _SHOWN_URL else url[: _SHOWN_URL - 1] + "…"


def _after_redirects(error: str, hops: list[str], names_redirect: bool = False) -> str:
    """A failure's words; after a redirect, they name where it led, since
    the feed's own URL is not the one that failed."""
    error = clean_line(error)
    if len(hops) > 1 and not names_redirect:
        error = f"redirected to {_shown(hops[-1])}: {error}"
    return error[:_ERROR_LENGTH]


def _check_scheme(url: str, redirected: bool) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _Failed("redirect to an invalid URL" if redirected else "invalid URL", names_redirect=True) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = clean_line(scheme)[:20] or "no scheme"
        if redirected:
            raise _Failed(f"redirect to a non-http(s) URL refused ({what}:)", names_redirect=True)
        raise _Failed(f"not an http(s) URL ({what}:)")
    if not parts.hostname:
        raise _Failed("redirect to a URL without a host" if redirected else "URL without a host", names_redirect=True)
    # A port out of range or a host IDNA cannot encode fails deep inside
    # httpx and anyio, as an exception group; said here in words instead.
    problem = url_problem(url)
    if problem:
        raise _Failed(
            f"redirect to an invalid URL: {problem}" if redirected else f"invalid URL: {problem}", names_redirect=True
        )


class _Host:
    """What the fetcher keeps per host: a limit on requests in flight, and
    the pace at which its first connections are opened."""

    def __init__(self, max_per_host: int) -> None:
        self.slot = asyncio.Semaphore(max_per_host)
        self.unpaced_after = max_per_host
        self.started = 0
        self.next_start = 0.0

    async def pace(self) -> None:
        self.started += 1
        if self.started > self.unpaced_after:
            return
        now = time.monotonic()
        start = max(now, self.next_start)
        self.next_start = start + CONNECT_SPACING
        if start > now:
            await asyncio.sleep(start - now)


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: await fetcher.fetch(req)`."""

    def __init__(self, settings: Settings, *, user_agent: str = USER_AGENT, trust: TrustLoader | None = None) -> None:
        """`trust`: certificates already loading (refresh starts them early)."""
        _skip_missing_sniffio()
        self.settings = settings
        trust = trust or TrustLoader()
        tls_context = trust.context()
        self._tls_problem = trust.problem
        self._all = asyncio.Semaphore(settings.max_connections)
        self._hosts: dict[str, _Host] = {}
        self.client = httpx.AsyncClient(
            headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout, pool=None),
            limits=httpx.Limits(
                max_connections=settings.max_connections, max_keepalive_connections=settings.max_connections
            ),
            follow_redirects=False,
            verify=tls_context,
            event_hooks={"response": [_hold_location]},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def _host(self, url: str) -> _Host:
        name = (urlsplit(url).hostname or "").lower()
        host = self._hosts.get(name)
        if host is None:
            host = self._hosts[name] = _Host(self.settings.max_per_host)
        return host

    async def fetch(self, request: FetchRequest) -> FetchResult:
        clock: list[float] = []
        hops = [request.url]  # every URL asked, the first one included
        url = request.url
        try:
            return await self._fetch(request, clock, hops)
        except _Failed as exc:
            return FetchResult(
                request.name,
                url,
                "failed",
                http_status=exc.http_status,
                error=_after_redirects(str(exc), hops, exc.names_redirect),
                retry_after=exc.retry_after,
                elapsed=_since(clock),
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes words
            return FetchResult(
                request.name,
                url,
                "failed",
                error=_after_redirects(_describe_error(exc, self.settings, hops[-1]), hops),
                elapsed=_since(clock),
            )

    async def _fetch(self, request: FetchRequest, clock: list[float], hops: list[str]) -> FetchResult:
        headers: dict[bytes, bytes] = {}
        if request.accept:
            headers[b"Accept"] = request.accept.encode("latin-1", "replace")
        if request.etag:
            headers[b"If-None-Match"] = request.etag.encode("latin-1", "replace")
        if request.last_modified:
            headers[b"If-Modified-Since"] = request.last_modified.encode("latin-1", "replace")
        loop = asyncio.get_running_loop()
        deadline = asyncio.timeout(None)
        url = request.url
        try:
            async with deadline:
                for hop in range(MAX_REDIRECTS + 1):
                    _check_scheme(url, redirected=hop > 0)
                    if self._tls_problem and url[:6].lower() == "https:":
                        raise _Failed(self._tls_problem)
                    host = self._host(url)
                    async with host.slot, self._all:
                        await host.pace()
                        if not clock:
                            # The total time limit counts from the moment the
                            # fetch may start, not while it queues for a slot.
                            clock.append(time.monotonic())
                            deadline.reschedule(loop.time() + self.settings.timeout)
                        result = await self._exchange(request, url, headers, clock)
                    if isinstance(result, FetchResult):
                        return result
                    # Back once is how a site sets a cookie; back twice is a loop.
                    if hops.count(result) >= 2:
                        raise _Failed(f"redirect loop: redirected back to {_shown(result)}", names_redirect=True)
                    url = result
                    hops.append(url)
                raise _Failed(f"too many redirects (more than {MAX_REDIRECTS})", names_redirect=True)
        except TimeoutError:
            raise _Failed(f"timed out after {describe_seconds(self.settings.timeout)} s") from None

    async def _exchange(
        self, request: FetchRequest, url: str, headers: dict[bytes, bytes], clock: list[float]
    ) -> FetchResult | str:
        """One request: a FetchResult, or the next URL when redirected."""
        response = await self.client.send(self.client.build_request("GET", url, headers=headers), stream=True)
        try:
            code = response.status_code
            if code in _REDIRECTS:
                location = response.extensions.get(_LOCATION)
                if not location or not location.strip():
                    raise _Failed(f"HTTP {code} without a Location", code)
                try:
                    return urljoin(url, location.strip())
                except ValueError:
                    raise _Failed("redirect to an invalid URL", code, names_redirect=True) from None
            etag = _raw_header(response, b"etag")
            last_modified = _raw_header(response, b"last-modified")
            if code == 304:
                # Read the (empty) rest of the answer, so that the connection
                # is known to be finished and goes back to the pool for the
                # next feed on this host, instead of being closed.
                await _drain(response)
                if not (request.etag or request.last_modified):
                    # Without validators there is no cached copy it could
                    # mean; taken as "not modified", the feed would look
                    # healthy forever and never bring an article.
                    raise _Failed("server answered 304 Not Modified to a request that asked for no cached copy", code)
                return FetchResult(
                    request.name,
                    request.url,
                    "not_modified",
                    http_status=304,
                    final_url=url,
                    etag=etag,
                    last_modified=last_modified,
                    elapsed=_since(clock),
                )
            if not 200 <= code < 300:
                retry_after = None
                if code in (429, 503):
                    retry_after = parse_retry_after(_raw_header(response, b"retry-after"), datetime.now(UTC))
                raise _Failed(f"HTTP {code}", code, retry_after)
            body = await self._read_body(response)
            return FetchResult(
                request.name,
                request.url,
                "ok",
                http_status=code,
                final_url=url,
                body=body,
                content_type=_raw_header(response, b"content-type"),
                etag=etag,
                last_modified=last_modified,
                elapsed=_since(clock),
            )
        finally:
            await response.aclose()

    async def _read_body(self, response: httpx.Response) -> bytes:
        cap = self.settings.max_bytes
        too_large = _Failed(f"body larger than {describe_size(cap)}", response.status_code)
        decoder = _decoder(response.headers.get("content-encoding", ""))
        if isinstance(decoder, Identity):
            length = response.headers.get("content-length", "").strip()
            if length.isdigit() and int(length) > cap:
                raise too_large
        body = bytearray()
        try:
            async for chunk in response.aiter_raw():
                body += decoder.feed(chunk, cap - len(body))
            body += decoder.flush(cap - len(body))
        except TooLarge:
            raise too_large from None
        except zlib.error:
            raise _Failed("the compressed body is damaged", response.status_code) from None
        return bytes(body)


_DRAIN_LIMIT = 16 * 1024


async def _drain(response: httpx.Response) -> None:
    """Read what is left of a short answer; give up (the connection is then
    closed rather than reused) past a few kilobytes."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > _DRAIN_LIMIT:
            return


def _skip_missing_sniffio() -> None:
    """httpcore asks `import sniffio` on every request and falls back to
    asyncio when it is missing; a missing module is not cached, so each ask
    walks sys.path again (about a tenth of a refresh's fetching time). When
    sniffio is not installed, record that once: the import fails fast, as
    it would have failed anyway."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def _since(clock: list[float]) -> float:
    return time.monotonic() - clock[0] if clock else 0.0


async def fetch_all(requests: list[FetchRequest], settings: Settings) -> list[FetchResult]:
    """Fetch every request concurrently; results in the order asked."""
    async with Fetcher(settings) as fetcher:
        return list(await asyncio.gather(*(fetcher.fetch(r) for r in requests)))
