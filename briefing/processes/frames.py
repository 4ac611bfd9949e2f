"""The one format our child processes speak over their pipes: length-prefixed
pickles. Both ends are our own code and nothing else holds the pipes; what
comes from feeds travels inside them as data."""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

HEADER = struct.Struct("!I")


def frame(message: object) -> bytes:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def send(pipe: IO[bytes], message: object) -> None:
    pipe.write(frame(message))
    pipe.flush()


def receive(pipe: IO[bytes]) -> Any:
    """The next message (whatever the other end pickled: the reader knows
    its shape); EOFError when the other end has gone."""
    header = pipe.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("the other end has gone")
    size = HEADER.unpack(header)[0]
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("the other end has gone")
    return pickle.loads(data)
