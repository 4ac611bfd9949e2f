"""Time `briefing refresh` against newsboat on a loopback farm of feeds.

    uv run python benchmarks/refresh_vs_newsboat.py [--repeat 3] [--feeds 200]
        [--items 50] [--latency 0.2] [--per-host 32] [--connections 32]
        [--backlog N] [--one-process-too]

Starts the shared feed farm (../shared/tools/feedfarm.py beside the checkout,
or $BRIEFING_FEEDFARM; an equivalent farm in this process when neither is
there), then, --repeat times:

1. `python -m briefing --config C --cache S refresh` against an empty store
   (first pass: every feed answers 200 with its items);
2. the same again (every feed answers 304 to the ETag it was given);
3. `newsboat -u URLS -c CACHE.db -C CONFIG -x reload` with `reload-threads
   32` against an empty cache, and again (its second pass).

Each run is timed on the wall clock; its memory is measured twice: the
kernel's peak RSS of the largest process (os.wait4 ru_maxrss, what
RUSAGE_CHILDREN reports) and, sampled every 20 ms from /proc, the peak of the
summed RSS of the whole process tree (briefing's parser processes included).
Medians are printed with the ratios the issue sets as targets. Raw figures go
to benchmarks/results/ (not committed).

--backlog N runs the same farm code with its listen backlog raised from
socketserver's default of 5 to N (`socketserver.TCPServer.request_queue_size`),
to show the readers without the farm's connection drops; see README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"first": 0.6, "not_modified": 0.25, "peak_mb": 150}
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    what: str
    seconds: float
    maxrss_mb: float  # largest single process (ru_maxrss of the child and what it waited for)
    tree_mb: float  # peak of the summed RSS of the process tree, sampled
    cpu: float  # user + system seconds of the process and the children it waited for
    last_line: str


def farm_path() -> Path | None:
    env = os.environ.get("BRIEFING_FEEDFARM")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "tools" / "feedfarm.py")
    return next((p for p in candidates if p.is_file()), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_farm(args, port: int) -> tuple[subprocess.Popen | None, str]:
    path = None if args.own_farm else farm_path()
    farm_args = [
        "--feeds",
        str(args.feeds),
        "--items",
        str(args.items),
        "--latency",
        str(args.latency),
        "--port",
        str(port),
        "--lifetime",
        "3600",
    ]
    if path is None:
        # No shared farm: run an equivalent one (same documents, same answers) in a thread here.
        threading.Thread(target=_own_farm, args=(args, port), daemon=True).start()
        return None, "in-process farm" + (f" (listen backlog {args.backlog})" if args.backlog else "")
    if args.backlog:
        code = (
            "import runpy, socketserver, sys; "
            f"socketserver.TCPServer.request_queue_size = {args.backlog}; "
            f"sys.argv = [{str(path)!r}] + {farm_args!r}; "
            f"runpy.run_path({str(path)!r}, run_name='__main__')"
        )
        command = [sys.executable, "-c", code]
        label = f"{path} (listen backlog raised to {args.backlog})"
    else:
        command = [sys.executable, str(path), *farm_args]
        label = str(path)
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), label


def _own_farm(args, port: int) -> None:
    import hashlib
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    def feed_xml(i: int) -> bytes:
        items = "".join(
            f"<item><title>Feed {i} story {j}</title><link>http://127.0.0.1/story/{i}/{j}</link>"
            f"<guid>feed{i}-story{j}</guid><pubDate>Tue, 04 Feb 2025 {j % 24:02d}:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{'Ankara Damascus defense pact talks ' * 15}&lt;/p&gt;</description></item>"
            for j in range(args.items)
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Farm feed {i}'
            f"</title><link>http://127.0.0.1/</link><description>d</description>{items}</channel></rss>"
        ).encode()

    bodies = {f"/feed/{i}.xml": feed_xml(i) for i in range(args.feeds)}
    tags = {p: '"' + hashlib.sha1(b).hexdigest() + '"' for p, b in bodies.items()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(args.latency)
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == tags[self.path]:
                self.send_response(304)
                self.send_header("ETag", tags[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", tags[self.path])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = args.backlog or 5  # socketserver's default, as in the shared farm

    Server(("127.0.0.1", port), Handler).serve_forever()


def wait_for_farm(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/feed/0.xml", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the feed farm did not start")


def _tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
                parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            except (OSError, ValueError):
                pass
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            pass
    return total


def measure(what: str, command: list[str], env: dict) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)
    reader.start()
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output[0].decode("utf-8", "replace") if output else ""
    lines = text.strip().splitlines()
    if process.returncode not in (0,):
        raise SystemExit(f"{what} failed ({process.returncode}): {errors.decode(errors='replace')[-500:]}")
    return Run(
        what,
        seconds,
        usage.ru_maxrss / 1024,
        peak[0] / 1024 / 1024,
        usage.ru_utime + usage.ru_stime,
        lines[-1] if lines else "",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--connections", type=int, default=32, help="[settings] max_connections")
    parser.add_argument("--per-host", type=int, default=32, help="[settings] max_per_host")
    parser.add_argument("--backlog", type=int, default=0, help="raise the farm's listen backlog to N")
    parser.add_argument(
        "--own-farm",
        action="store_true",
        help="use the equivalent farm built in here even when the shared one is there",
    )
    parser.add_argument(
        "--one-process-too",
        "--threads-too",
        dest="one_process_too",
        action="store_true",
        help="also time a first pass parsing in one parser process (BRIEFING_PARSE_PROCESSES=1;"
        " parsing no longer runs on a thread)",
    )
    args = parser.parse_args()

    newsboat = shutil.which("newsboat")
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    port = free_port()
    farm, farm_label = start_farm(args, port)
    try:
        wait_for_farm(port)
        urls = [f"http://127.0.0.1:{port}/feed/{i}.xml" for i in range(args.feeds)]
        config = work / "feeds.toml"
        lines = [
            "[story]",
            'id = "bench"',
            'title = "Benchmark"',
            "",
            "[settings]",
            f"max_connections = {args.connections}",
            f"max_per_host = {args.per_host}",
            "",
        ]
        for i, url in enumerate(urls):
            lines += ["[[feeds]]", f'name = "farm {i}"', f'url = "{url}"', ""]
        config.write_text("\n".join(lines))
        (work / "urls").write_text("\n".join(urls) + "\n")
        (work / "newsboat.conf").write_text("reload-threads 32\n")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(
            HOME=str(work),
            XDG_CONFIG_HOME=str(work / "xdg-config"),
            XDG_CACHE_HOME=str(work / "xdg-cache"),
            XDG_DATA_HOME=str(work / "xdg-data"),
            BRIEFING_CONFIG=str(config),
        )
        # Time briefing as it runs once installed: with its bytecode cached.
        # (This sandbox sets PYTHONDONTWRITEBYTECODE, which would make every
        # run compile its sources again, about 0.3 s.) The warm-up imports
        # everything a refresh does, so the first round pays no compiling.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "briefing")], env=env, check=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import briefing.cli.feeds, briefing.refresh.run, briefing.ingest.fetch, "
                "briefing.ingest.feed, briefing.store.database, feedparser, httpx",
            ],
            env=env,
            check=True,
        )
        store = work / "store.db"
        cache = work / "newsboat.db"
        briefing_cmd = [sys.executable, "-m", "briefing", "--config", str(config), "--cache", str(store), "refresh"]
        newsboat_cmd = [
            newsboat or "newsboat",
            "-u",
            str(work / "urls"),
            "-c",
            str(cache),
            "-C",
            str(work / "newsboat.conf"),
            "-x",
            "reload",
        ]
        print(f"farm: {farm_label}: {args.feeds} feeds x {args.items} items, {args.latency * 1000:.0f} ms latency")
        print(f"briefing: {' '.join(briefing_cmd)}")
        print(f"newsboat: {' '.join(newsboat_cmd) if newsboat else 'not installed: newsboat runs skipped'}")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

        runs: list[Run] = []
        for round_ in range(args.repeat):
            for path in work.glob("store.db*"):
                path.unlink()
            runs.append(measure("briefing first", briefing_cmd, env))
            runs.append(measure("briefing 304", briefing_cmd, env))
            if args.one_process_too:
                for path in work.glob("store.db*"):
                    path.unlink()
                runs.append(
                    measure("briefing first, 1 process", briefing_cmd, {**env, "BRIEFING_PARSE_PROCESSES": "1"})
                )
            if newsboat:
                for path in work.glob("newsboat.db*"):
                    path.unlink()
                runs.append(measure("newsboat first", newsboat_cmd, env))
                runs.append(measure("newsboat second", newsboat_cmd, env))
                items = sqlite3.connect(cache).execute("SELECT count(*) FROM rss_item").fetchone()[0]
                if items != args.feeds * args.items:
                    print(f"warning: newsboat stored {items} items, expected {args.feeds * args.items}")
            for run in runs[-(2 + args.one_process_too + 2 * bool(newsboat)) :]:
                print(
                    f"  round {round_ + 1}: {run.what:24} {run.seconds:6.2f} s  cpu {run.cpu:5.1f} s  "
                    f"largest process {run.maxrss_mb:4.0f} MB  tree {run.tree_mb:4.0f} MB  {run.last_line}"
                )

        expected_first = (
            f"{args.feeds} feeds: {args.feeds} updated, 0 not modified, 0 failed; "
            f"{args.feeds * args.items} new articles"
        )
        expected_304 = f"{args.feeds} feeds: 0 updated, {args.feeds} not modified, 0 failed; 0 new articles"
        for run in runs:
            if run.what == "briefing first" and run.last_line != expected_first:
                print(f"warning: briefing first pass said {run.last_line!r}")
            if run.what == "briefing 304" and run.last_line != expected_304:
                print(f"warning: briefing 304 pass said {run.last_line!r}")

        def median(what: str, field: str = "seconds") -> float | None:
            values = [getattr(r, field) for r in runs if r.what == what]
            return statistics.median(values) if values else None

        print(f"\nmedians of {args.repeat} (load average after: {os.getloadavg()[0]:.2f}):")
        for what in dict.fromkeys(r.what for r in runs):
            print(
                f"  {what:24} {median(what):6.2f} s  cpu {median(what, 'cpu'):5.1f} s  largest process "
                f"{median(what, 'maxrss_mb'):4.0f} MB  tree {median(what, 'tree_mb'):4.0f} MB"
            )
        summary = {"farm": farm_label, "args": vars(args), "runs": [asdict(r) for r in runs]}
        peak = max(r.maxrss_mb for r in runs if r.what.startswith("briefing"))
        peak_tree = max(r.tree_mb for r in runs if r.what.startswith("briefing"))
        print()
        if newsboat:
            first = median("briefing first") / median("newsboat first")
            second = median("briefing 304") / median("newsboat second")
            summary.update(first_ratio=first, not_modified_ratio=second)
            print(
                f"first pass, briefing/newsboat:               {first:5.2f}  (target <= {TARGETS['first']})"
                f"  {'met' if first <= TARGETS['first'] else 'MISSED'}"
            )
            print(
                f"304 pass, briefing/newsboat's second pass:   {second:5.2f}  (target <= "
                f"{TARGETS['not_modified']})  {'met' if second <= TARGETS['not_modified'] else 'MISSED'}"
            )
        if args.one_process_too:
            gain = median("briefing first, 1 process") / median("briefing first")
            print(f"first pass, one parser process / all:        {gain:5.2f}  (> 1: the second one pays)")
        print(
            f"briefing peak RSS, largest process:          {peak:5.0f} MB (target < {TARGETS['peak_mb']})"
            f"  {'met' if peak < TARGETS['peak_mb'] else 'MISSED'}"
        )
        print(f"briefing peak RSS, whole process tree:       {peak_tree:5.0f} MB")
        summary.update(peak_mb=peak, peak_tree_mb=peak_tree)
        results = REPO / "benchmarks" / "results"
        results.mkdir(parents=True, exist_ok=True)
        out = results / f"refresh_vs_newsboat-{time.strftime('%Y%m%dT%H%M%S')}.json"
        out.write_text(json.dumps(summary, indent=2))
        print(f"raw figures: {out.relative_to(REPO)}")
        return 0
    finally:
        if farm is not None:
            farm.terminate()
            farm.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
