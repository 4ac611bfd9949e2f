"""The user's pins and notes in the store (tables `pins` and `notes`, schema
v4). Each change is one short transaction, so that a crash keeps every one
committed and a second writer waits its turn instead of failing.

A pin is found again by what it shows (kind, article, line, context; an
article's pin by the article alone), never by the article's current text,
so re-fetching, re-analysing or pruning around it leaves it as it was.
"""

from __future__ import annotations

import sqlite3

from briefing.model import PIN_KINDS, ArticleNote, Marks, Pin
from briefing.store.transaction import Transaction
from briefing.store.values import from_iso, to_iso, utcnow
from briefing.text.sanitize import clean_line

# A pinned line is kept as long as the store keeps a line (a cited sentence
# is shown at most 1,000 characters long); a note up to this many characters.
LINE_MAX = 4096
NOTE_MAX = 4000


def _cut(text: str | None, limit: int) -> str:
    return clean_line(text)[:limit]


def _stored_line(line: Pin) -> tuple[str, int, str, str, str]:
    if line.kind not in PIN_KINDS:
        raise ValueError(f"not a kind of pin: {line.kind!r}")
    return (
        line.kind,
        int(line.article_id),
        _cut(line.text, LINE_MAX),
        _cut(line.source, LINE_MAX),
        _cut(line.context, LINE_MAX),
    )


def _find(db: sqlite3.Connection, line: Pin) -> int | None:
    kind, article_id, text, _, context = _stored_line(line)
    if kind == "article":
        row = db.execute("SELECT id FROM pins WHERE kind = 'article' AND article_id = ?", (article_id,)).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM pins WHERE kind = ? AND article_id = ? AND text = ? AND context = ?",
            (kind, article_id, text, context),
        ).fetchone()
    return row[0] if row else None


def pin(db: sqlite3.Connection, line: Pin) -> int:
    """Pin the line (once: pinning it again changes nothing); its pin's id."""
    with Transaction(db):
        found = _find(db, line)
        if found is not None:
            return found
        cursor = db.execute(
            "INSERT INTO pins (kind, article_id, text, source, context, created) VALUES (?, ?, ?, ?, ?, ?)",
            (*_stored_line(line), to_iso(utcnow())),
        )
        assert cursor.lastrowid is not None  # an INSERT just made the row
        return cursor.lastrowid


def toggle_pin(db: sqlite3.Connection, line: Pin) -> str:
    """Pin the line, or unpin it if it is pinned: "pinned", "unpinned", or
    "kept" when its pin carries a note (a key press must not throw away
    what the user wrote; the note is cleared first)."""
    with Transaction(db):
        found = _find(db, line)
        if found is None:
            pin(db, line)
            return "pinned"
        if db.execute("SELECT 1 FROM notes WHERE pin_id = ?", (found,)).fetchone():
            return "kept"
        db.execute("DELETE FROM pins WHERE id = ?", (found,))
        return "unpinned"


def set_note(db: sqlite3.Connection, line: Pin, text: str) -> None:
    """The user's note on the line: an article's own note for an article,
    else the note on the line's pin (pinned now if it was not). Empty text
    deletes the note; the pin stays."""
    note = _cut(text, NOTE_MAX)
    now = to_iso(utcnow())
    with Transaction(db):
        if line.kind == "article":
            column, owner = "article_id", int(line.article_id)
        else:
            column, owner = "pin_id", pin(db, line)
        if not note:
            db.execute(f"DELETE FROM notes WHERE {column} = ?", (owner,))
            return
        db.execute(
            f"INSERT INTO notes ({column}, text, created, updated) VALUES (?, ?, ?, ?)"
            f" ON CONFLICT ({column}) DO UPDATE SET text = excluded.text, updated = excluded.updated",
            (owner, note, now, now),
        )


def unpin(db: sqlite3.Connection, pin_id: int) -> None:
    """Remove a pin and the note on it."""
    with Transaction(db):
        db.execute("DELETE FROM pins WHERE id = ?", (pin_id,))


def read_marks(db: sqlite3.Connection) -> Marks:
    """Every pin and article note, in the order they were made, with what
    their articles hold now (nothing, for an article that is gone)."""
    pins = tuple(
        Pin(
            kind=row[0],
            article_id=row[1],
            text=row[2],
            source=row[3],
            context=row[4],
            id=row[5],
            created=from_iso(row[6]),
            note=row[7],
            title=row[8],
            link=row[9],
            published=from_iso(row[10]),
        )
        for row in db.execute(
            "SELECT p.kind, p.article_id, p.text, p.source, p.context, p.id, p.created, n.text,"
            " a.title, a.link, a.published"
            " FROM pins p LEFT JOIN notes n ON n.pin_id = p.id LEFT JOIN articles a ON a.id = p.article_id"
            " ORDER BY p.id"
        )
    )
    notes = tuple(
        ArticleNote(
            article_id=row[0],
            text=row[1],
            updated=from_iso(row[2]) or utcnow(),
            title=row[3],
            source=row[4],
            link=row[5],
            published=from_iso(row[6]),
        )
        for row in db.execute(
            "SELECT n.article_id, n.text, n.updated, a.title, a.source, a.link, a.published"
            " FROM notes n LEFT JOIN articles a ON a.id = n.article_id"
            " WHERE n.article_id IS NOT NULL ORDER BY n.id"
        )
    )
    return Marks(pins, notes)


# Articles that prune keeps whatever their age: pinned, or noted (on the
# article or on one of its pins). Read inside prune's transaction.
MARKED_ARTICLES = "SELECT article_id FROM pins UNION SELECT article_id FROM notes WHERE article_id IS NOT NULL"
