"""The core knows nothing of the screen, importing it has no side effects, and
the dashboard's start-up loads only what the first frame needs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.cli import REPO, run_python

PACKAGE = REPO / "briefing"

# The core: everything the CLI's other commands and the worker processes use.
CORE_MODULES = [
    "briefing.config",
    "briefing.config_edit",
    "briefing.model",
    "briefing.record",
    "briefing.paths",
    "briefing.feed_url",
    "briefing.atomic_write",
    "briefing.workspace",
    "briefing.export",
]
CORE_PACKAGES = [
    "briefing.processes",
    "briefing.text",
    "briefing.store",
    "briefing.analysis",
    "briefing.ingest",
    "briefing.refresh",
    "briefing.workers",
]
# The rest of the tree: the screen, and the commands that may start it.
NOT_CORE = ["briefing.tui", "briefing.cli", "briefing.__init__", "briefing.__main__"]


def source_of(name: str):
    """The file or package directory that module `name` lives in."""
    path = REPO.joinpath(*name.split("."))
    return path if path.is_dir() else path.with_suffix(".py")


def modules_under(package: str) -> list[str]:
    directory = source_of(package)
    return sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__") for p in directory.rglob("*.py")
    )


def imported_in_a_fresh_interpreter(tmp_path, names: list[str], watch: tuple[str, ...]) -> dict[str, str]:
    """Import `names` one after another in a new Python; for each module in
    `watch` that got loaded, the first of `names` whose import loaded it."""
    code = (
        "import json, sys\n"
        f"watch, culprits = {watch!r}, {{}}\n"
        f"for name in {names!r}:\n"
        "    __import__(name)\n"
        "    for w in watch:\n"
        "        if w not in culprits and any(m == w or m.startswith(w + '.') for m in sys.modules):\n"
        "            culprits[w] = name\n"
        "print(json.dumps(culprits))\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_module_of_the_package_is_either_core_or_not():
    """A new or renamed module or package must be placed on one side; a listed
    one that no longer exists fails here instead of dropping out of the check."""
    listed = CORE_MODULES + CORE_PACKAGES + NOT_CORE
    missing = [name for name in listed if not source_of(name).exists()]
    assert not missing, f"listed but not in the tree: {missing}"
    present = {
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in PACKAGE.iterdir()
        if p.suffix == ".py" or (p / "__init__.py").is_file()
    }
    assert present - set(listed) == set(), "place these in CORE_MODULES, CORE_PACKAGES or NOT_CORE"


def test_core_imports_no_textual(tmp_path):
    core = CORE_MODULES + [module for package in CORE_PACKAGES for module in modules_under(package)]
    assert len(core) > 60, core  # the walk found the tree
    culprits = imported_in_a_fresh_interpreter(tmp_path, core, ("textual",))
    assert culprits == {}, f"the core pulled in textual: {culprits}"


def test_the_cli_commands_other_than_the_dashboard_import_no_textual(tmp_path):
    commands = modules_under("briefing.cli")
    assert "briefing.cli.main" in commands and len(commands) >= 3
    assert imported_in_a_fresh_interpreter(tmp_path, commands, ("textual",)) == {}


def test_import_has_no_side_effects(tmp_path):
    """Importing every module creates no file or directory anywhere in HOME."""
    everything = CORE_MODULES + [m for p in CORE_PACKAGES + ["briefing.cli", "briefing.tui"] for m in modules_under(p)]
    code = f"for name in {everything!r}:\n    __import__(name)\n"
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=REPO,
        env={
            "HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
            "XDG_CACHE_HOME": str(tmp_path / "c"),
            "XDG_CONFIG_HOME": str(tmp_path / "k"),
        },
    )
    assert list(tmp_path.iterdir()) == []


# What the dashboard's start imports before the first frame: the CLI, what
# main() imports for its error types, and the dashboard branch of _dispatch.
DASHBOARD_START = [
    "briefing.cli.main",
    "briefing.config",
    "briefing.ingest.files",
    "briefing.store.database",
    "briefing.workspace",
    "briefing.store.snapshot",
    "briefing.tui.app",
]
# Each costs milliseconds of start-up and is needed only by later work
# (benchmarks/README.md, "Start-up"): fetching, parsing feeds and pages,
# the analysis, the refresh, the other commands.
NOT_AT_START = (
    "hashlib",
    "html.parser",
    "argparse",
    "feedparser",
    "httpx",
    "trafilatura",
    "lxml",
    "cssselect",
    "briefing.ingest.fetch",
    "briefing.ingest.feed",
    "briefing.ingest.page_text",
    "briefing.analysis",
    "briefing.refresh",
    "briefing.workers.refresh_worker",
    "briefing.export",
    "briefing.cli.articles",
    "briefing.cli.feeds",
)


def test_the_dashboard_start_loads_no_module_it_does_not_need_yet(tmp_path):
    culprits = imported_in_a_fresh_interpreter(tmp_path, DASHBOARD_START, NOT_AT_START)
    assert culprits == {}, f"loaded before the first frame ({{module: imported by}}): {culprits}"
