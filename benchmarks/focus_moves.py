"""Focus moves between the dashboard's panels (2, 3, 4, 1 in turn), in
process (App.run_test, headless, 120x40) on the 10k store once the
briefing is loaded: milliseconds from the key event entering the app to the
first screen update handed to the driver that shows the new focus.

    cd TREE && python /path/to/benchmarks/focus_moves.py --store STORE [--presses 40]

The tree measured is the working directory's (it goes first on sys.path),
so two trees can be compared with the same script. STORE: the 10k store
benchmarks/dashboard.py makes (benchmarks/results/store-10k-*.db).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from textual import events


async def measure(store: Path, config: Path, presses: int) -> list[float]:
    from briefing.config import load_config
    from briefing.tui.app import BriefingApp
    from briefing.workers.dashboard_workspace import DashboardWorkspace

    app = BriefingApp(DashboardWorkspace(load_config(config), store))
    paints: list[tuple[float, int]] = []  # when an update went to the driver, and the focus it shows
    display = app._display

    def counting_display(screen, renderable):
        if renderable is not None:
            paints.append((time.perf_counter(), id(app.focused)))
        return display(screen, renderable)

    app._display = counting_display
    took: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.briefing is None or any(w.group == "load" and not w.is_finished for w in app.workers):
            await asyncio.sleep(0.05)
        await pilot.pause(0.5)
        for i in range(presses):
            key = "2341"[i % 4]
            before, painted = id(app.focused), len(paints)
            started = time.perf_counter()
            app._driver.send_message(events.Key(key, key))
            while time.perf_counter() - started < 2.0:
                shown = next((t for t, focus in paints[painted:] if focus != before), None)
                if shown is not None:
                    took.append((shown - started) * 1000)
                    break
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.06)
    return sorted(took)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--store", type=Path, required=True)
    args = ap.parse_args()
    store = args.store
    config = Path(__file__).resolve().parents[1] / "feeds.toml"
    took = asyncio.run(measure(store.resolve(), config, args.presses))
    print(
        f"{Path.cwd().name}: {len(took)} of {args.presses} focus moves painted; "
        f"median {statistics.median(took):.1f} ms, "
        f"p95 {took[int(len(took) * 0.95)]:.1f} ms, max {took[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
