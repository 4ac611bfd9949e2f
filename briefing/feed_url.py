"""What makes a feed's address usable: the one check the config, OPML import
and the fetcher share, so that a URL the fetcher could not even try is
refused, in words, where the user wrote it.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_IPV4_LIKE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_SHOWN = 80  # characters of a URL quoted back in a message


def shown(url: str) -> str:
    return repr(url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…")


def url_problem(url: str) -> str | None:
    """None when url is an http(s) URL the fetcher can request; otherwise
    what is wrong with it, as a clause that can follow "feeds[0].url: "."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # an unclosed "[" in the host, for one
        return f"{shown(url)} is not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"scheme {scheme!r} is not allowed" if scheme else f"{shown(url)} is not an absolute URL"
        return f"{what}: feeds must be http:// or https:// URLs"
    host = parts.hostname
    if not host:
        return f"{shown(url)} has no host name"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        text = parts.netloc.rpartition("@")[2].rpartition("]")[2].rpartition(":")[2]
        return f"{shown(url)}: port {text[:12]!r} is not a number from 1 to 65535"
    if _IPV4_LIKE.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f"{shown(url)}: {shown(host)} is not an IPv4 address"
    if not host.isascii() or "xn--" in host:
        problem = _idna_problem(host)
        if problem:
            return f"{shown(url)}: the host name is not a valid international domain name ({problem})"
    return None


def _idna_problem(host: str) -> str | None:
    """Whether the host survives the IDNA encoding (non-ASCII) or decoding
    ("xn--" labels) that httpx and the resolver do before connecting."""
    import idna  # httpx's own dependency; only hosts that need it pay for the import

    try:
        if host.isascii():
            for label in host.split("."):
                if label.startswith("xn--"):
                    idna.decode(label)
        else:
            idna.encode(host)
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        return str(exc)[:80] or type(exc).__name__
    return None
