"""Make docs/dashboard.svg from the real app on the bundled cache.

uv run python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from briefing.config import load_config
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store

REPO = Path(__file__).resolve().parents[1]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        with Store(path) as store:
            seed_store(store, REPO / "cache")
        app = BriefingApp(DashboardWorkspace(load_config(REPO / "feeds.toml"), path), open_url=lambda url: None)
        async with app.run_test(size=(120, 36)) as pilot:
            while app.briefing is None:
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            app.save_screenshot(str(REPO / "docs" / "dashboard.svg"))


if __name__ == "__main__":
    asyncio.run(main())
