"""The dashboard's briefing, assembled in a process of its own.

A Workspace keeps a BriefingBuilder: the whole briefing is built from the
store once (with any missing analyses computed first), then brought up to
date after each refresh. That is Python work which holds the interpreter
lock, and keys would wait behind it. For the dashboard, a child process
(processes/spawn.py) holds the Workspace and its builder for the whole
session; the dashboard asks it for a briefing and gets the same JSON a
snapshot is saved as (store/snapshot.py), which costs the dashboard only
its decoding.

Requests: ("load", last_viewed), ("update", ids, last_viewed), ("read", id,
read), ("read-all",).
Answers to load and update: ("analysing", done, total) while analyses are
computed, then ("briefing", json bytes) or ("error", kind, words), kind
"store" for a store the child cannot use. "read" and "read-all" (articles
marked read or unread in the store) have no answer: the builder's rows follow.

This module imports no `textual`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from briefing.config import Config
from briefing.model import Briefing
from briefing.processes import frames, spawn
from briefing.store.errors import StoreError, store_error
from briefing.store.snapshot import decode
from briefing.text.sanitize import clean_line
from briefing.workspace import Workspace


class BriefingProcessError(Exception):
    """The briefing process could not answer; str() says why, in words."""


class BriefingProcess:
    """One child for a dashboard session. Thread-safe: one request at a time."""

    def __init__(self, config: Config, store_path: Path) -> None:
        self.process, self.errors = spawn.start("briefing.workers.briefing_worker:_child_main")
        self._to_child, self._from_child = spawn.pipes(self.process)
        self._lock = threading.Lock()
        try:
            self._send(("start", config, Path(store_path)))
        except BriefingProcessError:
            self.stop()  # nothing of a child that died at once is left open
            raise

    def load(self, last_viewed: datetime | None, progress: Callable[[int, int], None] | None = None) -> Briefing:
        return self._ask(("load", last_viewed), progress)

    def update(self, changed_ids: Sequence[int], last_viewed: datetime | None) -> Briefing:
        return self._ask(("update", tuple(changed_ids), last_viewed), None)

    def mark_read(self, article_id: int, read: bool = True) -> None:
        with self._lock:
            self._send(("read", article_id, read))

    def mark_all_read(self) -> None:
        with self._lock:
            self._send(("read-all",))

    def stop(self) -> None:
        """End the child now. It holds nothing that needs a tidy end: each of
        its writes (analyses, the saved briefing) is one transaction."""
        try:
            self._to_child.close()
        except OSError:
            pass
        spawn.end(self.process)
        self._from_child.close()
        self.errors.close()

    # -- talking to the child ---------------------------------------------------------

    def _send(self, message: object) -> None:
        try:
            frames.send(self._to_child, message)
        except (OSError, ValueError):
            raise BriefingProcessError(self._death()) from None

    def _ask(self, request: tuple[object, ...], progress: Callable[[int, int], None] | None) -> Briefing:
        with self._lock:
            self._send(request)
            while True:
                try:
                    kind, *fields = frames.receive(self._from_child)
                except (EOFError, OSError, ValueError):
                    raise BriefingProcessError(self._death()) from None
                if kind == "analysing":
                    if progress is not None:
                        progress(*fields)
                elif kind == "briefing":
                    return decode(fields[0])
                elif kind == "error":
                    error_kind, words = fields
                    if error_kind == "store":
                        raise StoreError(words)
                    raise BriefingProcessError(words)

    def _death(self) -> str:
        code = self.process.poll()
        detail = spawn.last_error_line(self.errors) if not self.errors.closed else ""
        return (
            "the briefing process ended unexpectedly"
            + (f" (exit status {code})" if code is not None else "")
            + (f": {detail}" if detail else "")
        )


def _child_main() -> None:
    """The child: a Workspace that answers requests until its stdin closes."""
    source, sink = spawn.child_pipes()
    _, config, store_path = frames.receive(source)
    workspace = Workspace(config, store_path)
    while True:
        try:
            request = frames.receive(source)
        except EOFError:
            return  # the dashboard has closed
        kind = request[0]
        try:
            if kind == "read":
                workspace.builder_read(request[1], request[2])
                continue
            if kind == "read-all":
                workspace.builder_read_all()
                continue
            if kind == "load":
                workspace.session_last_viewed = request[1]
                data = workspace.load_briefing_encoded(
                    progress=lambda done, total: frames.send(sink, ("analysing", done, total))
                )
            elif kind == "update":
                workspace.session_last_viewed = request[2]
                data = workspace.update_briefing_encoded(request[1])
            else:
                raise ValueError(f"unknown request {kind!r}")
            spawn.give_back_freed_memory()  # before the dashboard decodes what is sent
            frames.send(sink, ("briefing", data))
        except BrokenPipeError:
            return
        except (StoreError, sqlite3.Error) as exc:
            error = exc if isinstance(exc, StoreError) else store_error(store_path, exc)
            # A store that cannot be used ends the dashboard; a full disk or
            # a busy store is reported, and the next try may work.
            frames.send(sink, ("error", "store" if error.status == 2 else "other", clean_line(str(error))))
        except Exception as exc:  # noqa: BLE001 - reported to the dashboard in words
            frames.send(sink, ("error", "other", clean_line(f"{type(exc).__name__}: {exc}")))
