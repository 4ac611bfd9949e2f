"""The SQLite store: round trips, identity, search, schema versions, and
files that are not ours."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timezone

import pytest

from briefing.model import ParsedArticle
from briefing.store.database import BUSY_TIMEOUT_MS, SCHEMA_VERSION, Store, StoreError


def article(
    key="k1",
    title="Ankara talks",
    text="Erdoğan met al-Sharaa in Ankara.",
    link="https://a.example/1",
    published=datetime(2025, 2, 4, 10, 0, tzinfo=UTC),
    source="Outlet",
):
    return ParsedArticle(
        key=key,
        title=title,
        source=source,
        link=link,
        published=published,
        text=text,
        author="A. Writer",
        feed="Feed A",
    )


def test_round_trip(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        assert store.created
        counts = store.upsert_articles([article()])
        assert counts.new == 1
    with Store(path) as store:
        assert not store.created
        [stored] = store.articles()
        assert (stored.title, stored.text, stored.link, stored.source, stored.author, stored.feed) == (
            "Ankara talks",
            "Erdoğan met al-Sharaa in Ankara.",
            "https://a.example/1",
            "Outlet",
            "A. Writer",
            "Feed A",
        )
        assert stored.published == datetime(2025, 2, 4, 10, 0, tzinfo=UTC)
        assert stored.read is False
        store.mark_read(stored.id)
        assert store.article(stored.id).read is True


def test_schema_is_versioned_with_wal(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0] == 1


def test_same_article_twice_is_stored_once_and_updates_in_place(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([article()])
        first = store.articles()[0]
        assert store.upsert_articles([article()]).unchanged == 1
        counts = store.upsert_articles([article(text="Erdoğan and al-Sharaa met again.")])
        assert counts.updated == 1
        [after] = store.articles()
        assert after.id == first.id and after.first_seen == first.first_seen
        assert after.text == "Erdoğan and al-Sharaa met again."
        # A new key with the same link in the same feed is the same article.
        store.upsert_articles([article(key="k2")])
        assert store.count_articles() == 1


def test_one_batch_that_names_an_article_twice_stores_it_once(tmp_path):
    # Within one batch, a later entry finds what an earlier one stored: by
    # its key, or by its link in the same feed under another key.
    with Store(tmp_path / "s.db") as store:
        counts = store.upsert_articles(
            [
                article(key="k1", text="First telling."),
                article(key="k1", text="Second telling."),
                article(key="k2", text="Third telling, new key, same link."),
                article(key="k3", link="https://a.example/3"),
            ],
            "Feed A",
        )
        assert (counts.new, counts.updated, counts.unchanged) == (2, 2, 0)
        stored = {a.key: a for a in store.articles()}
        assert sorted(stored) == ["k2", "k3"]
        assert stored["k2"].text == "Third telling, new key, same link."
        # A link seen in another feed is another article.
        other = store.upsert_articles([article(key="k9")], "Feed B")
        assert other.new == 1


def test_a_batch_larger_than_one_lookup_finds_every_stored_article(tmp_path):
    batch = [article(key=f"k{i}", link=f"https://a.example/{i}") for i in range(1203)]
    with Store(tmp_path / "s.db") as store:
        assert store.upsert_articles(batch, "Feed A").new == 1203
        assert store.upsert_articles(batch, "Feed A").unchanged == 1203
        # The same links under new keys: every one found by its link.
        renamed = [article(key=f"n{i}", link=f"https://a.example/{i}", text=f"Told again {i}.") for i in range(1203)]
        counts = store.upsert_articles(renamed, "Feed A")
        assert (counts.new, counts.updated) == (0, 1203)
        assert store.count_articles() == 1203


def test_full_text_search_ignores_diacritics_and_query_syntax(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([article(), article(key="k2", link=None, title="Weather", text="Snow in Istanbul.")])
        assert [h.title for h in store.search("erdogan")] == ["Ankara talks"]
        assert [h.title for h in store.search("Istan*")] == ["Weather"]
        assert store.search("NEAR ( title : ^x AND )") == []
        assert store.search("   ") == []
        # After an update the index follows the new text.
        store.upsert_articles([article(text="A new text about Tartous.")])
        assert [h.title for h in store.search("tartous")] == ["Ankara talks"]
        assert store.search("erdogan") == []


def test_not_a_sqlite_file_is_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my precious notes\n" * 10)
    with pytest.raises(StoreError, match="not a SQLite database; left untouched"):
        Store(path)
    assert path.read_bytes() == b"my precious notes\n" * 10


def test_other_sqlite_database_is_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE mine (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a briefing store"):
        Store(path)
    assert path.read_bytes() == before


def test_store_from_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer briefing.*--cache NEW_FILE"):
        Store(path)
    assert path.read_bytes() == before


def test_analyses_are_kept_per_version_and_dropped_when_article_changes(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([article()])
        aid = store.articles()[0].id
        store.put_analyses(3, "fp", {aid: {"x": 1}})
        assert store.analyses(3, "fp") == {aid: {"x": 1}}
        assert store.analyses(4, "fp") == {}
        store.upsert_articles([article(text="changed")])
        assert store.analyses(3, "fp") == {}


def test_last_viewed_round_trip(tmp_path):
    when = datetime(2025, 2, 5, 8, 0, tzinfo=UTC)
    with Store(tmp_path / "s.db") as store:
        assert store.last_viewed("s") is None
        store.set_last_viewed("s", when)
        assert store.last_viewed("s") == when


def test_version_1_store_is_migrated_in_place(tmp_path):
    """A store written by the first schema keeps every article and gains the
    new tables; its search index is rebuilt."""
    from briefing.store.database import MIGRATIONS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO articles (key, feed, source, title, link, published, first_seen, updated_at, text,"
        " content_hash) VALUES ('k', 'F', 'Outlet', 'Old title', NULL, '2025-02-01T00:00:00Z',"
        " '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z', 'Hmeimim air base text', 'h')"
    )
    db.execute("INSERT INTO analyses VALUES (1, 1, 'fp', '{}')")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [article] = store.articles()
        assert article.title == "Old title" and article.first_seen.year == 2025
        assert [h.title for h in store.search("hmeimim")] == ["Old title"]
        assert store.analyses(1, "fp") == {}  # derived data is recomputed
        assert store.snapshot("x") is None and store.generation() == 0


def test_generation_counts_changes(tmp_path):
    with Store(tmp_path / "s.db") as store:
        start = store.generation()
        store.upsert_articles([article()])
        assert store.generation() == start + 1
        store.upsert_articles([article()])
        assert store.generation() == start + 1


def test_light_analyses_for_irrelevant_articles(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles([article(), article(key="k2", link=None, title="Weather")])
        one, two = sorted(store.article_ids())
        store.put_analyses(
            1,
            "fp",
            {
                one: {"v": 1, "fp": "fp", "rel": 0.9, "s": {"0": "x"}},
                two: {"v": 1, "fp": "fp", "rel": 0.1, "s": {"0": "y"}},
            },
        )
        got = store.analyses(1, "fp", min_relevance=0.5)
        assert got[one]["s"] == {"0": "x"}
        assert got[two] == {"v": 1, "fp": "fp", "rel": 0.1}
        assert store.article_metas()[0].text == ""


def test_prune_keeps_what_it_is_told_and_shrinks(tmp_path):
    old = datetime(2020, 1, 1, tzinfo=UTC)
    with Store(tmp_path / "s.db") as store:
        store.upsert_articles(
            [article(key=f"k{i}", link=None, published=old, text="word " * 2000 + str(i)) for i in range(200)]
        )
        keep = set(store.article_ids()[:3])
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = store.path.stat().st_size
        assert store.prune(datetime(2024, 1, 1, tzinfo=UTC), keep) == 197
        assert set(store.article_ids()) == keep
        assert store.path.stat().st_size < before
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _article(i: int) -> ParsedArticle:
    return article(key=f"k{i}", link=f"https://a.example/{i}")


def test_a_transaction_inside_another_is_part_of_it(tmp_path):
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.upsert_articles([_article(1)], "Feed")  # its own transaction joins this one
            store.record_feed("Feed", "https://example.invalid/feed", status="updated", ok=True, etag='"a"')
            # Nothing is committed yet: another connection sees neither.
            other = sqlite3.connect(tmp_path / "s.db")
            assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        assert other.execute("SELECT etag FROM feeds").fetchone()[0] == '"a"'
        # A failure inside rolls the whole of it back.
        with pytest.raises(RuntimeError), store.transaction():
            store.upsert_articles([_article(2)], "Feed")
            raise RuntimeError("stop")
        assert store.count_articles() == 1
        other.close()


@pytest.mark.parametrize("held", [0.01, 0.2])
def test_a_writer_waits_for_another_writers_lock(tmp_path, held):
    """Held briefly, the lock is taken by the quick polls; held longer than
    they last, by SQLite's own busy wait. Either way the write happens."""
    path = tmp_path / "s.db"
    Store(path).close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(held, lambda: other.execute("COMMIT"))
    started = time.monotonic()
    releaser.start()
    with Store(path) as store:
        store.upsert_articles([_article(1)], "Feed")
        waited = time.monotonic() - started
        assert store.count_articles() == 1
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    releaser.join()
    other.close()
    assert waited >= held


def test_content_hashes_are_the_ones_stores_already_hold():
    """Stored hashes are compared with new ones at every refresh: if the way
    they are computed changed, every stored article would count as changed.
    These digests were computed by the first version of content_hash."""
    from briefing.store.values import content_hash

    full = ParsedArticle(
        key="k",
        title="Erdoğan meets al-Sharaa",
        source="Outlet",
        link="http://example.invalid/1",
        published=datetime(2025, 2, 4, 10, 0, tzinfo=UTC),
        text="Talks in Ankara.\n\nSecond paragraph \ud800 lone surrogate.",
        author="A. Writer",
        feed="F",
    )
    bare = ParsedArticle(
        key="k2", title="No link", source="S", link=None, published=None, text="", author=None, feed="F"
    )
    assert content_hash(full) == "01b0b6fe95152c70ab9038097f15b946"
    assert content_hash(bare) == "d35383734a77498e333b74ef9f152c77"
    assert content_hash(full, "2025-02-04T10:00:00Z") == content_hash(full)
