"""The config and store a command works on, and the briefing made from them.

This is the seam the dashboard and the CLI share: open the config, open (and
on first creation seed) the store, bring the per-article analysis up to date,
and assemble the one Briefing value.

Imports inside functions: the analysis loads when first needed, never at the
dashboard's start-up, and processes/spawn only in the briefing process, not
for the CLI's commands.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.config import Config, Story, load_config
from briefing.ingest.files import read_articles
from briefing.model import Article, Briefing, Marks, Pin
from briefing.paths import bundled_cache_dir, resolve_config, resolve_store
from briefing.store.database import Store, StoreError, utcnow
from briefing.store.snapshot import decode, encode

if TYPE_CHECKING:
    from briefing.analysis import BriefingBuilder

# The dashboard's feed pane shows the newest this many articles; search reaches the rest.
FEED_ROWS = 1000
# The session's builder keeps the titles and links of this many newest rows;
# older ones (shown only after newer ones are pruned) are read back from the store.
KEEP_TITLES = 2 * FEED_ROWS
# While loading, older rows' titles are let go every this many chunks, not
# every chunk: each pass looks at every row held.
FORGET_EVERY_CHUNKS = 8
ANALYSE_BATCH = 500
LOAD_CHUNK = 2000


def open_config(explicit: str | None) -> Config:
    return load_config(resolve_config(explicit))


def open_store(explicit: str | None, *, create: bool = False) -> Store:
    """Open the store. Only what brings articles (the dashboard, refresh,
    import) passes create=True; any other command refuses a path with no
    store there, naming it, and creates nothing: a mistyped --cache must not
    become an empty store read as an empty story. The default store is
    seeded from the bundled cache/ when it is first created, so the
    dashboard has a story on first launch."""
    path, is_default = resolve_store(explicit)
    if not create and not path.exists():
        raise StoreError(
            f"{path}: no store there (nothing was created). Check the path given by --cache or "
            "$BRIEFING_CACHE, or make the store first: open the dashboard, or run briefing refresh "
            "or briefing import FILE"
        )
    store = Store(path)
    if is_default and store.created and store.count_articles() == 0:
        seed_store(store, bundled_cache_dir())
    return store


# Below this size the dashboard checks the whole store before its screen
# starts (tens of ms, run while the screen's code is imported); a bigger store
# is not read page by page at every start (seconds): damage there shows when
# the briefing loads, and ends the dashboard with the same one-line error.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


def open_store_for_dashboard(explicit: str | None) -> tuple[Path, Callable[[], None]]:
    """Open (and on first use seed) the store, and start checking it on a
    thread: SQLite reads the pages without holding the interpreter lock, so
    the check costs nothing while the dashboard's modules are imported.
    Returns the store's path and a function that waits for the check and
    raises what it found (StoreError, sqlite3.DatabaseError)."""
    with open_store(explicit, create=True) as store:
        path = store.path
    if path.stat().st_size > QUICK_CHECK_MAX_BYTES:
        return path, lambda: None
    found: list[BaseException] = []

    def check() -> None:
        try:
            with Store(path) as own:  # a connection of the thread's own
                own.check()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by wait()
            found.append(exc)

    thread = threading.Thread(target=check, name="store-check", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if found:
            raise found[0]

    return path, wait


def seed_store(store: Store, folder: Path) -> int:
    articles = []
    for path in sorted(folder.glob("*.json")):
        articles.extend(read_articles(path))
    return store.upsert_articles(articles).new


def analyse_articles(articles: Iterable[Article], story: Story) -> dict[int, dict]:
    from briefing.analysis import analyse_article

    return {article.id: analyse_article(article, story) for article in articles}


def analyse_pending(store: Store, story: Story, progress: Callable[[int, int], None] | None = None) -> int:
    """Run the per-article analysis for every article that lacks a current
    one, store it, and return how many were analysed. Texts are read a batch
    at a time, never all at once."""
    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint

    fingerprint = story_fingerprint(story)
    have = store.analysed_ids(ANALYSIS_VERSION, fingerprint)
    missing = [aid for aid in store.article_ids() if aid not in have]
    for start in range(0, len(missing), ANALYSE_BATCH):
        batch = store.articles(missing[start : start + ANALYSE_BATCH])
        store.put_analyses(ANALYSIS_VERSION, fingerprint, analyse_articles(batch, story))
        if progress:
            progress(min(start + ANALYSE_BATCH, len(missing)), len(missing))
    return len(missing)


# Articles read at a time by listed_articles: their texts are all it holds.
LIST_BATCH = 200


def listed_articles(store: Store, story: Story, with_text: bool = True) -> Iterator[tuple[Article, float, bool]]:
    """Every stored article, newest first, with its relevance to the story
    and whether the briefing counts it as relevant (the same stored
    analysis and threshold the briefing's rows use; what lacks a current
    analysis is analysed first, as for the briefing). Read LIST_BATCH
    articles at a time, so a large store's texts are never held at once;
    without with_text, their texts and summaries are not read at all."""
    from briefing.analysis import ANALYSIS_VERSION, RELEVANCE_THRESHOLD, story_fingerprint

    analyse_pending(store, story)
    fingerprint = story_fingerprint(story)
    ids = store.article_ids_newest_first()
    for start in range(0, len(ids), LIST_BATCH):
        chunk = ids[start : start + LIST_BATCH]
        relevances = store.relevances(ANALYSIS_VERSION, fingerprint, chunk)
        found = {article.id: article for article in (store.articles if with_text else store.article_metas)(chunk)}
        for article_id in chunk:
            article = found.get(article_id)
            if article is not None:  # None: pruned since the ids were read
                relevance = relevances.get(article_id, 0.0)
                yield article, relevance, relevance >= RELEVANCE_THRESHOLD


def new_builder(
    store: Store, story: Story, progress: Callable[[int, int], None] | None = None, keep_titles: int | None = None
) -> BriefingBuilder:
    """A BriefingBuilder holding every stored article: whole analyses for the
    relevant ones, only the relevance for the rest. Fed LOAD_CHUNK articles at
    a time, so that only one chunk's rows and decoded analyses are held at
    once besides the builder's own compact state (benchmarks/README.md, "Memory").
    With keep_titles, it holds the titles and links of that many newest rows
    only, letting older ones go as it loads (read back from this store's
    file when shown)."""
    from briefing.analysis import ANALYSIS_VERSION, RELEVANCE_THRESHOLD, BriefingBuilder, story_fingerprint

    analyse_pending(store, story, progress)
    builder = BriefingBuilder(story)
    fingerprint = story_fingerprint(story)
    ids = store.article_ids()
    path = store.path

    def titles_from(article_ids: list[int]) -> dict[int, tuple[str, str | None]]:
        with Store(path) as own:
            return own.titles_links(article_ids)

    for number, start in enumerate(range(0, len(ids), LOAD_CHUNK), 1):
        chunk = ids[start : start + LOAD_CHUNK]
        analyses = store.analyses(ANALYSIS_VERSION, fingerprint, min_relevance=RELEVANCE_THRESHOLD, ids=chunk)
        builder.add(store.article_metas(chunk), analyses)
        del analyses
        if keep_titles is not None and number % FORGET_EVERY_CHUNKS == 0:
            builder.forget_titles(keep_titles, titles_from)
    if keep_titles is not None:
        builder.forget_titles(keep_titles, titles_from)
    return builder


def assemble(
    store: Store,
    story: Story,
    *,
    now: datetime | None = None,
    last_viewed: datetime | None = None,
    article_limit: int | None = None,
) -> Briefing:
    return new_builder(store, story).build(now=now or utcnow(), last_viewed=last_viewed, article_limit=article_limit)


def story_key(story: Story) -> str:
    """What a saved briefing depends on in the config (cheap: no analysis
    import, and zlib's two checksums rather than hashlib, whose OpenSSL
    import costs the dashboard's start-up a few ms). A collision would only
    show the last session's briefing until this session's replaces it."""
    raw = repr(story).encode()
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"


class Workspace:
    """What the dashboard asks of the core. Safe to call from any thread: each
    call opens its own connection, as SQLite wants; the in-memory builder is
    guarded by a lock."""

    def __init__(self, config: Config, store_path: Path) -> None:
        self.config = config
        self.store_path = store_path
        self.session_last_viewed: datetime | None = None
        self._builder: BriefingBuilder | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Nothing to end here; the dashboard's workspace ends its child."""

    def use_config(self, config: Config) -> None:
        """Follow an edited story file: the next load builds the briefing
        from scratch for the new story."""
        with self._lock:
            self.config = config
            self._builder = None

    def _store(self) -> Store:
        return Store(self.store_path)

    def start_session(self) -> None:
        """Remember when the user last looked, then record that they look now.
        Marks of what is new are against the previous look, for the whole session."""
        with self._store() as store:
            self.session_last_viewed = store.last_viewed(self.config.story.id)
            store.set_last_viewed(self.config.story.id, utcnow())

    def cached_briefing(self) -> Briefing | None:
        """The briefing saved by the last session, if it was made from this
        story file: shown at once while the real one is computed."""
        try:
            with self._store() as store:
                saved = store.snapshot(self.config.story.id)
        except (sqlite3.DatabaseError, zlib.error):
            # A damaged store: the full load that follows reports it properly.
            return None
        if saved is None or saved[1] != story_key(self.config.story):
            return None
        try:
            # The newest feed rows only: the first frame shows no more, and
            # the full briefing replaces this one as soon as it is made.
            return decode(saved[2], head_only=True)
        except ValueError:
            return None

    def load_briefing(self, progress: Callable[[int, int], None] | None = None) -> Briefing:
        """Compute the briefing from the store, keep the builder for updates,
        and save the result for the next start. `progress(done, total)` is
        called while missing analyses are computed."""
        return self._load(progress)[0]

    def update_briefing(self, changed_ids: Sequence[int]) -> Briefing:
        """Bring the briefing up to date after a refresh: only the changed
        articles are analysed (when not already) and merged in."""
        return self._update(changed_ids)[0]

    # What the briefing process answers with: the briefing as its snapshot JSON.

    def load_briefing_encoded(self, progress: Callable[[int, int], None] | None = None) -> bytes:
        return self._load(progress)[1]

    def update_briefing_encoded(self, changed_ids: Sequence[int]) -> bytes:
        return self._update(changed_ids)[1]

    def builder_read(self, article_id: int, read: bool = True) -> None:
        """The article was marked read (or unread) in the store: the builder's row follows."""
        if self._builder is not None:
            with self._lock:
                self._builder.mark_read(article_id, read)

    def builder_read_all(self) -> None:
        """Every article was marked read in the store: the builder's rows follow."""
        if self._builder is not None:
            with self._lock:
                self._builder.mark_all_read()

    def _load(self, progress: Callable[[int, int], None] | None) -> tuple[Briefing, bytes]:
        with self._lock, self._store() as store:
            self._builder = new_builder(store, self.config.story, progress, keep_titles=KEEP_TITLES)
            # What loading decoded and dropped goes back to the system before
            # the briefing is assembled on top of it (the briefing process's
            # peak, benchmarks/README.md, "Memory").
            from briefing.processes.spawn import give_back_freed_memory

            give_back_freed_memory()
            return self._build(store, self._builder)

    def _update(self, changed_ids: Sequence[int]) -> tuple[Briefing, bytes]:
        if self._builder is None:
            return self._load(None)
        from briefing.analysis import ANALYSIS_VERSION, story_fingerprint

        story = self.config.story
        # In id order: new articles then join the syndication buckets at
        # their ends. Fed in the order feeds finished, each one landed
        # between others and re-formed its whole cluster: 10,000 near-copies
        # took minutes instead of about two seconds.
        changed = sorted(set(changed_ids))
        with self._lock, self._store() as store:
            fingerprint = story_fingerprint(story)
            # A batch at a time: a refresh can bring 10,000 articles, and their
            # texts and whole analyses need not all be held at once.
            for start in range(0, len(changed), ANALYSE_BATCH):
                chunk = changed[start : start + ANALYSE_BATCH]
                analyses = store.analyses(ANALYSIS_VERSION, fingerprint, ids=chunk)
                missing = [aid for aid in chunk if aid not in analyses]
                if missing:
                    fresh = analyse_articles(store.articles(missing), story)
                    store.put_analyses(ANALYSIS_VERSION, fingerprint, fresh)
                    analyses.update(fresh)
                self._builder.add(store.article_metas(chunk), analyses)
                del analyses
            return self._build(store, self._builder)

    def _build(self, store: Store, builder: BriefingBuilder) -> tuple[Briefing, bytes]:
        generation = store.generation()
        briefing = builder.build(now=utcnow(), last_viewed=self.session_last_viewed, article_limit=FEED_ROWS)
        encoded = encode(briefing)
        store.save_snapshot(self.config.story.id, generation, story_key(self.config.story), encoded)
        return briefing, encoded

    def changed_since(self, since: datetime) -> list[int]:
        """The articles stored or changed since then, by any process."""
        with self._store() as store:
            return store.changed_since(since)

    def read_article(self, article_id: int, mark_read: bool = True) -> Article | None:
        with self._store() as store:
            article = store.article(article_id)
            if article is not None and mark_read and not article.read:
                store.mark_read(article_id)
                self.builder_read(article_id)
            return article

    def set_read(self, article_ids: Sequence[int], read: bool = True) -> int:
        """Mark articles read or unread; the store's unread count after it.
        Waits for the store's write lock: call it off the screen's thread."""
        with self._store() as store:
            store.set_read(article_ids, read)
            for article_id in article_ids:
                self.builder_read(article_id, read)
            return store.unread_count()

    def mark_all_read(self) -> int:
        """Mark every article read; the store's unread count after it (an
        article a refresh stores meanwhile stays unread)."""
        with self._store() as store:
            store.mark_all_read()
            self.builder_read_all()
            return store.unread_count()

    def read_article_counting(self, article_id: int) -> tuple[Article | None, int | None]:
        """read_article, and the unread count after it when it was unread
        (None when nothing changed), on the one connection. The builder is
        not told: the caller does that (builder_read) once the article is
        shown, since the briefing process may be busy with a whole load."""
        with self._store() as store:
            article = store.article(article_id)
            if article is None or article.read:
                return article, None
            store.mark_read(article_id)
            return article, store.unread_count()

    def watch_generation(self, stop: threading.Event, every: float, seen: Callable[[int], None]) -> None:
        """Call seen(generation) at once, then every `every` seconds until
        stop is set, on one connection kept for the watch: a read of one row,
        which in WAL never waits for a writer. A read that fails (the file
        busy being replaced, a full disk) is skipped; the next one tries again."""
        store: Store | None = None
        try:
            first = True
            while first or not stop.wait(every):
                first = False
                try:
                    if store is None:
                        store = self._store()
                    seen(store.generation())
                except (sqlite3.Error, OSError, StoreError):
                    if store is not None:
                        store.close()
                    store = None
        finally:
            if store is not None:
                store.close()

    def search(self, query: str, limit: int = 100):
        with self._store() as store:
            return store.search(query, limit)

    # The user's pins and notes: written straight to the store (one short
    # transaction each), never through the briefing, which they are no part of.

    def marks(self) -> Marks:
        with self._store() as store:
            return store.marks()

    def toggle_pin(self, line: Pin) -> tuple[str, Marks]:
        """Pin the line or unpin it ("pinned", "unpinned", or "kept" when
        its note holds it), and every mark as it now is."""
        with self._store() as store:
            return store.toggle_pin(line), store.marks()

    def set_note(self, line: Pin, text: str) -> Marks:
        """The note on an article or a line (pinning the line); empty text deletes it."""
        with self._store() as store:
            store.set_note(line, text)
            return store.marks()
