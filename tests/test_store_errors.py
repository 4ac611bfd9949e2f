"""Errors that tell the true story, imports that are all or nothing, two
prunes at once, and a config that stays its owner's, through the real CLI
in a subprocess and real SQLite files.

- A full disk is reported as a full disk, a folder that cannot be written as
  that, and neither as a damaged store; once space is freed the store works.
  A store path that is a device, a FIFO or a symlink to one is refused in one
  line before SQLite opens it, and nothing is created beside it.
- An import stores all of its articles or none, and says which: stopped by
  SIGINT or SIGTERM, or failing on a full disk, in the transaction or after it.
- Two `briefing prune` at once both finish.
- `opml import` refuses a read-only config, and keeps a config's owner, mode
  and hard links.

A full disk is a real small tmpfs and a read-only folder a real read-only
bind mount (root, as the tests run, writes through folder permissions);
both need mount privileges, and are skipped without them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path

import pytest

from briefing.model import ParsedArticle
from briefing.store.database import Store
from tests.helpers.cli import REPO
from tests.helpers.hostile import write_story_config

ARTICLE = "Ankara hosts Damascus\n\nSyria and Türkiye discuss a defense pact in Ankara.\n"


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def one_line_error(done: subprocess.CompletedProcess, *must_contain: str) -> str:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert lines[0].startswith("briefing: error: "), lines[0]
    for needle in must_contain:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def articles(count: int, prefix: str = "k", published=None, words: int = 40) -> list[ParsedArticle]:
    return [
        ParsedArticle(
            key=f"{prefix}{i}",
            title=f"Syria report {prefix}{i}",
            source="Outlet",
            link=f"https://example.invalid/{prefix}/{i}",
            published=published,
            text=f"Syria and Türkiye discuss a defense pact, item {i}. " * (words // 8),
        )
        for i in range(count)
    ]


def count_articles(path: Path) -> int:
    if not path.exists():
        return 0
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # a store never created: no table
        return 0
    finally:
        db.close()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of this size mounted on folder (skips the test without mount privileges)."""
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """folder, bind-mounted read-only onto itself: not writable even by root."""
    if not _mount("--bind", str(folder), str(folder)):
        pytest.skip("cannot bind-mount here (needs root with CAP_SYS_ADMIN)")
    try:
        if not _mount("-o", "remount,bind,ro", str(folder)):
            pytest.skip("cannot remount read-only here")
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill folder's file system, leaving about `leave` bytes free."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        chunk = b"\0" * 65536
        try:
            while True:
                free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
                if free <= leave:
                    break
                out.write(chunk[: max(4096, min(len(chunk), free - leave))])
                out.flush()
        except OSError:
            pass
    return filler


# -- 6. the true story: disk full, folder not writable, not a file --------------------------------------------


def test_a_full_disk_is_told_as_a_full_disk_and_the_store_works_once_space_is_freed(tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    (tmp_path / "article.txt").write_text(ARTICLE)
    with small_disk(tmp_path / "disk", "8m") as disk:
        store = disk / "store.db"
        with Store(store) as opened:
            opened.upsert_articles(articles(200))
        before = store.read_bytes()
        filler = fill(disk)
        for command in (["feeds"], ["export"], ["import", "article.txt"]):
            done = cli("--config", "feeds.toml", "--cache", str(store), *command, cwd=tmp_path)
            line = one_line_error(done, str(store), "disk full")
            assert "move it aside" not in line.lower() and "damaged" not in line, line
            assert done.returncode == 1, line
            assert store.read_bytes() == before
        filler.unlink()
        done = cli("--config", "feeds.toml", "--cache", str(store), "import", "article.txt", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert count_articles(store) == 201


def test_a_full_disk_during_an_import_stores_nothing_and_says_so(tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    (tmp_path / "many.json").write_text(
        json.dumps(
            [
                {"title": f"Syria report {i}", "text": "Syria and Türkiye discuss a defense pact. " * 20}
                for i in range(3000)
            ]
        )
    )
    with small_disk(tmp_path / "disk", "8m") as disk:
        store = disk / "store.db"
        with Store(store) as opened:
            opened.upsert_articles(articles(50))
        fill(disk, leave=256 * 1024)
        done = cli("--config", "feeds.toml", "--cache", str(store), "import", "many.json", cwd=tmp_path)
        line = one_line_error(done, str(store), "disk full", "nothing was imported")
        assert "move it aside" not in line.lower(), line
        assert done.stdout == ""
        assert count_articles(store) == 50


@pytest.mark.slow
def test_after_the_import_committed_a_full_disk_does_not_make_it_a_failure(tmp_path):
    """The articles are stored; analysing them for the briefing (here, 3,000
    stored by an earlier refresh and never analysed) runs out of space."""
    write_story_config(tmp_path / "feeds.toml", [])
    (tmp_path / "article.txt").write_text(ARTICLE)
    with small_disk(tmp_path / "disk", "16m") as disk:
        store = disk / "store.db"
        with Store(store) as opened:
            opened.upsert_articles(articles(3000, words=160))
        fill(disk, leave=160 * 1024)
        done = cli("--config", "feeds.toml", "--cache", str(store), "import", "article.txt", cwd=tmp_path)
        assert "Traceback" not in done.stderr, done.stderr[-2000:]
        assert done.stdout.startswith("imported 1 article from 1 file: 1 new"), (done.stdout, done.stderr)
        assert done.returncode == 0, done.stderr
        warning = done.stderr.strip()
        assert warning.startswith("briefing: warning: the articles are stored"), warning
        assert "disk full" in warning and len(warning.splitlines()) == 1, warning
        assert count_articles(store) == 3001


def test_a_folder_that_cannot_be_written_is_told_as_that(tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    (tmp_path / "article.txt").write_text(ARTICLE)
    folder = tmp_path / "ro"
    folder.mkdir()
    store = folder / "store.db"
    with Store(store) as opened:
        opened.upsert_articles(articles(20))
    before = sorted(p.name for p in folder.iterdir())
    with read_only_folder(folder):
        for command in (["feeds"], ["export"], ["import", "article.txt"]):
            done = cli("--config", "feeds.toml", "--cache", str(store), *command, cwd=tmp_path)
            line = one_line_error(done, str(store), "directory not writable", str(folder))
            assert "move it aside" not in line.lower() and "damaged" not in line, line
            assert done.returncode == 2
    assert sorted(p.name for p in folder.iterdir()) == before
    assert count_articles(store) == 20


@pytest.mark.parametrize("kind", ["symlink-to-dev-null", "symlink-to-fifo", "fifo", "symlink-to-folder"])
def test_a_store_path_that_is_not_a_file_is_refused_before_sqlite_opens_it(kind, tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    target = {
        "symlink-to-dev-null": Path("/dev/null"),
        "symlink-to-fifo": tmp_path / "pipe",
        "fifo": tmp_path / "store.db",
        "symlink-to-folder": tmp_path / "folder",
    }[kind]
    if kind in ("symlink-to-fifo", "fifo"):
        os.mkfifo(target)
    if kind == "symlink-to-folder":
        target.mkdir()
    store = tmp_path / "store.db"
    if kind != "fifo":
        store.symlink_to(target)
    journals = [Path(f"{target}{suffix}") for suffix in ("-journal", "-wal", "-shm")]
    assert not any(path.exists() for path in journals)
    before = sorted(p.name for p in tmp_path.iterdir())
    expected = {
        "symlink-to-dev-null": "a character device",
        "symlink-to-fifo": "a FIFO",
        "fifo": "a FIFO",
        "symlink-to-folder": "is a directory",
    }[kind]
    for command in (["feeds"], ["export"]):
        done = cli("--config", "feeds.toml", "--cache", str(store), *command, cwd=tmp_path, timeout=30)
        one_line_error(done, str(store), expected)
        assert done.returncode == 2
    assert not any(path.exists() for path in journals), [p for p in journals if p.exists()]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failed_rollback_does_not_hide_the_first_error(tmp_path):
    """SQLite has already rolled back (as it does on some I/O errors): the
    error that ends the transaction is the one reported."""
    with Store(tmp_path / "store.db") as store:
        with pytest.raises(ValueError, match="the first error"), store.transaction():
            store.db.execute("ROLLBACK")
            raise ValueError("the first error")
        store.upsert_articles(articles(1))  # and the next transaction begins
        assert store.count_articles() == 1


def test_a_disk_full_error_is_not_called_damage_when_opening(tmp_path):
    """SQLite's result code decides, not its words: SQLITE_FULL from a store
    with a page limit (the same code as a full disk) is a full disk."""
    from briefing.store.errors import StoreUnavailable, store_error

    path = tmp_path / "store.db"
    with Store(path) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 5}")
        with pytest.raises(sqlite3.OperationalError) as raised:
            store.upsert_articles(articles(500))
    error = store_error(path, raised.value)
    assert isinstance(error, StoreUnavailable) and error.status == 1
    assert str(error).startswith(f"{path}: disk full"), str(error)


# -- 7. an import is all or nothing, and says which --------------------------------------------------------------

IMPORT_COUNT = 20_000


@pytest.fixture(scope="module")
def big_import(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "many.json"
    path.write_text(
        json.dumps(
            [
                {
                    "title": f"Syria report {i}",
                    "source": "Outlet",
                    "link": f"https://example.invalid/{i}",
                    "text": f"Syria and Türkiye discuss a defense pact, day {i}.",
                }
                for i in range(IMPORT_COUNT)
            ]
        )
    )
    return path


def _start_import(tmp_path: Path, big_import: Path, store: Path) -> subprocess.Popen:
    write_story_config(tmp_path / "feeds.toml", [])
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "--config", "feeds.toml", "--cache", str(store), "import", str(big_import)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def _wait_for(condition, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never got there"
        time.sleep(0.01)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.slow
def test_a_signal_while_the_articles_are_written_stores_nothing_and_says_so(signum, tmp_path, big_import):
    store = tmp_path / "store.db"
    process = _start_import(tmp_path, big_import, store)
    wal = Path(f"{store}-wal")
    # Pages spill into the -wal file while the transaction writes them.
    _wait_for(lambda: wal.exists() and wal.stat().st_size > 512 * 1024, process)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, (process.returncode, err)
    assert "Traceback" not in err, err
    stored = count_articles(store)
    if out:  # the COMMIT had already happened: then all of it, and said so
        assert out.startswith(f"imported {IMPORT_COUNT} articles"), out
        assert stored == IMPORT_COUNT
        assert "import stopped after the articles were stored" in err, err
    else:
        assert err.strip() == "briefing: import stopped: nothing stored", err
        assert stored == 0


@pytest.mark.slow
def test_a_signal_after_the_articles_are_stored_says_they_are(tmp_path, big_import):
    store = tmp_path / "store.db"
    process = _start_import(tmp_path, big_import, store)
    first_line = process.stdout.readline()  # printed once the COMMIT is done
    assert first_line.startswith(f"imported {IMPORT_COUNT} articles from 1 file: {IMPORT_COUNT} new"), (
        first_line,
        process.communicate(),
    )
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode in (0, 128 + signal.SIGTERM), (process.returncode, err)
    assert "Traceback" not in err, err
    if process.returncode:  # still analysing when the signal came
        assert err.strip().startswith("briefing: import stopped after the articles were stored"), err
    assert count_articles(store) == IMPORT_COUNT


# -- 8. two prunes at once --------------------------------------------------------------------------------------------


def _old_and_new_store(path: Path, old: int, new: int) -> None:
    from datetime import datetime, timezone

    from briefing.config import load_config
    from briefing.workspace import analyse_pending

    with Store(path) as store:
        store.upsert_articles(articles(old, "old", published=datetime(2020, 1, 1, tzinfo=UTC)))
        store.upsert_articles(articles(new, "new", published=datetime.now(UTC)))
        analyse_pending(store, load_config(path.parent / "feeds.toml").story)


def test_a_prune_after_another_prunes_vacuum_deletes_without_error(tmp_path):
    from datetime import datetime, timezone

    write_story_config(tmp_path / "feeds.toml", [])
    path = tmp_path / "store.db"
    _old_and_new_store(path, 300, 10)
    with Store(path) as first, Store(path) as second:
        second.article_ids()  # the second has read the schema before the first's VACUUM
        cutoff = datetime(2024, 1, 1, tzinfo=UTC)
        assert first.prune(cutoff, set()) == 300
        assert second.prune(cutoff, set()) == 0
        assert second.count_articles() == 10


@pytest.mark.slow
def test_two_prunes_at_once_both_finish(tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    template = tmp_path / "template.db"
    _old_and_new_store(template, 800, 100)
    for round_number in range(4):
        store = tmp_path / f"store{round_number}.db"
        shutil.copyfile(template, store)
        command = [
            sys.executable,
            "-m",
            "briefing",
            "--config",
            "feeds.toml",
            "--cache",
            str(store),
            "prune",
            "--older-than",
            "30d",
        ]
        runs = [
            subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=tmp_path,
                env=dict(os.environ, PYTHONPATH=str(REPO)),
            )
            for _ in range(2)
        ]
        results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
        for out, err, code in results:
            assert code == 0 and err == "", (round_number, err)
            assert "no such table" not in out + err
        removed = [int(out.split()[1]) for out, _err, _code in results]
        # Between them, every old article that is not evidence is gone once.
        assert sum(removed) + count_articles(store) == 900, removed
        assert count_articles(store) >= 100


# -- 9. opml import keeps the config the user's ----------------------------------------------------------------------

OPML = (
    '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
    '<outline text="Wire" title="Wire" type="rss" xmlUrl="https://wire.example/feed.xml"/>'
    "</body></opml>"
)


def _config_and_opml(tmp_path: Path) -> Path:
    (tmp_path / "subs.opml").write_text(OPML)
    return write_story_config(tmp_path / "feeds.toml", [("Old", "https://old.example/rss")])


def _opml_import(tmp_path: Path, config: Path) -> subprocess.CompletedProcess:
    return cli(
        "--config", str(config), "--cache", str(tmp_path / "store.db"), "opml", "import", "subs.opml", cwd=tmp_path
    )


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o044])
def test_opml_import_refuses_a_read_only_config(mode, tmp_path):
    config = _config_and_opml(tmp_path)
    before = config.read_bytes()
    config.chmod(mode)
    names = sorted(p.name for p in tmp_path.iterdir())
    done = _opml_import(tmp_path, config)
    one_line_error(done, str(config), "read-only", "nothing was changed")
    assert done.returncode == 2
    assert config.read_bytes() == before
    assert stat.S_IMODE(config.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary file left


def test_opml_import_keeps_the_owner_and_mode_of_a_config_it_does_not_own(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    config = _config_and_opml(tmp_path)
    os.chown(config, 65534, 65534)
    config.chmod(0o640)
    done = _opml_import(tmp_path, config)
    assert done.returncode == 0, done.stderr
    assert b"https://wire.example/feed.xml" in config.read_bytes()
    after = config.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (65534, 65534, 0o640)


def test_opml_import_keeps_a_hard_link_to_the_config(tmp_path):
    config = _config_and_opml(tmp_path)
    link = tmp_path / "dotfiles-feeds.toml"
    os.link(config, link)
    inode = config.stat().st_ino
    done = _opml_import(tmp_path, config)
    assert done.returncode == 0, done.stderr
    assert config.stat().st_ino == inode and config.stat().st_nlink == 2
    assert link.read_bytes() == config.read_bytes()
    assert b"https://wire.example/feed.xml" in link.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_refuses_to_replace_a_read_only_file(tmp_path):
    write_story_config(tmp_path / "feeds.toml", [])
    out = tmp_path / "briefing.md"
    out.write_text("keep me\n")
    out.chmod(0o444)
    Store(tmp_path / "store.db").close()  # export reads a store, never makes one
    done = cli("--config", "feeds.toml", "--cache", str(tmp_path / "store.db"), "export", "-o", str(out), cwd=tmp_path)
    one_line_error(done, str(out), "read-only")
    assert done.returncode == 2
    assert out.read_text() == "keep me\n"
