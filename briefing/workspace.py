"""The config and store a command works on, and the briefing made from them.

This is the seam the dashboard and the CLI share: open the config, open (and
on first creation seed) the store, bring the per-article analysis up to date,
and assemble the one Briefing value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from briefing.config import Config, Story, load_config
from briefing.model import Briefing
from briefing.paths import bundled_cache_dir, resolve_config, resolve_store
from briefing.store import Store, utcnow


def open_config(explicit: str | None) -> Config:
    return load_config(resolve_config(explicit))


def open_store(explicit: str | None) -> Store:
    """Open the store; the default one is seeded from the bundled cache/ when
    it is first created, so the dashboard has a story on first launch."""
    path, is_default = resolve_store(explicit)
    store = Store(path)
    if is_default and store.created and store.count_articles() == 0:
        seed_store(store, bundled_cache_dir())
    return store


def seed_store(store: Store, folder: Path) -> int:
    from briefing.importer import read_articles

    articles = []
    for path in sorted(folder.glob("*.json")):
        articles.extend(read_articles(path))
    return store.upsert_articles(articles).new


def analyse_pending(store: Store, story: Story, progress: Callable[[int, int], None] | None = None) -> int:
    """Run the per-article analysis for every article that lacks a current
    one, store it, and return how many were analysed."""
    from briefing.analysis import ANALYSIS_VERSION, analyse_article, story_fingerprint

    fingerprint = story_fingerprint(story)
    have = store.analyses(ANALYSIS_VERSION, fingerprint)
    missing = [a for a in store.articles() if a.id not in have]
    batch: dict[int, dict] = {}
    for done, article in enumerate(missing, 1):
        batch[article.id] = analyse_article(article, story)
        if len(batch) >= 500:
            store.put_analyses(ANALYSIS_VERSION, fingerprint, batch)
            batch = {}
        if progress:
            progress(done, len(missing))
    if batch:
        store.put_analyses(ANALYSIS_VERSION, fingerprint, batch)
    return len(missing)


def assemble(store: Store, story: Story, *, now: datetime | None = None,
             last_viewed: datetime | None = None) -> Briefing:
    from briefing.analysis import ANALYSIS_VERSION, build_briefing, story_fingerprint

    analyse_pending(store, story)
    analyses = store.analyses(ANALYSIS_VERSION, story_fingerprint(story))
    return build_briefing(story, store.articles(), analyses, now=now or utcnow(),
                          last_viewed=last_viewed)


class Workspace:
    """What a client (the dashboard) asks of the core. Safe to call from any
    thread: each call opens its own connection, as SQLite wants."""

    def __init__(self, config: Config, store_path: Path) -> None:
        self.config = config
        self.store_path = store_path
        self.session_last_viewed: datetime | None = None

    def _store(self) -> Store:
        return Store(self.store_path)

    def start_session(self) -> None:
        """Remember when the user last looked, then record that they look now.
        Marks of what is new are against the previous look, for the whole session."""
        with self._store() as store:
            self.session_last_viewed = store.last_viewed(self.config.story.id)
            store.set_last_viewed(self.config.story.id, utcnow())

    def load_briefing(self) -> Briefing:
        with self._store() as store:
            return assemble(store, self.config.story, last_viewed=self.session_last_viewed)

    def read_article(self, article_id: int, mark_read: bool = True):
        with self._store() as store:
            article = store.article(article_id)
            if article is not None and mark_read and not article.read:
                store.mark_read(article_id)
            return article

    def search(self, query: str, limit: int = 100):
        with self._store() as store:
            return store.search(query, limit)
