"""How the store writes: one transaction at a time per store file, each
waiting for the write lock the others hold (parser processes, a cron
refresh, the dashboard's children)."""

from __future__ import annotations

import sqlite3
import time

from briefing.store.errors import rollback_quietly

# How long a connection waits for another writer's lock before giving up.
BUSY_TIMEOUT_MS = 30_000
# The first tries for the lock, LOCK_POLL_SECONDS apart (see Transaction).
LOCK_POLLS = 40
LOCK_POLL_SECONDS = 0.0005


class LockBusy(Exception):
    """Transaction(wait=False): another writer holds the lock just now."""


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error. IMMEDIATE takes the
    write lock up front, so a second writer waits (busy timeout) instead of
    failing half-way with 'database is locked'. A transaction begun inside
    another is part of it: the outer one commits or rolls back.

    While another writer holds the lock, the first tries poll every
    LOCK_POLL_SECONDS: SQLite's own busy handler sleeps 1, 2, then 5 ms and
    more between tries, longer than a feed takes to store, so two parser
    processes would spend much of their wait asleep after the lock is free. After LOCK_POLLS tries the rest
    of the wait (up to the connection's 30 s) is SQLite's.

    With wait=False it tries once and raises LockBusy if the lock is held:
    a parser process then parses its next body and comes back."""

    def __init__(self, db: sqlite3.Connection, wait: bool = True) -> None:
        self.db = db
        self.wait = wait
        self.outer = False

    def __enter__(self) -> None:
        if self.db.in_transaction:
            return
        self.outer = True
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            for _ in range(LOCK_POLLS if self.wait else 1):
                try:
                    self.db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                if not self.wait:
                    self.outer = False
                    raise LockBusy
                time.sleep(LOCK_POLL_SECONDS)
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
            except BaseException:
                # A COMMIT that fails (a full disk) leaves the transaction
                # open: it is ended here, so the next one can begin.
                rollback_quietly(self.db)
                raise
        else:
            rollback_quietly(self.db)
