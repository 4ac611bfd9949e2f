"""Diagnostic launcher for benchmarks/dashboard.py: `python -m briefing`
with the dashboard's pre-screen integrity check (`Store.check`, a
`PRAGMA quick_check` that reads every page of the store) made a no-op, to
show how much of the start-up it is. Not how briefing runs.

    .venv/bin/python benchmarks/dashboard_nocheck.py --config C --cache S
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.store import database as store  # noqa: E402

store.Store.check = lambda self: None

from briefing.cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
