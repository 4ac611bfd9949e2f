"""What went wrong with a store, in words that tell the user what to do.

SQLite's own messages mislead here: a full disk often shows as 'disk I/O
error' (the -shm file could not be grown), and a store in a folder that
cannot be written as 'unable to open database file'. Neither is a damaged
file, and telling the user to move such a store aside would have them throw
away a good one. So an error is classified by SQLite's result code and, when
that code is ambiguous, by a look at the folder the store is in.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

# An I/O error with less than this left on the store's file system is taken
# to be the disk filling up: SQLite reports a failed write to the -shm file
# (and some other writes) as 'disk I/O error', not as 'disk full'.
LOW_SPACE_BYTES = 1024 * 1024


class StoreError(Exception):
    """A store that cannot be used. str() is the one-line message; status is
    the exit status (2: the store as given cannot be used)."""

    status = 2


class StoreUnavailable(StoreError):
    """The store is fine but the machine failed it just now (a full disk, an
    I/O error, another process holding it): trying again later may work."""

    status = 1


def damaged_message(path: Path, detail: str) -> str:
    return (
        f"{path}: the store is damaged ({detail.splitlines()[0] if detail else 'unknown'}); "
        "left untouched. Move it aside or pass --cache NEW_FILE to start a fresh store"
    )


def primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def store_error(path: str | os.PathLike, exc: sqlite3.Error, doing: str = "") -> StoreError:
    """The one-line StoreError for a SQLite error met while using the store
    at path; `doing` (such as 'nothing was imported') ends the line."""
    path = Path(path)
    kind = classify(path, exc)
    folder = _folder(path)
    tail = f"; {doing}" if doing else ""
    if kind == "damaged":
        return StoreError(damaged_message(path, str(exc)) + tail)
    if kind == "disk full":
        return StoreUnavailable(
            f"{path}: disk full ({exc}); the store was left as it was{tail}. Free some space and try again"
        )
    if kind == "directory not writable":
        return StoreError(
            f"{path}: directory not writable: {folder} (SQLite keeps its -wal and -shm "
            f"files beside the store){tail}. Make it writable, or pass --cache NEW_FILE "
            "in a folder you can write"
        )
    if kind == "file not writable":
        return StoreError(f"{path}: the store file is not writable{tail}. Make it writable, or pass --cache NEW_FILE")
    if kind == "busy":
        return StoreUnavailable(
            f"{path}: the store is busy: another briefing is writing to it ({exc})"
            f"{tail}. Try again when it has finished"
        )
    return StoreUnavailable(f"{path}: the store could not be used ({exc}){tail}")


def classify(path: Path, exc: sqlite3.Error) -> str:
    """In a few words, what a SQLite error met on the store at path means:
    'damaged', 'disk full', 'directory not writable', 'file not writable',
    'busy', or SQLite's own words."""
    code = primary_code(exc)
    folder = _folder(path)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return "damaged"
    if code == SQLITE_FULL or (code in (SQLITE_IOERR, SQLITE_CANTOPEN) and _low_on_space(folder)):
        return "disk full"
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_IOERR):
        if not os.access(folder, os.W_OK | os.X_OK):
            return "directory not writable"
        if path.exists() and not os.access(path, os.W_OK):
            return "file not writable"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return "busy"
    return str(exc)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def refuse_if_not_a_file(path: Path) -> bool:
    """Raise StoreError if path is there but is not a regular file (a
    directory, a device, a FIFO, a socket, or a symlink to one): SQLite would
    open it, fail, and leave a -journal beside it (in /dev for /dev/null),
    and reading a FIFO's header would wait for a writer forever. Returns
    whether the path is there at all (a dangling symlink is not)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot read store: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISDIR(mode):
        raise StoreError(f"{path}: is a directory, not a store file")
    kind = (
        "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a file"
    )
    raise StoreError(f"{path}: {kind}, not a store file; left untouched. Pass --cache NEW_FILE to use a store file")


def _low_on_space(folder: Path) -> bool:
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    # Root may use the blocks the file system reserves; others may not.
    blocks = found.f_bfree if os.geteuid() == 0 else found.f_bavail
    return blocks * found.f_frsize < LOW_SPACE_BYTES


def rollback_quietly(db: sqlite3.Connection) -> None:
    """Roll back after an error, keeping that error: SQLite has already
    rolled back on some (a full disk, an I/O error), and the ROLLBACK's own
    'no transaction is active' must not hide what went wrong."""
    if not db.in_transaction:
        return
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error:
        pass
