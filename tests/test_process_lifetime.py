"""No process of briefing outlives the command, or the dashboard, that
started it, and nothing is written to the store after it has gone.

The real `briefing refresh` runs as a subprocess against a loopback server
serving feeds large enough that their parsing takes seconds, and is ended
while its parser processes are parsing and storing:

- SIGTERM (what `timeout` and cron send): it stops at once, says what it
  stored, exits 143, no traceback; its parser processes are gone when it
  has gone, and the store does not change afterwards;
- SIGKILL (nothing can be said): its parser processes die with it, and the
  store does not change afterwards;
- Ctrl+C (SIGINT to the whole process group, as a terminal sends it), while
  one large body is being parsed: it stops within seconds, says what it
  stored, exits 130, no traceback.

And the dashboard, quit in the middle of a refresh, leaves no process
behind: not its refresh or briefing process, nor their parser processes.

Processes are found in /proc (Linux only) by their parent and command line.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.feedserver import Reply, item, rss, write_config
from tests.helpers.hostile import cli_env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

FEEDS = 10
ITEMS = 1500  # ~1 s of parsing a feed here: parsing is underway for seconds
WORKER = "briefing.refresh.parser_process"


# -- processes, from /proc ---------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text[text.rindex(")") + 2 :].split()[:2]
    return state, int(ppid)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def descendants(root: int) -> dict[int, str]:
    """Every live process below `root`: {pid: command line}."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[0] != "Z":
                parents[int(entry)] = stat[1]
    found: dict[int, str] = {}
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in found}
        for pid in frontier:
            found[pid] = _cmdline(pid)
    return found


def still_running(processes: dict[int, str]) -> dict[int, str]:
    """Those of `processes` that still run (not gone, not a zombie, and the
    pid not taken by another program since)."""
    left = {}
    for pid, cmdline in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[0] != "Z" and _cmdline(pid) == cmdline:
            left[pid] = cmdline
    return left


def wait_until_gone(processes: dict[int, str], seconds: float) -> dict[int, str]:
    deadline = time.monotonic() + seconds
    while (left := still_running(processes)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def store_bytes(store: Path) -> str:
    """A digest of the store's files, read without opening it with SQLite
    (a connection closing could checkpoint the write-ahead log)."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = store.with_name(store.name + suffix)
        digest.update(path.read_bytes() if path.exists() else b"<none>")
    return digest.hexdigest()


# -- the refresh under test --------------------------------------------------------------


def big_feed(index: int, items: int) -> bytes:
    return rss(
        *(
            item(
                f"b{index}-{n}",
                f"Syria report {index}.{n}",
                f"http://example.invalid/{index}/{n}",
                "Syria and Türkiye discuss a defense pact.",
            )
            for n in range(items)
        ),
        title=f"Big {index}",
    )


def serve_big_feeds(feed_server, tmp_path: Path, count: int, items: int) -> tuple[Path, Path]:
    for index in range(count):
        feed_server.route(f"/big{index}.xml", Reply(body=big_feed(index, items)))
    config = write_config(
        tmp_path / "feeds.toml",
        [(f"Big {i}", feed_server.url(f"/big{i}.xml")) for i in range(count)],
        {"timeout": 30, "max_bytes": 50_000_000, "max_per_host": 16},
    )
    return config, tmp_path / "store.db"


class Refresh:
    """`briefing refresh` in a session of its own, its stdout read line by line."""

    def __init__(self, config: Path, store: Path, workdir: Path, env: dict | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--config", str(config), "--cache", str(store), "refresh"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=cli_env(env),
            cwd=workdir,
            start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.out: list[str] = []
        self.err = b""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.decode("utf-8", "replace").rstrip("\n"))
        self.lines.put(None)

    def wait_for_line(self, pattern: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in {seconds} s: {self.out}") from None
            if line is None:
                raise AssertionError(f"the refresh ended before a line matching {pattern!r}: {self.out}")
            self.out.append(line)
            if re.search(pattern, line):
                return line

    def workers(self, at_least: int = 1, seconds: float = 30) -> dict[int, str]:
        """The parser processes, once `at_least` of them run."""
        deadline = time.monotonic() + seconds
        while True:
            found = {pid: cmd for pid, cmd in descendants(self.process.pid).items() if WORKER in cmd}
            if len(found) >= at_least or time.monotonic() > deadline:
                assert len(found) >= at_least, descendants(self.process.pid)
                return found
            time.sleep(0.02)

    def wait(self, seconds: float) -> int:
        self.process.wait(seconds)
        deadline = time.monotonic() + 5
        while (line := self.lines.get(timeout=max(0.01, deadline - time.monotonic()))) is not None:
            self.out.append(line)
        self.err = self.process.stderr.read()
        return self.process.returncode

    def clean_up(self) -> None:
        """Whatever is left of its session (orphans keep the group), killed."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


def stored(store: Path) -> tuple[int, int]:
    """(feeds stored as updated, articles) read with sqlite3 alone."""
    with sqlite3.connect(store) as db:
        feeds = db.execute("SELECT count(*) FROM feeds WHERE last_status = 'updated'").fetchone()[0]
        return feeds, db.execute("SELECT count(*) FROM articles").fetchone()[0]


def check_stopped_line(refresh: Refresh, store: Path, total: int) -> None:
    match = re.fullmatch(rf"stopped: (\d+) of {total} feeds stored, (\d+) new articles?", refresh.out[-1])
    assert match, refresh.out
    assert (int(match[1]), int(match[2])) == stored(store)


# -- the tests ----------------------------------------------------------------------------


@pytest.mark.slow
def test_sigterm_stops_the_refresh_and_its_parser_processes(feed_server, tmp_path):
    config, store = serve_big_feeds(feed_server, tmp_path, FEEDS, ITEMS)
    refresh = Refresh(config, store, tmp_path)
    try:
        refresh.wait_for_line(rf"^\[1/{FEEDS}\] Big \d+: updated")
        workers = refresh.workers(at_least=2)
        refresh.process.send_signal(signal.SIGTERM)
        code = refresh.wait(10)
        left = wait_until_gone(workers, 0.5)
        assert left == {}, f"parser processes outlived the refresh: {left}"
        before = store_bytes(store)
        time.sleep(2)
        assert store_bytes(store) == before, "the store changed after the refresh had ended"
        assert code == 128 + signal.SIGTERM, (code, refresh.out, refresh.err)
        assert refresh.err == b"", refresh.err.decode()  # no traceback, no warning
        check_stopped_line(refresh, store, FEEDS)
        feeds, articles = stored(store)
        assert 1 <= feeds < FEEDS and articles == feeds * ITEMS
    finally:
        refresh.clean_up()


@pytest.mark.slow
def test_sigkill_of_the_refresh_takes_its_parser_processes_with_it(feed_server, tmp_path):
    config, store = serve_big_feeds(feed_server, tmp_path, FEEDS, ITEMS)
    refresh = Refresh(config, store, tmp_path)
    try:
        refresh.wait_for_line(rf"^\[1/{FEEDS}\] Big \d+: updated")
        workers = refresh.workers(at_least=2)
        refresh.process.kill()  # the refresh alone, not its group
        refresh.process.wait(5)
        at_death = store_bytes(store)
        left = wait_until_gone(workers, 2)
        assert left == {}, f"parser processes outlived the refresh: {left}"
        time.sleep(1.5)
        assert store_bytes(store) == at_death, "the store changed after the refresh was killed"
        feeds, articles = stored(store)
        assert feeds < FEEDS and articles == feeds * ITEMS
    finally:
        refresh.clean_up()


@pytest.mark.slow
def test_ctrl_c_while_a_large_body_is_parsed_stops_within_seconds(feed_server, tmp_path):
    # One feed of 20,000 items: ~15 s of parsing here. A refresh with so few
    # bodies used to parse on a thread, which Ctrl+C had to wait for.
    feed_server.route("/small.xml", Reply(body=big_feed(99, 3)))
    feed_server.route("/huge.xml", Reply(body=big_feed(0, 20_000), delay=0.3))
    config = write_config(
        tmp_path / "feeds.toml",
        [("Small", feed_server.url("/small.xml")), ("Huge", feed_server.url("/huge.xml"))],
        {"timeout": 30, "max_bytes": 50_000_000},
    )
    store = tmp_path / "store.db"
    refresh = Refresh(config, store, tmp_path)
    try:
        refresh.wait_for_line(r"^\[1/2\] Small: updated: 3 new")
        while not feed_server.hits("/huge.xml"):
            time.sleep(0.02)
        time.sleep(1.0)  # its body is in, and being parsed
        children = descendants(refresh.process.pid)
        os.killpg(refresh.process.pid, signal.SIGINT)  # as a terminal sends Ctrl+C
        began = time.monotonic()
        try:
            code = refresh.wait(20)
        except subprocess.TimeoutExpired:
            code = None
        took = time.monotonic() - began
        assert took < 3, f"Ctrl+C took {took:.1f} s to stop the refresh"
        assert code == 128 + signal.SIGINT, (code, refresh.out, refresh.err)
        assert refresh.err == b"", refresh.err.decode()  # no traceback, no warning
        check_stopped_line(refresh, store, 2)
        assert stored(store) == (1, 3)
        assert still_running(children) == {}
    finally:
        refresh.clean_up()


@pytest.mark.slow
async def test_quitting_the_dashboard_mid_refresh_leaves_no_process_behind(feed_server, tmp_path, monkeypatch):
    from briefing.config import load_config
    from briefing.tui.app import BriefingApp
    from briefing.workers.dashboard_workspace import DashboardWorkspace

    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    config_path, store = serve_big_feeds(feed_server, tmp_path, FEEDS, ITEMS)
    app = BriefingApp(DashboardWorkspace(load_config(config_path), store), open_url=lambda url: None)
    ours = os.getpid()
    before = set(descendants(ours))
    async with app.run_test(size=(100, 32)) as pilot:
        while app.briefing is None:
            await pilot.pause(0.05)
        await pilot.press("r")
        # Parsing is underway: a parser process has stored a feed.
        status = app.query_one("#refresh-bar")
        deadline = time.monotonic() + 60
        while not re.match(r"Refreshing [1-9]\d*/", str(status.render())):
            assert time.monotonic() < deadline, str(status.render())
            await pilot.pause(0.05)
        children = {pid: cmd for pid, cmd in descendants(ours).items() if pid not in before}
        assert any(WORKER in cmd for cmd in children.values()), children
        assert any("briefing.workers.refresh_worker" in cmd for cmd in children.values()), children
        assert any("briefing.workers.briefing_worker" in cmd for cmd in children.values()), children
        await pilot.press("q")
    at_quit = store_bytes(store)
    left = wait_until_gone(children, 2)
    assert left == {}, f"processes outlived the dashboard: {left}"
    time.sleep(1.5)
    assert store_bytes(store) == at_quit, "the store changed after the dashboard had gone"


# The dashboard's side, as the dashboard does it: a refresh process started
# from a worker thread, its events read there.
_DASHBOARD_STAND_IN = """
import sys, threading
from pathlib import Path
from briefing.config import load_config
from briefing.workers.refresh_worker import FeedDone, RefreshProcess

def refresh():
    for event in RefreshProcess(load_config(Path(sys.argv[1])), Path(sys.argv[2])).events():
        if isinstance(event, FeedDone):
            print("feed done", flush=True)

worker = threading.Thread(target=refresh)
worker.start()
worker.join()
"""


@pytest.mark.slow
def test_a_dashboard_killed_mid_refresh_takes_its_refresh_process_with_it(feed_server, tmp_path):
    config, store = serve_big_feeds(feed_server, tmp_path, FEEDS, ITEMS)
    program = subprocess.Popen(
        [sys.executable, "-c", _DASHBOARD_STAND_IN, str(config), str(store)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=cli_env(),
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        assert program.stdout.readline() == b"feed done\n"
        children = descendants(program.pid)
        assert any("briefing.workers.refresh_worker" in cmd for cmd in children.values()), children
        assert any(WORKER in cmd for cmd in children.values()), children
        program.kill()
        program.wait(5)
        at_death = store_bytes(store)
        left = wait_until_gone(children, 2)
        assert left == {}, f"processes outlived the dashboard: {left}"
        time.sleep(1.5)
        assert store_bytes(store) == at_death, "the store changed after the dashboard was killed"
    finally:
        try:
            os.killpg(program.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        program.wait()
        program.stdout.close()


@pytest.mark.slow
def test_a_child_started_from_a_thread_outlives_the_thread(tmp_path):
    # The kernel would end a child with the thread that started it: the
    # dashboard's briefing process, started from a worker thread, must live
    # on after that thread ends.
    from briefing.config import load_config
    from briefing.workers.briefing_worker import BriefingProcess
    from tests.helpers.cli import REPO

    started: list = []

    def start() -> None:
        child = BriefingProcess(load_config(REPO / "feeds.toml"), tmp_path / "store.db")
        started.append(child)
        # An answer proves the child is past asking to die with its parent
        # (its first step) before this thread ends.
        child.load(None)

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    child = started[0]
    try:
        time.sleep(0.3)
        assert child.process.poll() is None, child.process.returncode
        assert child.load(None) is not None
    finally:
        child.stop()


def test_children_end_when_their_input_ends(tmp_path):
    # Besides dying with their parent, the children end on their own when
    # the pipe their parent writes to closes.
    import asyncio

    from briefing.processes import frames, spawn
    from briefing.refresh.parser_pool import _ParserProcess

    async def parser_process() -> int:
        worker = await _ParserProcess.start()
        worker.process.stdin.close()
        return await asyncio.wait_for(worker.process.wait(), 5)

    assert asyncio.run(parser_process()) == 0

    process, errors = spawn.start("briefing.workers.briefing_worker:_child_main")
    try:
        from briefing.config import load_config
        from tests.helpers.cli import REPO

        frames.send(process.stdin, ("start", load_config(REPO / "feeds.toml"), tmp_path / "store.db"))
        process.stdin.close()
        assert process.wait(5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        errors.close()
