"""What a briefing store file is: the SQLite header it starts with, the schema
version it is at, and the migrations that bring an older file up to that
version.

The migration scripts are applied to users' existing files, so a shipped one
is never edited: a change to the schema is a new entry at the end.
"""

from __future__ import annotations

import signal
import sqlite3
import threading

from briefing.text.fold import fold

SCHEMA_VERSION = 5
SQLITE_HEADER = b"SQLite format 3\x00"


# Each entry moves the schema from version i to i + 1. Never edit a shipped
# entry: add a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE feeds (
        name TEXT PRIMARY KEY,
        url TEXT,
        etag TEXT,
        last_modified TEXT,
        last_status TEXT,
        last_error TEXT,
        last_attempt TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        retry_after TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        feed TEXT,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        link TEXT,
        published TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        author TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_link ON articles(link);
    CREATE INDEX articles_feed ON articles(feed);
    CREATE INDEX articles_when ON articles(coalesce(published, first_seen));
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # v2: analyses are derived data, so they are dropped and recomputed: they
    # now keep the relevance in a column (the dashboard loads full results for
    # relevant articles only) and their JSON zlib-compressed. The full-text
    # index keeps columns but not positions (we never run phrase queries),
    # which makes it a fraction of the size. A snapshot of the last briefing
    # lets the dashboard paint before it recomputes anything.
    """
    DROP TABLE analyses;
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        relevance REAL NOT NULL,
        data BLOB NOT NULL
    );
    CREATE INDEX analyses_relevance ON analyses(relevance);
    DROP TRIGGER articles_ai;
    DROP TRIGGER articles_ad;
    DROP TRIGGER articles_au;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', detail='column'
    );
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TABLE snapshots (
        story_id TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        data BLOB NOT NULL
    );
    INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', '0');
    """,
    # v3: full article text. `text` is what the briefing reads: the feed's
    # text, a file's, or the article's page once fetched (`text_source`);
    # `summary` keeps the feed's own text when the page replaced it. The
    # page columns say how the last attempt went (`page_status` 'ok' or
    # 'failed', `page_error` why, in words) and for which feed version
    # (`page_hash`, the content_hash then), so a page is fetched once
    # unless the article changes. Rows with no feed came from files.
    """
    ALTER TABLE articles ADD COLUMN summary TEXT;
    ALTER TABLE articles ADD COLUMN text_source TEXT NOT NULL DEFAULT 'feed';
    ALTER TABLE articles ADD COLUMN page_status TEXT;
    ALTER TABLE articles ADD COLUMN page_error TEXT;
    ALTER TABLE articles ADD COLUMN page_fetched TEXT;
    ALTER TABLE articles ADD COLUMN page_hash TEXT;
    UPDATE articles SET text_source = 'file' WHERE feed IS NULL;
    """,
    # v4: the analyst's own marks. A pin keeps the line as it was shown
    # (text, source, context such as the question or the speaker), so it
    # outlives re-analysis and changes to the article's text; it names its
    # article by id without a foreign key, so that nothing done to the
    # articles ever deletes one. An article is pinned once, whatever its
    # title becomes; a line once per kind, article and context. A note is
    # on an article or on a pin, one each, and goes with its pin.
    """
    CREATE TABLE pins (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('summary', 'evidence', 'quote', 'mention', 'timeline', 'article')),
        article_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL
    );
    CREATE UNIQUE INDEX pins_line ON pins(kind, article_id, text, context) WHERE kind <> 'article';
    CREATE UNIQUE INDEX pins_article ON pins(article_id) WHERE kind = 'article';
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER UNIQUE,
        pin_id INTEGER UNIQUE REFERENCES pins(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        CHECK ((article_id IS NULL) <> (pin_id IS NULL))
    );
    """,
    # v5: search folds as the actor matcher does. The index holds titles and
    # texts folded by text/fold.py (the briefing_fold function each
    # connection registers), which unicode61 alone does not do (ø, ß, ı,
    # æ): "Ostkai" finds "Østkai". Contentless, since the folded values are
    # not the articles' own (a hit's text is read from articles); a row is
    # taken out with the folded values it went in with, so the fold must
    # never change without a migration that rebuilds this index.
    """
    DROP TRIGGER articles_ai;
    DROP TRIGGER articles_ad;
    DROP TRIGGER articles_au;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='',
        tokenize='unicode61 remove_diacritics 2', detail='column'
    );
    INSERT INTO articles_fts(rowid, title, text)
        SELECT id, briefing_fold(title), briefing_fold(text) FROM articles;
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, briefing_fold(new.title), briefing_fold(new.text));
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, briefing_fold(old.title), briefing_fold(old.text));
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, briefing_fold(old.title), briefing_fold(old.text));
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.id, briefing_fold(new.title), briefing_fold(new.text));
    END;
    """,
]


def register_functions(db: sqlite3.Connection) -> None:
    """The SQL functions the schema's triggers call: every connection that
    writes articles needs them (Store opens every connection, a Connection)."""
    db.create_function("briefing_fold", 1, _fold_value, deterministic=True)


class Connection(sqlite3.Connection):
    """A connection whose statements hold off SIGINT and SIGTERM on the main
    thread until they return. The triggers call briefing_fold, Python code:
    a signal's exception raised inside it would reach sqlite3 as "user-
    defined function raised exception" and the stop would be lost (and the
    user told the store could not be used). Held off, the signal is raised
    as the statement returns, before any COMMIT, so a transaction rolls
    back as if stopped anywhere else. A statement is short, and SQLite's
    own waits (busy_timeout) never ran Python's handlers anyway."""

    def execute(self, *args, **kwargs):
        return _signals_held(super().execute, *args, **kwargs)

    def executemany(self, *args, **kwargs):
        return _signals_held(super().executemany, *args, **kwargs)


_HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


def _signals_held(call, *args, **kwargs):
    if threading.current_thread() is not threading.main_thread():
        return call(*args, **kwargs)  # Python runs signal handlers on the main thread only
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        return call(*args, **kwargs)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _fold_value(value: str | None) -> str | None:
    return fold(value) if isinstance(value, str) else value


def apply_migrations(db: sqlite3.Connection, version: int) -> None:
    """Run every migration from `version` up to SCHEMA_VERSION, setting
    user_version after each. The caller holds the transaction."""
    for target in range(version, SCHEMA_VERSION):
        for statement in _statements(MIGRATIONS[target]):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {target + 1}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain ';')."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
