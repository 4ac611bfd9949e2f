"""The local store: one SQLite file holding articles, feed health, the
per-article analysis and the user's pins and notes (store/marks.py).

WAL so a reader (the dashboard) and a writer (a refresh) do not block each
other; a busy timeout so two writers queue instead of failing; the schema
versioned with `PRAGMA user_version` and migrated in place. A file that is not
ours, is damaged, or comes from a newer briefing is never written to.

The schema and its migrations are in schema.py, full-text search in
search.py, the conversions between values and columns in values.py,
and what an error means for the user (StoreError) in errors.py;
the names callers use from those (SCHEMA_VERSION, MIGRATIONS, SearchHit, StoreError,
damaged_message, fts_query, to_iso, from_iso, utcnow, content_hash) are imported here too, so
`from briefing.store.database import ...` finds them as before.

Longer than most modules: Store is the one class every query goes
through; its schema, search, conversions and errors are already apart.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import Article, Marks, ParsedArticle, Pin
from briefing.record import record
from briefing.store.errors import StoreError, damaged_message, refuse_if_not_a_file, rollback_quietly, store_error
from briefing.store.lookup import maybe_known_articles, where_ids

# MIGRATIONS and fts_query are not used here: they are imported for the
# callers (tests, benchmarks) that have always found them in briefing.store.database.
from briefing.store.schema import (  # noqa: F401
    MIGRATIONS,
    SCHEMA_VERSION,
    SQLITE_HEADER,
    Connection,
    apply_migrations,
    register_functions,
)
from briefing.store.search import SearchHit, fts_query, search_articles  # noqa: F401
from briefing.store.transaction import BUSY_TIMEOUT_MS, Transaction
from briefing.store.values import (
    article_from_row,
    content_hash,
    decode_analysis,
    encode_analysis,
    from_iso,
    sql_date,
    to_iso,
    utcnow,
)

if TYPE_CHECKING:
    from briefing.store.pages import PageTarget


@record
class FeedState:
    name: str
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    consecutive_failures: int = 0
    retry_after: datetime | None = None
    articles: int = 0


@record
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_ids: tuple[int, ...] = ()


# The store files this process has open, by (device, inode), with how many
# connections: a file already open is not opened again outside SQLite to
# read its header. POSIX drops every lock a process holds on a file when it
# closes any descriptor of it, so that read would take away the locks of
# this process's open connections, and another process could then
# checkpoint or write under a reader of ours and damage the file.
_OPEN_FILES: dict[tuple[int, int], int] = {}
_OPEN_FILES_LOCK = threading.Lock()


class Store:
    """One open store. Not shared between threads: open one per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.created = False
        self._identity: tuple[int, int] | None = None
        with _OPEN_FILES_LOCK:
            # Checked and counted under one lock, so that no other thread's
            # close-and-reopen can read the header while a connection is open.
            self._check_file()
            try:
                self.db = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=Connection
                )
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from None
            self._hold()
        self.db.row_factory = sqlite3.Row
        register_functions(self.db)
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._migrate()
            self.db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            # A damaged file, or a full disk or a folder that cannot be
            # written: each is told as what it is (store/errors.py).
            self.close()
            raise store_error(self.path, exc) from None
        except BaseException:
            # Refused (a newer or foreign file) or interrupted: closed here,
            # not left to the garbage collector, so that SQLite takes away
            # the -wal and -shm files it opened beside the file.
            self.close()
            raise

    # -- opening and migrating ------------------------------------------------

    def _check_file(self) -> None:
        if not refuse_if_not_a_file(self.path):
            self.created = True
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create store directory: {exc.strerror}") from None
            try:
                # Made here, empty (SQLite takes an empty file as a new
                # database), so that it is counted as open from the start.
                self.path.touch()
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create store: {exc.strerror}") from None
            return
        try:
            st = os.stat(self.path)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read store: {exc.strerror}") from None
        if (st.st_dev, st.st_ino) in _OPEN_FILES:
            return  # open here already, so checked: never read outside SQLite while open
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read store: {exc.strerror}") from None
        if header == b"":
            self.created = True  # an empty file: SQLite treats it as a new database
        elif header != SQLITE_HEADER:
            raise StoreError(
                f"{self.path}: not a SQLite database; left untouched. "
                "Pass --cache NEW_FILE (or move this file aside) to start a fresh store"
            )

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            self._refuse(version)
        else:
            # Take the write lock, then look again: another process (the
            # dashboard and a cron refresh on first launch) may have migrated
            # while we waited, and what we read before the lock may be half
            # of its work. All steps run in this one transaction, so a crash
            # leaves the old version whole; a file that is not ours is only
            # read, never written.
            self.db.execute("BEGIN IMMEDIATE")
            try:
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                self._refuse(version)
                apply_migrations(self.db, version)
                self.db.execute("COMMIT")
            except BaseException:
                rollback_quietly(self.db)
                raise
        # WAL lets the dashboard read while a refresh writes. Switching needs a
        # moment alone with the file; if another process holds it, a later
        # open switches instead.
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another process has the file this instant; the next open switches
        self.db.execute("PRAGMA synchronous = NORMAL")

    def _refuse(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} was written by a newer briefing "
                f"(this one knows up to {SCHEMA_VERSION}); left untouched. Upgrade briefing, "
                "or pass --cache NEW_FILE to start a fresh store"
            )
        if version == 0:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if tables:
                raise StoreError(
                    f"{self.path}: a SQLite database that is not a briefing store; left untouched. "
                    "Pass --cache NEW_FILE to start a fresh store"
                )

    def check(self) -> None:
        """A quick look at every page, for a client about to rely on the store."""
        try:
            result = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise store_error(self.path, exc) from None
        if result != "ok":
            raise StoreError(damaged_message(self.path, result))

    def close(self) -> None:
        self.db.close()
        self._release()

    def _hold(self) -> None:
        """Count this connection's file as open (the lock is held)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return
        self._identity = (st.st_dev, st.st_ino)
        _OPEN_FILES[self._identity] = _OPEN_FILES.get(self._identity, 0) + 1

    def _release(self) -> None:
        identity, self._identity = self._identity, None
        if identity is None:
            return
        with _OPEN_FILES_LOCK:
            left = _OPEN_FILES.get(identity, 1) - 1
            if left > 0:
                _OPEN_FILES[identity] = left
            else:
                _OPEN_FILES.pop(identity, None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self, wait: bool = True):
        """BEGIN IMMEDIATE ... COMMIT (store/transaction.py, Transaction); with
        wait=False, LockBusy at once if another writer holds the lock."""
        return Transaction(self.db, wait)

    # -- articles --------------------------------------------------------------

    def upsert_articles(
        self, articles: Iterable[ParsedArticle], feed: str | None = None, *, from_pages: bool = False
    ) -> UpsertCounts:
        """Store a batch in one transaction. A known article (same key, or same
        link under another key) is updated in place, keeping its first-seen time.
        `from_pages`: the texts were read from the articles' web pages just now
        (text_source 'page', the page fetched for this version)."""
        now = to_iso(utcnow())
        new = updated = unchanged = 0
        changed: list[int] = []
        articles = list(articles)
        with self.transaction():
            maybe_known = maybe_known_articles(self.db, articles, feed)
            for article in articles:
                published = to_iso(article.published)
                digest = content_hash(article, published)
                row = None
                article_feed = feed if feed is not None else article.feed
                if article.key in maybe_known or (article_feed, article.link) in maybe_known:
                    row = self.db.execute(
                        "SELECT id, content_hash FROM articles WHERE key = ?", (article.key,)
                    ).fetchone()
                    if row is None and article.link:
                        # An imported article (no feed) is one outlet's copy:
                        # the same link from another outlet is another copy.
                        row = self.db.execute(
                            "SELECT id, content_hash FROM articles WHERE link = ? AND feed IS ?"
                            " AND (feed IS NOT NULL OR source = ?) LIMIT 1",
                            (article.link, article_feed, article.source),
                        ).fetchone()
                values = (
                    article.key,
                    feed or article.feed,
                    article.source,
                    article.title,
                    article.link,
                    published,
                    article.author,
                    article.text,
                    digest,
                    "page" if from_pages else "feed" if article_feed is not None else "file",
                    "ok" if from_pages else None,
                    now if from_pages else None,
                    digest if from_pages else None,
                )
                if row is None:
                    cursor = self.db.execute(
                        "INSERT INTO articles (key, feed, source, title, link, published, author, text,"
                        " content_hash, text_source, page_status, page_fetched, page_hash, first_seen, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, now, now),
                    )
                    new += 1
                    assert cursor.lastrowid is not None  # an INSERT just made the row
                    changed.append(cursor.lastrowid)
                elif row["content_hash"] != digest:
                    self.db.execute(
                        # A changed article starts again from the new text: its
                        # page, if it had one, is fetched again.
                        "UPDATE articles SET key = ?, feed = ?, source = ?, title = ?, link = ?,"
                        " published = ?, author = ?, text = ?, content_hash = ?, text_source = ?,"
                        " page_status = ?, page_fetched = ?, page_hash = ?,"
                        " summary = NULL, page_error = NULL, updated_at = ? WHERE id = ?",
                        (*values, now, row["id"]),
                    )
                    self.db.execute("DELETE FROM analyses WHERE article_id = ?", (row["id"],))
                    updated += 1
                    changed.append(row["id"])
                else:
                    unchanged += 1
            if changed:
                self._bump_generation()
        return UpsertCounts(new, updated, unchanged, tuple(changed))

    def rename_keys(self, renames: Iterable[tuple[str, str, str]]) -> int:
        """(old key, new key, source): the row stored under the old key for
        that source takes the new key, unless the new key is already taken.
        Lets a change in how keys are made find the rows stored before it."""
        renamed = 0
        with self.transaction():
            for old, new, source in renames:
                renamed += self.db.execute(
                    "UPDATE articles SET key = ? WHERE key = ? AND source = ?"
                    " AND NOT EXISTS (SELECT 1 FROM articles WHERE key = ?)",
                    (new, old, source, new),
                ).rowcount
        return renamed

    def _bump_generation(self) -> None:
        """Count changes to the articles, so a snapshot knows when it is stale."""
        self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def article_ids(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def article_ids_newest_first(self) -> list[int]:
        """Every article's id in the order articles() gives them: ids only,
        so that a caller can read a long list a batch at a time."""
        return [
            row[0]
            for row in self.db.execute("SELECT id FROM articles ORDER BY coalesce(published, first_seen) DESC, id DESC")
        ]

    def changed_since(self, since: datetime) -> list[int]:
        """Articles inserted or updated at or after `since`, whoever wrote them."""
        return [row[0] for row in self.db.execute("SELECT id FROM articles WHERE updated_at >= ?", (to_iso(since),))]

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def articles(self, ids: Sequence[int] | None = None, limit: int | None = None) -> list[Article]:
        """Articles newest first (by published date, else first seen)."""
        if ids is not None and not ids:
            return []
        where, params = where_ids(ids)
        sql = "SELECT * FROM articles" + where + " ORDER BY coalesce(published, first_seen) DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [article_from_row(row) for row in self.db.execute(sql, params)]

    def article_metas(self, ids: Sequence[int] | None = None) -> list[Article]:
        """Articles without their text (empty string): what the briefing
        needs for every article, at a fraction of the memory."""
        if ids is not None and not ids:
            return []
        where, params = where_ids(ids)
        sql = (
            "SELECT id, key, title, source, link, published, first_seen, '' AS text, author, feed, read,"
            " text_source, NULL AS summary, page_status, page_error, page_fetched"
            " FROM articles" + where
        )
        return [article_from_row(row) for row in self.db.execute(sql, params)]

    def titles_links(self, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """(title, link) by article id: what a builder that let go of old
        rows' titles reads back when it shows one."""
        if not ids:
            return {}
        where, params = where_ids(ids)
        return {
            row[0]: (row[1], row[2]) for row in self.db.execute("SELECT id, title, link FROM articles" + where, params)
        }

    def article(self, article_id: int) -> Article | None:
        found = self.articles([article_id])
        return found[0] if found else None

    # -- article pages -------------------------------------------------------------

    def page_targets(self, ids: Sequence[int], max_chars: int | None = None) -> list[PageTarget]:
        """Those of these articles with an http(s) link (store/pages.py)."""
        return _pages().page_targets(self.db, ids, max_chars)

    def failed_pages(self, feeds: Sequence[str], tried_before: datetime, seen_since: datetime) -> list[int]:
        """The failed pages worth one more try (store/pages.py)."""
        return _pages().failed_pages(self.db, feeds, tried_before, seen_since)

    def store_page(self, article_id: int, content_hash: str, text: str) -> bool:
        """The article's page text becomes its text (text_source 'page'); the
        text it replaces is kept as the summary, unless that was an earlier
        page's. Its analysis is dropped, to be made again from the new text.
        False, and nothing written, when the article is gone or has changed
        since `content_hash` (the page then belongs to an older version)."""
        now = to_iso(utcnow())
        with self.transaction():
            updated = self.db.execute(
                "UPDATE articles SET summary = CASE WHEN text_source = 'page' THEN summary ELSE text END,"
                " text = ?, text_source = 'page', page_status = 'ok', page_error = NULL,"
                " page_fetched = ?, page_hash = content_hash, updated_at = ?"
                " WHERE id = ? AND content_hash = ?",
                (text, now, now, article_id, content_hash),
            ).rowcount
            if updated:
                self.db.execute("DELETE FROM analyses WHERE article_id = ?", (article_id,))
                self._bump_generation()
        return bool(updated)

    def store_page_failure(self, article_id: int, content_hash: str, error: str) -> bool:
        """Why the article's page gave no text, in words; its text stays as
        it is. False when the article is gone or has changed since."""
        now = to_iso(utcnow())
        with self.transaction():
            updated = self.db.execute(
                "UPDATE articles SET page_status = 'failed', page_error = ?, page_fetched = ?,"
                " page_hash = content_hash WHERE id = ? AND content_hash = ?",
                (error, now, article_id, content_hash),
            ).rowcount
        return bool(updated)

    def prune(self, cutoff: datetime, keep: set[int]) -> int:
        """Delete articles dated before cutoff except those in keep and those
        the user pinned or wrote a note on, then give the space back to the
        file system. cutoff must be in the store's range."""
        with self.transaction():
            # Read the schema now that we hold the lock: after another
            # connection's VACUUM (a second prune), SQLite 3.40 fails the
            # DELETE below with 'no such table: articles' while it re-reads
            # the schema for the foreign key; read first, the DELETE works.
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep_ids (id INTEGER PRIMARY KEY)")
            self.db.execute("DELETE FROM keep_ids")
            self.db.executemany("INSERT INTO keep_ids (id) VALUES (?)", [(i,) for i in keep])
            # An unreadable published date is an unknown one, so the row goes
            # by when it was first seen, as an undated row does; a row with no
            # readable date at all is taken as old.
            removed = self.db.execute(
                f"DELETE FROM articles WHERE coalesce({sql_date('published')}, {sql_date('first_seen')}, '')"
                " < ? AND id NOT IN (SELECT id FROM keep_ids)"
                # The user's pins and notes keep their articles, read under
                # this lock so that one made a moment ago counts.
                f" AND id NOT IN ({_marks().MARKED_ARTICLES})",
                (to_iso(cutoff),),
            ).rowcount
            if removed:
                self._bump_generation()
        if removed:
            self.db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def mark_read(self, article_id: int, read: bool = True) -> None:
        self.db.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark these articles read (or unread) in one transaction; how many changed."""
        if not ids:
            return 0
        with self.transaction():
            where, params = where_ids(ids)
            sql = "UPDATE articles SET read = ?" + where + " AND read != ?"
            return self.db.execute(sql, [int(read), *params, int(read)]).rowcount

    def mark_all_read(self) -> int:
        """Mark every article read; how many were unread."""
        with self.transaction():
            return self.db.execute("UPDATE articles SET read = 1 WHERE read = 0").rowcount

    def unread_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles WHERE read = 0").fetchone()[0]

    def search(
        self, query: str, limit: int | None = 50, *, newest_first: bool = False, snippets: bool = True
    ) -> list[SearchHit]:
        """Full-text search (store/search_query.py reads the query; raises
        SearchSyntaxError with the reason). Words match whole words, folded
        as the actor matcher folds them; FTS5 syntax in them is never read.

        Articles with the terms in the title come first, then the others,
        each latest stored first; with newest_first, every match by date."""
        return search_articles(self.db, query, limit, newest_first=newest_first, snippets=snippets)

    # -- the user's pins and notes (store/marks.py) -------------------------------

    def marks(self) -> Marks:
        return _marks().read_marks(self.db)

    def pin(self, line: Pin) -> int:
        return _marks().pin(self.db, line)

    def toggle_pin(self, line: Pin) -> str:
        return _marks().toggle_pin(self.db, line)

    def unpin(self, pin_id: int) -> None:
        _marks().unpin(self.db, pin_id)

    def set_note(self, line: Pin, text: str) -> None:
        _marks().set_note(self.db, line, text)

    # -- per-article analysis ----------------------------------------------------

    def analyses(
        self, version: int, fingerprint: str, min_relevance: float | None = None, ids: Sequence[int] | None = None
    ) -> dict[int, dict]:
        """Stored per-article results. With `min_relevance`, only articles at
        or above it come back whole; the others come back as light results
        ({"v", "fp", "rel"}) without being decompressed or decoded."""
        where = "version = ? AND fingerprint = ?"
        params: list = [version, fingerprint]
        if ids is not None:
            if not ids:
                return {}
            where += f" AND article_id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        results: dict[int, dict] = {}
        if min_relevance is None:
            rows = self.db.execute(f"SELECT article_id, data FROM analyses WHERE {where}", params)
            return {aid: decode_analysis(data) for aid, data in rows}
        for aid, relevance, data in self.db.execute(
            f"SELECT article_id, relevance, CASE WHEN relevance >= ? THEN data END FROM analyses WHERE {where}",
            [min_relevance, *params],
        ):
            results[aid] = (
                decode_analysis(data) if data is not None else {"v": version, "fp": fingerprint, "rel": relevance}
            )
        return results

    def relevances(self, version: int, fingerprint: str, ids: Sequence[int]) -> dict[int, float]:
        """The stored relevance of these articles' current analyses (the
        value the briefing's rows are judged by), without decoding them."""
        if not ids:
            return {}
        rows = self.db.execute(
            "SELECT article_id, relevance FROM analyses WHERE version = ? AND fingerprint = ?"
            f" AND article_id IN ({','.join('?' * len(ids))})",
            [version, fingerprint, *ids],
        )
        return {aid: relevance for aid, relevance in rows}

    def analysed_ids(self, version: int, fingerprint: str) -> set[int]:
        rows = self.db.execute(
            "SELECT article_id FROM analyses WHERE version = ? AND fingerprint = ?", (version, fingerprint)
        )
        return {row[0] for row in rows}

    def put_analyses(self, version: int, fingerprint: str, results: dict[int, dict]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO analyses (article_id, version, fingerprint, relevance, data)"
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
                [
                    (aid, version, fingerprint, float(data.get("rel", 0.0)), encode_analysis(data), aid)
                    for aid, data in results.items()
                ],
            )

    # -- the last briefing, to paint before recomputing ----------------------------

    def snapshot(self, story_id: str) -> tuple[int, str, bytes] | None:
        """(generation, fingerprint, data) of the last saved briefing."""
        row = self.db.execute(
            "SELECT generation, fingerprint, data FROM snapshots WHERE story_id = ?", (story_id,)
        ).fetchone()
        return (row[0], row[1], zlib.decompress(row[2])) if row else None

    def save_snapshot(self, story_id: str, generation: int, fingerprint: str, data: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO snapshots (story_id, generation, fingerprint, data) VALUES (?, ?, ?, ?)",
            (story_id, generation, fingerprint, zlib.compress(data, 6)),
        )

    # -- feeds -------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        counts = dict(self.db.execute("SELECT feed, count(*) FROM articles GROUP BY feed").fetchall())
        states = {}
        for row in self.db.execute("SELECT * FROM feeds"):
            states[row["name"]] = FeedState(
                name=row["name"],
                url=row["url"],
                etag=row["etag"],
                last_modified=row["last_modified"],
                last_status=row["last_status"],
                last_error=row["last_error"],
                last_attempt=from_iso(row["last_attempt"]),
                last_success=from_iso(row["last_success"]),
                consecutive_failures=row["consecutive_failures"],
                retry_after=from_iso(row["retry_after"]),
                articles=counts.get(row["name"], 0),
            )
        return states

    def record_feed(
        self,
        name: str,
        url: str,
        *,
        status: str,
        ok: bool,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        retry_after: datetime | None = None,
        keep_validators: bool = False,
    ) -> None:
        """Remember how a fetch went. `keep_validators` keeps the stored
        ETag/Last-Modified (a 304 or a failure does not replace them)."""
        now = to_iso(utcnow())
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO feeds (name) VALUES (?)", (name,))
            self.db.execute(
                "UPDATE feeds SET url = ?, last_status = ?, last_error = ?, last_attempt = ?,"
                " retry_after = ?,"
                " consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures + 1 END,"
                " last_success = CASE WHEN ? THEN ? ELSE last_success END"
                " WHERE name = ?",
                (url, status, error, now, to_iso(retry_after), ok, ok, now, name),
            )
            if not keep_validators:
                self.db.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ? WHERE name = ?",
                    (etag, last_modified, name),
                )

    # -- meta --------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def last_viewed(self, story_id: str) -> datetime | None:
        return from_iso(self.get_meta(f"last_viewed:{story_id}"))

    def set_last_viewed(self, story_id: str, when: datetime) -> None:
        self.set_meta(f"last_viewed:{story_id}", to_iso(when))


def _marks():
    """store/marks.py, imported at the first pin or prune: the dashboard's
    first frame needs none of it."""
    from briefing.store import marks

    return marks


def _pages():
    """store/pages.py, imported when a refresh looks for pages."""
    from briefing.store import pages

    return pages
