"""Start-up of two trees of briefing, compared in one run: time and CPU to
the first painted briefing (benchmarks/dashboard.py's launch(): a
pseudo-terminal, 120x40), the two trees and the bare app launched in a
rotated order each round; with --instructions, callgrind's count of the main
thread's instructions instead (benchmarks/first_frame_instructions.py), the
same run after run whatever else the machine is doing.

    git worktree add --detach /tmp/before <commit>
    uv run python benchmarks/startup_ab.py /tmp/before . [--rounds 15] [--instructions] [--store PATH]

Each launch runs `python -m briefing` from / with PYTHONPATH set to its
tree: from a tree's folder `-m` would take that folder's code whatever
PYTHONPATH says. Default store: the 10k one benchmarks/dashboard.py makes;
when the trees' schemas differ, make it with the older tree (its
benchmarks/make_store.py) and pass it with --store: each tree gets a copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import dashboard  # noqa: E402 - a sibling script, found through the path set just above


def briefing_argv(tree: Path, store: Path) -> list[str]:
    return [
        "/usr/bin/env",
        "-C",
        "/",
        f"PYTHONPATH={tree}",
        sys.executable,
        "-m",
        "briefing",
        "--config",
        str(REPO / "feeds.toml"),
        "--cache",
        str(store),
    ]


def timed(trees: dict[str, Path], stores: dict[str, Path], rounds: int) -> None:
    variants = {
        "bare": ["/usr/bin/env", "-C", "/", sys.executable, str(REPO / "benchmarks" / "bare_app.py")],
        **{name: briefing_argv(tree, stores[name]) for name, tree in trees.items()},
    }
    markers = {name: dashboard.BARE_MARKER if name == "bare" else dashboard.BRIEFING_MARKER for name in variants}
    for name, argv in variants.items():  # byte code compiled, page cache warm: not measured
        dashboard.launch(argv, markers[name])
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    for i in range(rounds):
        for name in order[i % len(order) :] + order[: i % len(order)]:
            launched = dashboard.launch(variants[name], markers[name])
            wall[name].append(launched["seconds"])
            cpu[name].append(launched["cpu_seconds"])
        print(
            f"round {i + 1}: "
            + ", ".join(f"{name} {wall[name][-1] * 1000:.0f} ms (CPU {cpu[name][-1] * 1000:.0f})" for name in variants),
            file=sys.stderr,
        )
    a, b = trees
    for what, data in (("wall", wall), ("CPU", cpu)):
        for name, values in data.items():
            print(
                f"{what:4} {name:6} median {statistics.median(values) * 1000:.0f} ms, "
                f"range {min(values) * 1000:.0f}-{max(values) * 1000:.0f}"
            )
        ratios = [y / x for x, y in zip(data[a], data[b], strict=False)]
        print(
            f"{what:4} {b}/{a} by round: median {statistics.median(ratios):.3f}, "
            f"range {min(ratios):.3f}-{max(ratios):.3f}"
        )


def instructions(trees: dict[str, Path], stores: dict[str, Path]) -> None:
    import first_frame_instructions as ffi

    counts: dict[str, list[int]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(2):
            for name, tree in trees.items():
                os.environ["PYTHONPATH"] = str(tree)  # count() launches from /, with this environment
                folder = Path(tmp) / f"{name}-{run}"
                folder.mkdir()
                argv = ["-m", "briefing", "--config", str(REPO / "feeds.toml"), "--cache", str(stores[name])]
                counts[name].append(ffi.count(argv, folder, name)[0])
        os.environ.pop("PYTHONPATH")
        bare = ffi.count([str(REPO / "benchmarks" / "bare_app.py")], Path(tmp), "bare")[0]
    a, b = trees
    for name, found in counts.items():
        print(f"{name:6} " + ", ".join(f"{n / 1e6:.1f} M" for n in found) + f" ({found[0] / bare:.3f}x bare)")
    ratios = ", ".join(f"{y / x:.4f}" for x, y in zip(counts[a], counts[b], strict=False))
    print(f"bare   {bare / 1e6:.1f} M; {b}/{a} " + ratios)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--instructions", action="store_true", help="count instructions with callgrind instead")
    ap.add_argument("--store", type=Path)
    args = ap.parse_args()
    store = args.store
    if store is None:
        from make_store import ensure_store

        store, _ = ensure_store(articles=10_000)
    store = store.resolve()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(dir=store.parent) as tmp:
        # A copy each: a tree with a newer schema migrates its copy, and the
        # other tree (which would refuse a newer file) keeps the original's.
        stores = {name: Path(tmp) / f"{name}.db" for name in trees}
        for name, path in stores.items():
            shutil.copyfile(store, path)
            # The saved briefing every later session paints first (and the migration, once).
            dashboard.launch(briefing_argv(trees[name], path), dashboard.BRIEFING_MARKER, settle_store=path)
        if args.instructions:
            instructions(trees, stores)
        else:
            timed(trees, stores, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
