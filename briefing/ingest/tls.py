"""The certificates a refresh trusts, loaded on a thread while it starts.

A verifying SSL context reads every CA certificate of the bundle, which
delays a refresh's first request. OpenSSL reads them without holding
Python's lock, so a thread does it while the refreshing process imports
httpx, instead of the refresh waiting for it before its first request.

Which certificates: the same choice httpx makes by default, so starting
this early changes nothing a user set up: the file in SSL_CERT_FILE, else
the folder in SSL_CERT_DIR, else certifi's bundle.
"""

from __future__ import annotations

import os
import ssl
import threading


class TrustLoader:
    """Starts loading at once; `context()` waits for it. When the
    certificates cannot be loaded, `context()` returns a context that trusts
    nothing (every https fetch then fails) and `problem` says why in words."""

    def __init__(self) -> None:
        self.problem: str | None = None
        self._context: ssl.SSLContext | None = None
        self._thread = threading.Thread(target=self._load, name="briefing-tls", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        cafile = os.environ.get("SSL_CERT_FILE")
        capath = os.environ.get("SSL_CERT_DIR")
        try:
            if cafile:
                self._context = ssl.create_default_context(cafile=cafile)
            elif capath:
                self._context = ssl.create_default_context(capath=capath)
            else:
                import certifi  # on this thread, not on the refresh's way to its first request

                self._context = ssl.create_default_context(cafile=certifi.where())
        except Exception as exc:  # noqa: BLE001 - said in words by every https fetch
            where = f"SSL_CERT_FILE={cafile}" if cafile else f"SSL_CERT_DIR={capath}" if capath else "certifi"
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            # The reason first: a long path is what a cut-off line loses.
            self.problem = f"cannot load the trusted certificates: {reason} ({where})"
            # Verifying, with no certificate trusted: https cannot succeed.
            self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    def context(self) -> ssl.SSLContext:
        self._thread.join()
        assert self._context is not None
        return self._context
