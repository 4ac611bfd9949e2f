"""Benchmark: the dashboard at scale.

    uv run python benchmarks/dashboard.py [--repeat 7] [--only startup,memory,search,size,keys]

Stores: 100,000 and 10,000 articles from 200 feeds, made through the real
ingest path by benchmarks/make_store.py and cached under benchmarks/results/
(the first run generates them and says how long that took).

startup   `python -m briefing --config feeds.toml --cache STORE` and
          benchmarks/bare_app.py, each launched under a pseudo-terminal
          (pty.fork, 120x40, TERM=xterm-256color) and timed from just before
          the fork to the first output holding the marker, escape sequences
          stripped: for the bare app the label BARE-APP-READY in a panel, for
          briefing the feed pane's subtitle "... articles · N unread", which
          is only written once a briefing from the store is on the screen
          (the summary, actors and questions are filled in the same
          handler, so in the same frame). Interpreter start and every import
          are included. First a launch with no snapshot in the store (the
          very first session: the whole briefing is computed before the
          first paint), which leaves the snapshot a user's store has after
          any session; then --repeat rounds of each, interleaved: medians,
          and the median of each round's ratio to that round's bare app.
          Diagnostic: the same through benchmarks/dashboard_nocheck.py,
          without the pre-screen PRAGMA quick_check.
memory    one more launch on the 100k store, left running until the full
          briefing has been computed and saved in the background (the
          store file was written after the first paint and the process has
          been idle for 0.5 s): the peak of the summed RSS of the dashboard
          and the processes it started (its briefing process), sampled
          every ~20 ms from /proc, and each one's VmHWM. Same for
          the bare app.
search    Workspace.search(q) (opens its own connection, as the search
          screen does) and Store.search(q) on an open one, for common, very
          common, rare, two-word and prefix queries: median and p95 of 15.
size      the 100k store file after a WAL checkpoint against the raw text it
          holds (UTF-8 bytes of titles and texts); then, on a copy,
          `briefing prune --older-than 90d`: sizes before and after.
keys      in-process (App.run_test, headless, 120x40) on a copy of the 100k
          store with a config listing the 200 feeds of the loopback farm
          (/work/shared/tools/feedfarm.py --feeds 200 --items 50 --latency
          0.2; max_per_host = 64): j/k/1-4 pressed every 30-80 ms, each timed
          from the key event entering the app to the state change (cursor
          moved, focus moved) and to the first screen update the compositor
          hands to the driver that shows it; idle first, then during the
          refresh started with `r`, then while the refreshed articles are
          merged in (at most --max-merge-seconds).

Prints a table with targets and writes benchmarks/results/dashboard-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from make_store import CONFIG, RESULTS, ensure_store  # noqa: E402

COLS, ROWS = 120, 40
BARE_MARKER = re.compile(r"BARE-APP-READY")
BRIEFING_MARKER = re.compile(r"articles · \d+ unread")
ANSI = re.compile(
    r"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPZc]"
)
TARGETS = {
    "startup_100k": 1.25,
    "startup_10k": 1.1,
    "rss_mb": 150,
    "search_ms": 50,
    "keys_p95_ms": 50,
    "size_ratio": 2.5,
}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- launching under a pseudo-terminal ------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_ns(pid: int) -> int:
    """CPU time so far of every thread of the process, in ns (the kernel's
    scheduler accounting, not clock ticks): less moved by what else the
    machine runs than the wall time is."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total


def _descendants(pid: int) -> list[int]:
    """The processes started by pid and by those, from /proc (the dashboard's
    briefing process, and its refresh process while one runs)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _snapshot_time(store: Path) -> float:
    """When the store's saved briefing was generated (epoch seconds), or 0."""
    import zlib
    from datetime import datetime

    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5)
        try:
            row = db.execute("SELECT data FROM snapshots").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return 0.0
    if row is None:
        return 0.0
    found = re.search(rb'"generated_at":"([^"]+)"', zlib.decompress(row[0]))
    return datetime.fromisoformat(found.group(1).decode()).timestamp() if found else 0.0


def launch_env() -> dict[str, str]:
    """The environment a measured launch runs in: a colour terminal, no
    Textual settings, no size from the caller's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    # As installed for a user: byte code is cached after the first run (this
    # sandbox sets PYTHONDONTWRITEBYTECODE, which would make every launch
    # compile whatever has no .pyc yet).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def launch(
    argv: list[str],
    marker: re.Pattern,
    *,
    settle_store: Path | None = None,
    settle_bare: bool = False,
    timeout: float = 180.0,
) -> dict:
    """Run argv under a pty until `marker` is written; return seconds to it.
    With settle_store (or settle_bare), keep it running until its background
    work is done and report its peak RSS too."""
    env = launch_env()
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    raw = bytearray()
    seen_at = None
    result: dict = {}
    wall_started = time.time()
    cpu_samples: list[tuple[float, float]] = []
    saved = settle_bare
    next_check = 0.0
    tree_peak_kb = 0
    try:
        while True:
            now = time.perf_counter()
            if settle_store is not None or settle_bare:
                # The whole program's resident memory: the dashboard and the
                # processes it started, summed, sampled every ~20 ms.
                try:
                    tree_peak_kb = max(tree_peak_kb, sum(_status_kb(p, "VmRSS") for p in [pid, *_descendants(pid)]))
                except (OSError, ValueError):
                    pass  # a process ended between the listing and the reading
            if now - started > timeout:
                raise TimeoutError(
                    f"{argv[-1]}: {'no marker' if seen_at is None else 'not settled'} after "
                    f"{timeout:.0f} s; output tail: "
                    f"{ANSI.sub('', raw[-400:].decode('utf-8', 'replace'))!r}"
                )
            ready, _, _ = select.select([fd], [], [], 0.02)
            if ready:
                try:
                    chunk = os.read(fd, 1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise RuntimeError(
                        f"{argv}: exited before the marker: {ANSI.sub('', raw[-600:].decode('utf-8', 'replace'))!r}"
                    )
                raw += chunk
                if seen_at is None and marker.search(ANSI.sub("", raw.decode("utf-8", "replace"))):
                    seen_at = time.perf_counter() - started
                    result["seconds"] = seen_at
                    result["cpu_seconds"] = _run_ns(pid) / 1e9
                    if settle_store is None and not settle_bare:
                        break
            if seen_at is not None:
                # Waiting for the background work to finish: a briefing computed
                # in this session saved in the store, then 0.5 s with no CPU.
                cpu_samples.append((time.perf_counter(), _cpu_seconds(pid)))
                cpu_samples = [s for s in cpu_samples if s[0] >= cpu_samples[-1][0] - 0.5]
                if not saved and time.perf_counter() >= next_check:
                    saved = _snapshot_time(settle_store) >= int(wall_started)
                    next_check = time.perf_counter() + 0.25
                span = cpu_samples[-1][0] - cpu_samples[0][0]
                busy = cpu_samples[-1][1] - cpu_samples[0][1]
                if saved and span >= 0.45 and busy < 0.03:
                    result["settled_seconds"] = time.perf_counter() - started
                    result["vm_hwm_mb"] = _status_kb(pid, "VmHWM") / 1024
                    result["tree_peak_mb"] = tree_peak_kb / 1024
                    # Each process's own peak, summed: a bound the sampled
                    # peak of the sum cannot exceed.
                    result["tree_hwm_sum_mb"] = (
                        result["vm_hwm_mb"] + sum(_status_kb(child, "VmHWM") for child in _descendants(pid)) / 1024
                    )
                    result["vm_rss_mb"] = _status_kb(pid, "VmRSS") / 1024
                    break
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return result


def briefing_argv(store: Path, check: bool = True) -> list[str]:
    if not check:  # diagnostic: the same, without the pre-screen PRAGMA quick_check
        return [
            sys.executable,
            str(REPO / "benchmarks" / "dashboard_nocheck.py"),
            "--config",
            str(CONFIG),
            "--cache",
            str(store),
        ]
    return [sys.executable, "-m", "briefing", "--config", str(CONFIG), "--cache", str(store)]


def quick_check_ms(store: Path, reps: int = 3) -> float:
    """What Store.check costs on this store, in this process (page cache warm)."""
    from briefing.store.database import Store

    times = []
    for _ in range(reps):
        with Store(store) as opened:
            started = time.perf_counter()
            opened.check()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


BARE_ARGV = [sys.executable, str(REPO / "benchmarks" / "bare_app.py")]


def drop_snapshot(store: Path) -> None:
    db = sqlite3.connect(store)
    db.execute("DELETE FROM snapshots")
    db.commit()
    db.close()


def bench_startup(stores: dict[str, Path], repeat: int) -> dict:
    out: dict = {}
    # Compile byte code and warm the page cache: not measured.
    launch(BARE_ARGV, BARE_MARKER)
    for label, store in stores.items():
        drop_snapshot(store)
        first = launch(briefing_argv(store), BRIEFING_MARKER, settle_store=store)
        out[f"first_{label}"] = first["seconds"]
        print(
            f"  first launch, {label} (no snapshot): {first['seconds'] * 1000:.0f} ms to the first painted briefing",
            file=sys.stderr,
        )
    for label in stores:  # the diagnostic launcher's byte code, too
        launch(briefing_argv(stores[label], check=False), BRIEFING_MARKER)
    runs: dict[str, list[float]] = {
        "bare": [],
        **{label: [] for label in stores},
        **{f"{label} no check": [] for label in stores},
    }
    cpu: dict[str, list[float]] = {what: [] for what in runs}  # CPU time to the marker, every thread
    order = list(runs)
    for i in range(repeat):
        for what in order[i % len(order) :] + order[: i % len(order)]:  # rotate, so no one is always first
            if what == "bare":
                launched = launch(BARE_ARGV, BARE_MARKER)
            else:
                label = what.split()[0]
                argv = briefing_argv(stores[label], check=not what.endswith("no check"))
                launched = launch(argv, BRIEFING_MARKER)
            runs[what].append(launched["seconds"])
            cpu[what].append(launched["cpu_seconds"])
        print(
            f"  round {i + 1}/{repeat}: " + ", ".join(f"{k} {v[-1] * 1000:.0f} ms" for k, v in runs.items()),
            file=sys.stderr,
        )
    out["runs"] = runs
    out["median"] = {k: statistics.median(v) for k, v in runs.items()}
    # Each round's launches run seconds apart: the ratio within a round
    # cancels most of the drift in what else the machine is doing.
    out["ratio"] = {k: statistics.median(t / b for t, b in zip(v, runs["bare"], strict=False)) for k, v in runs.items()}
    out["cpu_ratio"] = {
        k: statistics.median(t / b for t, b in zip(v, cpu["bare"], strict=False)) for k, v in cpu.items()
    }
    out["quick_check_ms"] = {label: quick_check_ms(store) for label, store in stores.items()}
    print(
        "  the pre-screen PRAGMA quick_check alone: "
        + ", ".join(f"{label} {ms:.0f} ms" for label, ms in out["quick_check_ms"].items()),
        file=sys.stderr,
    )
    return out


def bench_memory(store: Path) -> dict:
    dash = launch(briefing_argv(store), BRIEFING_MARKER, settle_store=store)
    bare = launch(BARE_ARGV, BARE_MARKER, settle_bare=True)
    print(
        f"  peak RSS: briefing {dash['tree_peak_mb']:.0f} MB with its briefing process (sampled; "
        f"each process's own peak summed: {dash['tree_hwm_sum_mb']:.0f} MB; the screen's process "
        f"{dash['vm_hwm_mb']:.0f} MB); full briefing done "
        f"{dash['settled_seconds']:.1f} s after launch; bare {bare['vm_hwm_mb']:.0f} MB",
        file=sys.stderr,
    )
    return {"briefing": dash, "bare": bare}


# --- search -----------------------------------------------------------------------


def search_queries(store: Path) -> dict[str, str]:
    """Realistic queries, the rare one picked from the store's own words."""
    db = sqlite3.connect(store)
    try:
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab USING fts5vocab(main, articles_fts, row)")
        rare = db.execute(
            "SELECT term FROM temp.fts_vocab WHERE doc BETWEEN 2 AND 20 AND length(term) > 6"
            " ORDER BY doc DESC, term LIMIT 1"
        ).fetchone()[0]
    finally:
        db.close()
    return {
        "common (Syria)": "Syria",
        "very common (said)": "said",
        f"rare ({rare})": rare,
        "two words (air base)": "air base",
        "two words (Erdogan Sharaa)": "Erdogan Sharaa",
        "prefix (Kurd*)": "Kurd*",
        "name prefix (Tart*)": "Tart*",
    }


def bench_search(store: Path, config, reps: int = 15) -> dict:
    from briefing.store.database import Store, fts_query
    from briefing.workspace import Workspace

    workspace = Workspace(config, store)
    out = {}
    with Store(store) as open_store:
        for label, query in search_queries(store).items():
            matches = open_store.db.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (fts_query(query),)
            ).fetchone()[0]
            for _ in range(2):  # warm
                workspace.search(query)
            ws, st = [], []
            for _ in range(reps):
                t = time.perf_counter()
                hits = workspace.search(query)
                ws.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                open_store.search(query, 100)
                st.append((time.perf_counter() - t) * 1000)
            out[label] = {
                "query": query,
                "matches": matches,
                "hits": len(hits),
                "first": hits[0].title if hits else None,
                "workspace_ms": {"median": statistics.median(ws), "p95": pct(ws, 0.95)},
                "store_ms": {"median": statistics.median(st), "p95": pct(st, 0.95)},
            }
            print(
                f"  {label:32} {matches:6} matches  Workspace.search median "
                f"{statistics.median(ws):6.1f} ms p95 {pct(ws, 0.95):6.1f}  Store.search median "
                f"{statistics.median(st):6.1f} ms",
                file=sys.stderr,
            )
    return out


# --- size and prune ------------------------------------------------------------------


def bench_size(store: Path) -> dict:
    db = sqlite3.connect(store)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = db.execute("SELECT sum(length(CAST(title AS BLOB)) + length(CAST(text AS BLOB))) FROM articles").fetchone()[0]
    try:
        parts = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    except sqlite3.Error:
        parts = {}
    db.close()
    size = store.stat().st_size
    with tempfile.TemporaryDirectory(dir=RESULTS) as tmp:
        copy = Path(tmp) / "prune.db"
        shutil.copyfile(store, copy)
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefing",
                "--config",
                str(CONFIG),
                "--cache",
                str(copy),
                "prune",
                "--older-than",
                "90d",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        prune_seconds = time.perf_counter() - started
        db = sqlite3.connect(copy)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        left, left_raw = db.execute(
            "SELECT count(*), sum(length(CAST(title AS BLOB)) + length(CAST(text AS BLOB))) FROM articles"
        ).fetchone()
        db.close()
        after = copy.stat().st_size
    out = {
        "file_bytes": size,
        "raw_text_bytes": raw,
        "ratio": size / raw,
        "parts": parts,
        "prune": {
            "exit": done.returncode,
            "output": (done.stdout + done.stderr).strip()[-300:],
            "seconds": prune_seconds,
            "after_bytes": after,
            "articles_left": left,
            "raw_left": left_raw,
            "ratio_after": after / left_raw if left_raw else None,
        },
    }
    print(
        f"  store {size / 1e6:.0f} MB for {raw / 1e6:.0f} MB of text ({size / raw:.2f}x); after prune "
        f"--older-than 90d ({prune_seconds:.0f} s): {after / 1e6:.0f} MB, {left:,} articles",
        file=sys.stderr,
    )
    return out


# --- key presses during a refresh -----------------------------------------------------------


def _farm_script() -> Path:
    env = os.environ.get("BRIEFING_FEEDFARM")
    return Path(env) if env else REPO.parent / "shared" / "tools" / "feedfarm.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def farm_config(port: int, feeds: int, folder: Path) -> Path:
    story = CONFIG.read_text(encoding="utf-8").split("\n[[feeds]]", 1)[0]
    lines = [story, "", "[settings]", "max_per_host = 64", ""]
    for i in range(feeds):
        lines += ["[[feeds]]", f'name = "Farm {i}"', f'url = "http://127.0.0.1:{port}/feed/{i}.xml"', ""]
    path = folder / "farm.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


async def _measure_keys(store: Path, config_path: Path, idle_presses: int, max_update_seconds: float) -> dict:
    from textual import events

    from briefing.config import load_config
    from briefing.tui.app import BriefingApp
    from briefing.workers.dashboard_workspace import DashboardWorkspace

    app = BriefingApp(DashboardWorkspace(load_config(config_path), store))
    paints: list[tuple[float, tuple]] = []  # when a screen update went to the driver, and the state it shows
    display = app._display

    def counting_display(screen, renderable):
        if renderable is not None:
            paints.append((time.perf_counter(), state()))
        return display(screen, renderable)

    app._display = counting_display
    rng = random.Random(6)
    samples: dict[str, list[dict]] = {"idle": [], "refreshing": [], "merging": []}

    def state():
        widget = app.focused
        pos = getattr(widget, "highlighted", None)
        if pos is None:
            pos = getattr(widget, "cursor_row", None)
        return (id(widget), pos)

    def load_running() -> bool:
        return any(w.group == "load" and not w.is_finished for w in app.workers)

    plan = ["4", "j", "j", "j", "k", "k", "1", "j", "k", "2", "j", "k", "3", "j", "k"]

    targets = {"1": "summary", "2": "actors", "3": "questions", "4": "feed"}

    def answerable(key: str) -> str:
        """The key, or one that has a visible answer here: focus moves only to
        another panel, and the cursor cannot go past either end of a list."""
        widget = app.focused
        if key in targets and widget is not None and widget.id == targets[key]:
            return "j"
        size = getattr(widget, "option_count", None) or getattr(widget, "row_count", 0)
        pos = state()[1] or 0
        if key == "k" and pos == 0:
            return "j"
        if key == "j" and size and pos >= size - 1:
            return "k"
        return key

    async def press(key: str, phase: str) -> None:
        key = answerable(key)
        before = state()
        painted = len(paints)
        started = time.perf_counter()
        app._driver.send_message(events.Key(key, key))
        changed = None
        paint = None
        while time.perf_counter() - started < 2.0:
            if changed is None and state() != before:
                changed = time.perf_counter()
            # The first update after the key that shows the new state.
            paint = next((t for t, shown in paints[painted:] if shown != before), None)
            if paint is not None:
                changed = min(changed or paint, paint)
                break
            await asyncio.sleep(0.001)
        samples[phase].append(
            {
                "key": key,
                "state_ms": ((changed or time.perf_counter()) - started) * 1000,
                "paint_ms": ((paint or time.perf_counter()) - started) * 1000,
                "answered": changed is not None,
            }
        )

    async with app.run_test(size=(COLS, ROWS)) as pilot:
        t0 = time.perf_counter()
        while app.briefing is None or load_running():
            await asyncio.sleep(0.05)
        loaded = time.perf_counter() - t0
        await pilot.pause(0.3)
        i = 0
        for _ in range(idle_presses):
            await press(plan[i % len(plan)], "idle")
            i += 1
            await asyncio.sleep(rng.uniform(0.03, 0.08))
        await pilot.press("4")
        refresh_started = time.perf_counter()
        app.post_message(events.Key("r", "r"))
        while not app.refreshing:
            await asyncio.sleep(0.001)
        while app.refreshing:
            await press(plan[i % len(plan)], "refreshing")
            i += 1
            await asyncio.sleep(rng.uniform(0.03, 0.08))
        refresh_seconds = time.perf_counter() - refresh_started
        merge_started = time.perf_counter()
        while load_running() or time.perf_counter() - merge_started < 0.2:
            if time.perf_counter() - merge_started > max_update_seconds:
                break
            await press(plan[i % len(plan)], "merging")
            i += 1
            await asyncio.sleep(rng.uniform(0.03, 0.08))
        merge_seconds = time.perf_counter() - merge_started
        merge_finished = not load_running()
        articles = len(app.briefing.articles) if app.briefing else 0
        subtitle = str(app.sub_title)
    return {
        "initial_load_seconds": loaded,
        "refresh_seconds": refresh_seconds,
        "merge_seconds": merge_seconds,
        "merge_finished": merge_finished,
        "sub_title": subtitle,
        "articles_shown": articles,
        "phases": {phase: _key_stats(s) for phase, s in samples.items()},
        "samples": samples,
    }


def _key_stats(samples: list[dict]) -> dict:
    if not samples:
        return {"n": 0}
    state = [s["state_ms"] for s in samples]
    paint = [s["paint_ms"] for s in samples]
    return {
        "n": len(samples),
        "unanswered": sum(1 for s in samples if not s["answered"]),
        "state_p50": statistics.median(state),
        "state_p95": pct(state, 0.95),
        "paint_p50": statistics.median(paint),
        "paint_p95": pct(paint, 0.95),
        "paint_max": max(paint),
    }


def bench_keys(
    store: Path, feeds: int = 200, items: int = 50, latency: float = 0.2, max_update_seconds: float = 90.0
) -> dict:
    script = _farm_script()
    with tempfile.TemporaryDirectory(dir=RESULTS) as tmp:
        folder = Path(tmp)
        copy = folder / "keys.db"
        shutil.copyfile(store, copy)
        port = _free_port()
        farm = subprocess.Popen(
            [
                sys.executable,
                str(script),
                "--feeds",
                str(feeds),
                "--items",
                str(items),
                "--latency",
                str(latency),
                "--port",
                str(port),
                "--lifetime",
                "900",
            ]
        )
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            result = asyncio.run(_measure_keys(copy, farm_config(port, feeds, folder), 45, max_update_seconds))
        finally:
            farm.terminate()
            farm.wait()
    for phase, st in result["phases"].items():
        if st["n"]:
            print(
                f"  keys {phase:10} n={st['n']:3}  to state p50 {st['state_p50']:5.1f} p95 {st['state_p95']:6.1f}"
                f"  to paint p50 {st['paint_p50']:5.1f} p95 {st['paint_p95']:6.1f} max {st['paint_max']:6.0f} ms"
                f"{'  UNANSWERED ' + str(st['unanswered']) if st['unanswered'] else ''}",
                file=sys.stderr,
            )
    print(
        f"  refresh took {result['refresh_seconds']:.1f} s, merging its articles "
        f"{result['merge_seconds']:.1f} s{'' if result['merge_finished'] else ' (still running: stopped)'}; "
        f"then: {result['sub_title']}",
        file=sys.stderr,
    )
    return result


# --- the table -----------------------------------------------------------------------------


def table(res: dict) -> str:
    rows = [("what", "figure", "target", "met")]

    def ok(flag: bool) -> str:
        return "yes" if flag else "NO"

    s = res.get("startup")
    if s:
        med, ratios = s["median"], s["ratio"]
        for label, target in (("100k", TARGETS["startup_100k"]), ("10k", TARGETS["startup_10k"])):
            if label in med:
                rows.append(
                    (
                        f"start-up to first briefing, {label} store (snapshot)",
                        f"{med[label] * 1000:.0f} ms, {ratios[label]:.2f}x bare ({med['bare'] * 1000:.0f} ms); "
                        f"CPU time {s.get('cpu_ratio', {}).get(label, float('nan')):.2f}x",
                        f"<= {target}x",
                        ok(ratios[label] <= target),
                    )
                )
        for label in ("100k", "10k"):
            if f"{label} no check" in med:
                rows.append(
                    (
                        f"  diagnostic: {label}, Store.check a no-op "
                        f"(its quick_check alone: {s['quick_check_ms'][label]:.0f} ms)",
                        f"{med[label + ' no check'] * 1000:.0f} ms, {ratios[label + ' no check']:.2f}x bare",
                        "(diagnostic)",
                        "",
                    )
                )
        for label in ("100k", "10k"):
            if f"first_{label}" in s:
                rows.append(
                    (
                        f"very first launch, {label} store (no snapshot)",
                        f"{s[f'first_{label}'] * 1000:.0f} ms, {s[f'first_{label}'] / med['bare']:.2f}x bare",
                        "(reported)",
                        "",
                    )
                )
    m = res.get("memory")
    if m:
        rows.append(
            (
                "peak RSS, 100k store, full briefing computed (with its briefing process)",
                f"{m['briefing']['tree_peak_mb']:.0f} MB ({m['briefing']['vm_hwm_mb']:.0f} MB the screen's "
                f"process; bare {m['bare']['vm_hwm_mb']:.0f} MB)",
                f"<= {TARGETS['rss_mb']} MB",
                ok(m["briefing"]["tree_peak_mb"] <= TARGETS["rss_mb"]),
            )
        )
    q = res.get("search")
    if q:
        for label, r in q.items():
            rows.append(
                (
                    f"search {label}, {r['matches']:,} matches",
                    f"median {r['workspace_ms']['median']:.1f} ms, p95 {r['workspace_ms']['p95']:.1f} ms",
                    f"<= {TARGETS['search_ms']} ms",
                    ok(r["workspace_ms"]["p95"] <= TARGETS["search_ms"]),
                )
            )
    z = res.get("size")
    if z:
        rows.append(
            (
                "store size / raw text, 100k",
                f"{z['file_bytes'] / 1e6:.0f} MB / {z['raw_text_bytes'] / 1e6:.0f} MB = {z['ratio']:.2f}x",
                f"<= {TARGETS['size_ratio']}x",
                ok(z["ratio"] <= TARGETS["size_ratio"]),
            )
        )
        p = z["prune"]
        rows.append(
            (
                "after prune --older-than 90d",
                f"{p['after_bytes'] / 1e6:.0f} MB ({p['articles_left']:,} articles left, {p['seconds']:.0f} s)",
                "shrinks",
                ok(p["after_bytes"] < z["file_bytes"]),
            )
        )
    k = res.get("keys")
    if k:
        for phase in ("idle", "refreshing", "merging"):
            st = k["phases"].get(phase, {})
            if st.get("n"):
                rows.append(
                    (
                        f"key to repaint, {phase} (n={st['n']})",
                        f"p50 {st['paint_p50']:.1f} ms, p95 {st['paint_p95']:.1f} ms",
                        f"p95 <= {TARGETS['keys_p95_ms']} ms" if phase != "idle" else "(reference)",
                        ok(st["paint_p95"] <= TARGETS["keys_p95_ms"]) if phase != "idle" else "",
                    )
                )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="startup,memory,search,size,keys")
    ap.add_argument(
        "--max-merge-seconds",
        type=float,
        default=90.0,
        help="stop timing keys this long after the refresh ends if its articles are still merging",
    )
    args = ap.parse_args()
    only = set(args.only.split(","))
    from briefing.config import load_config

    config = load_config(CONFIG)
    started = time.perf_counter()
    stores = {}
    infos = {}
    for label, count in (("100k", 100_000), ("10k", 10_000)):
        t = time.perf_counter()
        stores[label], infos[label] = ensure_store(articles=count)
        print(
            f"store {label}: {stores[label].name}, {infos[label]['count']:,} articles "
            f"({infos[label]['relevant_count']:,} relevant), generated once in "
            f"{infos[label]['generation_seconds']:.0f} s; ready in {time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
    res: dict = {"stores": infos, "loadavg_start": os.getloadavg()}
    if "startup" in only:
        print("start-up:", file=sys.stderr)
        res["startup"] = bench_startup(stores, args.repeat)
    if "memory" in only:
        print("memory:", file=sys.stderr)
        res["memory"] = bench_memory(stores["100k"])
    if "search" in only:
        print("search (100k store):", file=sys.stderr)
        res["search"] = bench_search(stores["100k"], config)
    if "size" in only:
        print("size (100k store):", file=sys.stderr)
        res["size"] = bench_size(stores["100k"])
    if "keys" in only:
        print("keys during a 200-feed refresh (copy of the 100k store):", file=sys.stderr)
        res["keys"] = bench_keys(stores["100k"], max_update_seconds=args.max_merge_seconds)
    res["total_seconds"] = time.perf_counter() - started
    res["loadavg_end"] = os.getloadavg()
    out = RESULTS / f"dashboard-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(res, indent=2, default=str))
    print()
    print(table(res))
    print(
        f"\nwhole run {res['total_seconds']:.0f} s on {os.cpu_count()} cores; load average (1 min) "
        f"{res['loadavg_start'][0]:.1f} at the start, {res['loadavg_end'][0]:.1f} at the end (other work "
        f"on the machine); raw figures in {out.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
