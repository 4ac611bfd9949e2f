"""What each start that is not the dashboard's first frame imports before
its work: the CLI's commands, and the child processes before they turn to
theirs. Each pins a function-level import that is there for a start-up."""

from __future__ import annotations

from tests.test_architecture import imported_in_a_fresh_interpreter

# Fetching and parsing: only a refresh, and only in the processes that do them.
FETCHING = ("asyncio", "httpx", "briefing.ingest.fetch", "briefing.ingest.tls", "briefing.refresh.parser_pool")
PARSING = ("feedparser", "briefing.ingest.feed", "briefing.text.boilerplate")


def test_the_cli_command_modules_load_no_fetching_parsing_analysis_or_drawing(tmp_path):
    """`briefing feeds`, `opml`, `export`, `import` and `prune` import these
    modules; what they fetch, parse, analyse or draw with loads when used."""
    watch = FETCHING + PARSING + ("briefing.analysis", "briefing.processes.spawn", "rich", "briefing.ingest.opml")
    commands = ["briefing.cli.main", "briefing.cli.articles", "briefing.cli.feeds"]
    assert imported_in_a_fresh_interpreter(tmp_path, commands, watch) == {}


def test_a_parser_process_loads_parsing_and_the_store_only_after_it_starts(tmp_path):
    """Its module's import runs before main() makes it nicer and deaf to
    Ctrl+C; parsing's modules come in the warm-up, the store's at the first store."""
    watch = FETCHING + PARSING + ("sqlite3", "briefing.store")
    start = ["briefing.processes.lifeline", "briefing.refresh.parser_process"]
    assert imported_in_a_fresh_interpreter(tmp_path, start, watch) == {}


def test_the_refresh_process_loads_the_refresh_once_it_is_nicer(tmp_path):
    """The dashboard imports this module too, at its first refresh."""
    watch = FETCHING + PARSING + ("briefing.refresh.run", "briefing.workspace", "briefing.analysis")
    start = ["briefing.processes.lifeline", "briefing.workers.refresh_worker"]
    assert imported_in_a_fresh_interpreter(tmp_path, start, watch) == {}


def test_the_briefing_process_loads_the_analysis_when_it_builds(tmp_path):
    watch = FETCHING + PARSING + ("briefing.analysis", "textual")
    start = ["briefing.processes.lifeline", "briefing.workers.briefing_worker"]
    assert imported_in_a_fresh_interpreter(tmp_path, start, watch) == {}
