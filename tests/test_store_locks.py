"""A store file this process has open is never opened outside SQLite:
closing any descriptor of a file drops every POSIX lock the process holds
on it, which would let another process write under our open connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.store.database import Store, StoreError


@pytest.fixture
def opened_outside_sqlite(monkeypatch) -> list[Path]:
    """Every path opened with Path.open from here on."""
    seen: list[Path] = []
    real_open = Path.open

    def recording_open(self, *args, **kwargs):
        seen.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", recording_open)
    return seen


def test_a_second_connection_does_not_read_the_file_while_one_is_open(tmp_path, opened_outside_sqlite) -> None:
    path = tmp_path / "store.db"
    with Store(path) as first:
        first.set_meta("x", "1")
        opened_outside_sqlite.clear()
        with Store(path) as second:
            assert second.get_meta("x") == "1"
        assert path not in opened_outside_sqlite


def test_once_every_connection_is_closed_the_header_is_checked_again(tmp_path, opened_outside_sqlite) -> None:
    path = tmp_path / "store.db"
    with Store(path):
        pass
    opened_outside_sqlite.clear()
    with Store(path):
        pass
    assert path in opened_outside_sqlite
    path.write_bytes(b"not a database at all, and longer than a header")
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(path)
