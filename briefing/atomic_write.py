"""Writing a file the user owns (the config, an export) so that a failure
never leaves half of it, and the file stays the user's: the same mode, the
same owner, the same hard links, and a read-only file is left alone."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write data to path (write_chunks_atomically, with one chunk)."""
    write_chunks_atomically(path, (data,))


def write_chunks_atomically(path: str | os.PathLike, chunks: Iterable[bytes]) -> None:
    """Write the chunks, one after another, to path through a temporary file in the same folder and
    os.replace, so readers see the old file or the new one, never half of
    one. A symlink is followed (the file it points to is replaced).

    The new file gets the old one's mode and owner (root may edit a file it
    does not own). A file without write permission (for its owner, or for
    us) is refused with PermissionError, whoever we are. A file with other
    hard links, or one whose owner a new file cannot be given, is written in
    place instead: replacing it would break the links or change the owner.
    In place, only the bytes that differ are written, and a failure puts the
    old ones back.

    The chunks are written as they come, so a long output is never held
    whole, except on the rare in-place path; if making them raises, the
    file is left as it was."""
    target = Path(path).resolve()
    try:
        old = target.stat()
    except FileNotFoundError:
        old = None
    if old is not None:
        if not stat.S_ISREG(old.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(target))
        if not old.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", str(target))
        if old.st_nlink > 1:
            _write_in_place(target, b"".join(chunks))
            return
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            for chunk in chunks:
                temp.write(chunk)
            temp.flush()
            os.fsync(temp.fileno())
            made = os.fstat(temp.fileno())
        if old is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        else:
            if (made.st_uid, made.st_gid) != (old.st_uid, old.st_gid):
                try:
                    os.chown(temp_name, old.st_uid, old.st_gid)
                except PermissionError:
                    data = Path(temp_name).read_bytes()  # the chunks are spent: read back what they made
                    os.unlink(temp_name)
                    _write_in_place(target, data)
                    return
            os.chmod(temp_name, stat.S_IMODE(old.st_mode))  # after chown, which clears set-id bits
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def _write_in_place(target: Path, data: bytes) -> None:
    fd = os.open(target, os.O_RDWR)
    try:
        with os.fdopen(os.dup(fd), "rb") as reader:
            before = reader.read()
        same = len(os.path.commonprefix([before, data]))
        try:
            _write_at(fd, same, data[same:])
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except BaseException:
            # The old bytes go back where they were: they fit in the space
            # the file already had, even on a full disk.
            _write_at(fd, same, before[same:])
            os.ftruncate(fd, len(before))
            raise
    finally:
        os.close(fd)


def _write_at(fd: int, offset: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written
