"""The core knows nothing of the screen, and importing it has no side effects."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

CORE = ["briefing.config", "briefing.store.database", "briefing.ingest.feed", "briefing.ingest.files", "briefing.text.sanitize",
        "briefing.export", "briefing.workspace", "briefing.analysis", "briefing.model", "briefing.paths",
        "briefing.cli.main"]
OPTIONAL_CORE = ["briefing.ingest.fetch", "briefing.refresh.run", "briefing.refresh.parser_pool", "briefing.workers.refresh_worker",
                 "briefing.workers.briefing_worker", "briefing.processes.spawn", "briefing.ingest.opml"]


def test_core_imports_no_textual(tmp_path):
    modules = CORE + [m for m in OPTIONAL_CORE if (REPO / (m.replace(".", "/") + ".py")).exists()]
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core pulled in {result.stdout.strip()}"


def test_import_has_no_side_effects(tmp_path):
    """Importing every module creates no file or directory anywhere in HOME."""
    code = "import briefing.cli.main, briefing.workspace, briefing.store.database, briefing.tui.app"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "c"),
                        "XDG_CONFIG_HOME": str(tmp_path / "k")})
    assert list(tmp_path.iterdir()) == []


def test_the_dashboard_start_loads_no_module_it_does_not_need_yet(tmp_path):
    """What the CLI and the dashboard import before the first frame leaves out
    the modules only later work needs: each of these cost milliseconds of
    start-up (benchmarks/README.md, "Start-up")."""
    code = ("import sys\n"
            "import briefing.cli.main, briefing.ingest.files, briefing.config, briefing.store.database, briefing.workspace\n"
            "import briefing.store.snapshot, briefing.tui.app\n"
            "late = ('hashlib', 'html.parser', 'feedparser', 'httpx', 'argparse')\n"
            "print(','.join(m for m in late if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded before the first frame: {result.stdout.strip()}"
