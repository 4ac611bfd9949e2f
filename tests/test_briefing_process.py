"""The dashboard's briefing assembled in a child process (briefing_process.py),
on a real store: the same briefing as in-process, updates, read marks, and
what happens when the child cannot go on."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timezone

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store, StoreError
from briefing.workers.briefing_worker import BriefingProcess
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import Workspace, seed_store
from tests.helpers.cli import REPO

WHEN = datetime(2025, 2, 6, 12, tzinfo=UTC)


def new_articles(count: int, start: int = 0) -> list[ParsedArticle]:
    return [
        ParsedArticle(
            key=f"late|{n}",
            title=f"Russia and Syria talk about Tartous, update {n}",
            source="Late Desk",
            link=None,
            published=WHEN,
            feed="late",
            text=(
                f"Dmitry Peskov said Russia's talks with Damascus on the Tartous naval base "
                f"continue, update {n} says. Ahmed al-Sharaa has not decided."
            ),
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def seeded(tmp_path):
    config = load_config(REPO / "feeds.toml")
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return config, path


def test_the_child_gives_the_same_briefing_as_this_process(seeded):
    config, path = seeded
    here = Workspace(config, path).load_briefing()
    workspace = DashboardWorkspace(config, path)
    workspace.use_briefing_process()
    try:
        there = workspace.load_briefing()
        assert workspace._child is not None
    finally:
        workspace.close()
    # Identical but for the moment each was made.
    assert there.summary == here.summary
    assert there.actors == here.actors
    assert there.questions == here.questions
    assert there.articles == here.articles
    assert there.timeline == here.timeline


def test_updates_and_read_marks_reach_the_child(seeded):
    config, path = seeded
    workspace = DashboardWorkspace(config, path)
    workspace.use_briefing_process()
    try:
        before = workspace.load_briefing()
        first = before.articles[0].id
        assert not before.articles[0].read
        workspace.read_article(first)  # marks it read in the store, and in the child's builder
        with Store(path) as store:
            counts = store.upsert_articles(new_articles(3), "late")
        after = workspace.update_briefing(counts.changed_ids)
        assert len(after.articles) == len(before.articles) + 3
        assert next(a for a in after.articles if a.id == first).read
        assert {a.source for a in after.articles} >= {"Late Desk"}
    finally:
        workspace.close()


def test_progress_is_reported_while_missing_analyses_are_computed(seeded):
    config, path = seeded
    with Store(path) as store:
        store.upsert_articles(new_articles(600), "late")
    seen = []
    workspace = DashboardWorkspace(config, path)
    workspace.use_briefing_process()
    try:
        workspace.load_briefing(progress=lambda done, total: seen.append((done, total)))
    finally:
        workspace.close()
    assert seen == [(500, 608), (608, 608)]


def test_a_child_that_dies_is_replaced_by_work_here(seeded):
    config, path = seeded
    workspace = DashboardWorkspace(config, path)
    workspace.use_briefing_process()
    child = workspace._child
    os.kill(child.process.pid, signal.SIGKILL)
    child.process.wait()
    briefing = workspace.load_briefing()  # assembled in this process instead
    assert briefing.articles and workspace._child is None


def test_a_store_the_child_cannot_use_is_a_store_error(tmp_path):
    config = load_config(REPO / "feeds.toml")
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    process = BriefingProcess(config, path)
    try:
        data = path.read_bytes()
        page = int.from_bytes(data[16:18], "big")
        path.write_bytes(data[:page] + b"\x5a" * (len(data) - page))  # every page after the first is garbage
        for leftover in tmp_path.glob("store.db-*"):
            leftover.unlink()
        with pytest.raises(StoreError) as raised:
            process.load(None)
        assert "store.db" in str(raised.value) and "\n" not in str(raised.value)
    finally:
        process.stop()


def test_closing_mid_load_ends_the_load_instead_of_doing_it_here(seeded):
    import threading
    import time

    from briefing.workers.briefing_worker import BriefingProcessError

    config, path = seeded
    with Store(path) as store:
        store.upsert_articles(new_articles(1500), "late")  # seconds of analysis in the child
    workspace = DashboardWorkspace(config, path)
    workspace.use_briefing_process()
    outcome = []

    def load() -> None:
        try:
            outcome.append(workspace.load_briefing())
        except BriefingProcessError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    workspace.close()  # the dashboard quits
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 6
    assert isinstance(outcome[0], BriefingProcessError)
    assert workspace._builder is None  # nothing was assembled in this process


def test_the_last_error_line_of_a_closed_file_is_empty():
    # The dashboard closes a child's stderr file as it quits, while a worker
    # thread may still be asking why the child ended.
    import tempfile

    from briefing.processes import spawn

    errors = tempfile.TemporaryFile()
    errors.write(b"Traceback\nOSError: gone\n")
    assert spawn.last_error_line(errors) == "OSError: gone"
    errors.close()
    assert spawn.last_error_line(errors) == ""
