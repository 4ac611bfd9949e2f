"""Decoding a response body with the size cap counted on what comes out:
each call is given the room left and refuses to go past it, so a gzip bomb
stops at the cap instead of filling memory (ingest/fetch.py reads the body in
chunks through one of these)."""

from __future__ import annotations

import zlib


class TooLarge(Exception):
    """The body (decoded) would pass the size cap."""


class Identity:
    """A body sent as it is."""

    def feed(self, data: bytes, room: int) -> bytes:
        if len(data) > room:
            raise TooLarge
        return data

    def flush(self, room: int) -> bytes:
        return b""


class Inflate:
    """gzip or deflate, decoded with a bound on the output of every call:
    a 64 KB chunk of a gzip bomb never becomes 64 MB in memory."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding in ("gzip", "x-gzip")
        self.decompressor: zlib._Decompress | None = None
        self.finished = False

    def _new(self, first: bytes) -> zlib._Decompress:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped; some servers send raw deflate.
        zlib_header = len(first) >= 2 and (first[0] & 0x0F) == 8 and ((first[0] << 8) | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        parts = []
        while data and not self.finished:
            if self.decompressor is None:
                self.decompressor = self._new(data)
            piece = self.decompressor.decompress(data, room + 1)
            room -= len(piece)
            if room < 0:
                raise TooLarge
            parts.append(piece)
            if self.decompressor.eof:
                data = self.decompressor.unused_data
                # Another gzip member may follow; anything else is trailing junk.
                if self.gzip and data[:2] == b"\x1f\x8b":
                    self.decompressor = None
                else:
                    self.finished = True
            else:
                data = self.decompressor.unconsumed_tail
        return b"".join(parts)

    def flush(self, room: int) -> bytes:
        if self.decompressor is None or self.finished:
            return b""
        rest = self.decompressor.flush()
        if len(rest) > room:
            raise TooLarge
        return rest
