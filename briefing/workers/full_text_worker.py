"""One article's full text fetched now (the dashboard's `f`), in a process
of its own.

Fetching the page and, above all, extracting its text are work that holds
the interpreter lock, and the extractor (trafilatura, lxml) and httpx are
kept out of the dashboard's process altogether (its start-up must not grow).
So the child does it all: fetch and extract the page the way a refresh
does (refresh/pages.py, fetch_pages), store its text, analyse that one
article again, and answer with one result. The dashboard then has the
briefing process merge that article's new analysis.

The parent sends (config, store path, article id); the child answers with
("done", ok, words, changed), or ("error", words).

This module imports no `textual`. Imports inside functions: the child loads
the page stage once it has made itself nicer, and the dashboard, which
imports this module at its first `f`, needs none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.config import Config
from briefing.processes import frames, lifeline, spawn
from briefing.text.sanitize import clean_line

# Nicer than the dashboard, as a refresh is: on two busy cores its screen wins.
FULL_TEXT_NICENESS = 5


@dataclass(frozen=True)
class FullTextResult:
    article_id: int
    ok: bool  # the article's text is now its page's
    words: str  # what happened, for the user
    changed: bool = False  # the stored text changed: the briefing is brought up to date


class FullTextProcess:
    """Start with FullTextProcess(config, store_path, article_id); result() waits for it."""

    def __init__(self, config: Config, store_path: Path, article_id: int) -> None:
        self.article_id = article_id
        self.process, self.errors = spawn.start("briefing.workers.full_text_worker:_child_main")
        to_child, self._from_child = spawn.pipes(self.process)
        try:
            frames.send(to_child, (config, Path(store_path), article_id))
            to_child.close()
        except OSError:
            pass  # the child died at once; result() says so

    def result(self) -> FullTextResult:
        """The outcome, once the child has answered or ended."""
        try:
            try:
                kind, *fields = frames.receive(self._from_child)
            except Exception:  # noqa: BLE001 - the end of the pipe, or a cut-off frame: the child stopped
                spawn.wait(self.process)
                return FullTextResult(self.article_id, False, self._death())
            if kind == "done":
                ok, words, changed = fields
                return FullTextResult(self.article_id, ok, words, changed)
            return FullTextResult(self.article_id, False, fields[0])
        finally:
            spawn.wait(self.process)
            self._from_child.close()
            self.errors.close()

    def stop(self) -> None:
        """End the child (the dashboard is closing); what it stored stays."""
        spawn.end(self.process)

    def _death(self) -> str:
        code = self.process.returncode
        if code == -15:  # SIGTERM: stop() asked for it
            return "Fetching the full text was stopped."
        detail = spawn.last_error_line(self.errors)
        return f"Fetching the full text ended unexpectedly (exit status {code}){': ' + detail if detail else ''}."


def _child_main() -> None:
    """The child: fetch, store, analyse, answer; never raises."""
    source, sink = spawn.child_pipes()
    lifeline.be_nicer(FULL_TEXT_NICENESS)
    config, store_path, article_id = frames.receive(source)
    try:
        frames.send(sink, ("done", *fetch_full_text(config, store_path, article_id)))
    except BrokenPipeError:
        return  # the dashboard has gone
    except Exception as exc:  # noqa: BLE001 - reported to the dashboard in words
        frames.send(sink, ("error", clean_line(f"Could not fetch the full text: {exc}")))


def fetch_full_text(config: Config, store_path: Path, article_id: int) -> tuple[bool, str, bool]:
    """Fetch one article's page now, store its text and analyse the article
    again: (ok, what happened in words, whether the stored text changed)."""
    from briefing.refresh.pages import fetch_pages

    report = fetch_pages(config, store_path, [article_id], force=True)
    outcome = next((o for o in report.outcomes if o.article_id == article_id), None)
    if outcome is None:
        return False, "No page to fetch: the article has no http or https link.", False
    if outcome.status != "ok":
        reason = clean_line(outcome.error) or "no reason was given"
        return False, f"The page gave no article text ({reason}); the text it has stays.", False
    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
    from briefing.store.database import Store
    from briefing.workspace import analyse_articles

    with Store(store_path) as store:
        article = store.article(article_id)
        if article is None:  # pruned meanwhile
            return False, "The article is no longer in the cache.", False
        # This one article only: its analysis was made from the feed's text.
        store.put_analyses(ANALYSIS_VERSION, story_fingerprint(config.story), analyse_articles([article], config.story))
    return True, f"Fetched the full text from the page: {len(article.text.split()):,} words.", True
