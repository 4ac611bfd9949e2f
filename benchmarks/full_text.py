"""Benchmark: the cost of full article text in a refresh.

    uv run python benchmarks/full_text.py [--repeat 3] [--feeds 8] [--latency 0.05] [--only stage,keys]

A loopback server of our own (a thread here) serves teaser feeds whose
links lead to the 88 real pages of the article-pages corpus
(benchmarks/extraction.py finds it), each answer held back --latency
seconds. The same refresh runs with every feed `full_text = "always"` and
with `"never"`, interleaved, each on a fresh store, as `briefing refresh`
in a subprocess:

stage    the full-text stage's extra wall time (median "always" minus
         median "never") against its CPU floor: the extraction's CPU over
         the same pages measured in this process in the same run
         (time.process_time around extract_article), divided by the cores
         there are (at most 2, the parser pool's), plus one latency. Target
         1.5x. Also the peak of the refresh's process tree's summed RSS,
         sampled from /proc every ~20 ms (target 250 MB), and the pages the
         refresh reported fetched and failed.
keys     the dashboard (in-process, headless, 120x40) on a store of the
         bundled story's articles, refreshed with `r` against the same server with "always": keys
         pressed every 30-80 ms while the feeds and pages are fetched and
         extracted, each timed to its first painted answer
         (benchmarks/dashboard.py's key measure). Target p95 50 ms.

Prints the figures with their targets and writes
benchmarks/results/full-text-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from dashboard import _descendants, _measure_keys  # noqa: E402
from extraction import Page, load_pages  # noqa: E402
from make_store import CONFIG, RESULTS  # noqa: E402

TARGETS = {"stage_ratio": 1.5, "tree_rss_mb": 250, "keys_p95_ms": 50}
_WORDS = re.compile(r"\S+")
TEASER_WORDS = 25


class _Farm:
    """Feeds of teasers and the pages they link to, on 127.0.0.1, each
    answer held back `latency` seconds."""

    def __init__(self, pages: list[Page], feeds: int, latency: float) -> None:
        self.pages = {page.id: page for page in pages}
        self.latency = latency
        self.feeds: dict[str, bytes] = {}
        farm = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                time.sleep(farm.latency)
                kind, _, name = self.path.strip("/").partition("/")
                if kind == "feed" and name in farm.feeds:
                    body, content_type = farm.feeds[name], "application/rss+xml"
                elif kind == "page" and name in farm.pages:
                    body, content_type = farm.pages[name].html, "text/html"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        # A listen backlog like a real server's: http.server's default of 5
        # drops a burst of connects, which the kernel retries a second later.
        ThreadingHTTPServer.request_queue_size = 128
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        ordered = list(self.pages.values())
        for number in range(feeds):
            self.feeds[f"{number}.xml"] = self._feed(number, ordered[number::feeds])
        # Served from a process of its own: in this one, the sampling of
        # the refresh's memory would hold the interpreter lock the server's
        # threads need, and slow the very refresh it measures.
        self.process = multiprocessing.get_context("fork").Process(target=self.server.serve_forever, daemon=True)
        self.process.start()
        self.server.socket.close()

    def _feed(self, number: int, pages: list[Page]) -> bytes:
        """An RSS feed whose items carry the first words of the marked
        text as their teaser, each dated an hour apart."""
        start = datetime(2025, 2, 10, 12, tzinfo=UTC)
        items = []
        for i, page in enumerate(pages):
            words = _WORDS.findall(page.truth)
            teaser = " ".join(words[:TEASER_WORDS])
            title = " ".join(words[:8]) or page.id
            link = f"http://127.0.0.1:{self.port}/page/{page.id}"
            when = format_datetime(start - timedelta(hours=i))
            items.append(
                f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
                f"<pubDate>{when}</pubDate><description>{escape(teaser)}</description></item>"
            )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Pages {number}</title>'
            f"<link>http://127.0.0.1:{self.port}/</link>{''.join(items)}</channel></rss>"
        ).encode()

    def config(self, folder: Path, mode: str) -> Path:
        story = CONFIG.read_text(encoding="utf-8").split("\n[[feeds]]", 1)[0]
        lines = [story, "", "[settings]", "max_per_host = 16", ""]
        for name in sorted(self.feeds):
            lines += [
                "[[feeds]]",
                f'name = "Pages {name}"',
                f'url = "http://127.0.0.1:{self.port}/feed/{name}"',
                f'full_text = "{mode}"',
                "",
            ]
        path = folder / f"{mode}.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def close(self) -> None:
        self.process.terminate()
        self.process.join()


def _tree_rss_kb(root: int) -> int:
    total = 0
    for pid in [root, *_descendants(root)]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def refresh_once(config: Path, folder: Path, sample: bool = False) -> dict:
    """`briefing refresh` on a fresh store: wall seconds, its last line, and
    with `sample` the peak of its process tree's RSS (the sampling walks
    /proc and costs CPU the refresh would use, so timed runs do not sample)."""
    store = folder / f"store-{time.monotonic_ns()}.db"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "--config", str(config), "--cache", str(store), "refresh"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=REPO,
    )
    peak = 0
    if sample:
        while process.poll() is None:
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.02)
    data, _ = process.communicate()
    wall = time.perf_counter() - started
    output = data.decode(errors="replace")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    if process.returncode != 0:
        raise SystemExit(f"refresh failed ({process.returncode}):\n{output}")
    return {"wall": wall, "tree_rss_mb": peak / 1024, "last_line": output.strip().splitlines()[-1]}


def extraction_cpu(pages: list[Page]) -> float:
    from briefing.ingest.page_text import extract_article

    started = time.process_time()
    for page in pages:
        extract_article(page.html, url=page.url)
    return time.process_time() - started


def bench_stage(farm: _Farm, pages: list[Page], folder: Path, repeat: int) -> dict:
    always, never = farm.config(folder, "always"), farm.config(folder, "never")
    refresh_once(never, folder)  # a warm-up: the OS's caches, the bytecode
    runs: dict[str, list[dict]] = {"always": [], "never": []}
    cpu = []
    for _ in range(repeat):
        runs["never"].append(refresh_once(never, folder))
        runs["always"].append(refresh_once(always, folder))
        cpu.append(extraction_cpu(pages))
    cores = min(2, os.cpu_count() or 1)
    floor = statistics.median(cpu) / cores + farm.latency
    extra = statistics.median(r["wall"] for r in runs["always"]) - statistics.median(r["wall"] for r in runs["never"])
    result = {
        "pages": len(pages),
        "cores": cores,
        "extraction_cpu_seconds": cpu,
        "floor_seconds": floor,
        "extra_seconds": extra,
        "ratio": extra / floor,
        "always": runs["always"],
        "never": runs["never"],
        "tree_rss_mb": refresh_once(always, folder, sample=True)["tree_rss_mb"],
    }
    print(
        f"stage: always {[round(r['wall'], 2) for r in runs['always']]} s, never "
        f"{[round(r['wall'], 2) for r in runs['never']]} s; extraction CPU {[round(c, 2) for c in cpu]} s "
        f"-> floor {floor:.2f} s; extra {extra:.2f} s = {extra / floor:.2f}x floor (target <= "
        f"{TARGETS['stage_ratio']}x); peak tree RSS {result['tree_rss_mb']:.0f} MB (target < "
        f"{TARGETS['tree_rss_mb']} MB)\n  last line: {runs['always'][-1]['last_line']}",
        file=sys.stderr,
    )
    return result


def bench_keys(farm: _Farm, folder: Path) -> dict:
    from briefing.store.database import Store
    from briefing.workspace import seed_store

    # The bundled story's articles, so the panels have rows to move through
    # before `r` brings the farm's 88 articles and their pages.
    store = folder / "keys.db"
    with Store(store) as opened:
        seed_store(opened, REPO / "cache")
    result = asyncio.run(_measure_keys(store, farm.config(folder, "always"), 30, 60.0))
    result.pop("samples", None)
    for phase, st in result["phases"].items():
        if st["n"]:
            print(
                f"keys {phase:10} n={st['n']:3} to paint p50 {st['paint_p50']:5.1f} p95 {st['paint_p95']:6.1f} "
                f"max {st['paint_max']:6.0f} ms (target p95 <= {TARGETS['keys_p95_ms']} ms)",
                file=sys.stderr,
            )
    print(f"  refresh took {result['refresh_seconds']:.1f} s; then: {result['sub_title']}", file=sys.stderr)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--only", default="stage,keys")
    args = parser.parse_args()
    pages = load_pages()
    farm = _Farm(pages, args.feeds, args.latency)
    results: dict = {"when": datetime.now(UTC).isoformat(), "latency": args.latency, "feeds": args.feeds}
    try:
        with tempfile.TemporaryDirectory(dir=RESULTS) as tmp:
            folder = Path(tmp)
            if "stage" in args.only:
                results["stage"] = bench_stage(farm, pages, folder, args.repeat)
            if "keys" in args.only:
                results["keys"] = bench_keys(farm, folder)
    finally:
        farm.close()
    out = RESULTS / f"full-text-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
