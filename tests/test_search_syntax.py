"""Search syntax at the store: phrases, OR, -word, prefix*, folding as the
actor matcher folds, marks for highlighting, one-line errors for bad syntax,
and nothing typed read as FTS5 syntax. Articles are about a ferry strike on a
fjord, written for these tests."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from briefing.analysis.names import fold as actor_fold
from briefing.model import ParsedArticle
from briefing.store.database import SCHEMA_VERSION, Store
from briefing.store.schema import MIGRATIONS
from briefing.store.search_query import SearchSyntaxError, parse_query
from briefing.text.fold import fold

ARTICLES = [
    ("a1", "Ferry crews walk out at Østkai", "The strike at Østkai stopped the morning ferry. Crews met in Tromsø."),
    ("a2", "Harbour board answers", "The harbour board said the ferry strike would end by Friday, said Ørjan Dahl."),
    ("a3", "Weather on the fjord", "Storm warnings for the fjord; the strike ferry was idle in the storm."),
    ("a4", "Straße closed for repairs", "A road by the quay, the Hafenstraße, closed; Erdoğan's visit moved."),
    ("a5", "Negotiators return", "Negotiations resumed; the negotiator for the crews spoke to reporters."),
]


def stored(tmp_path) -> Store:
    store = Store(tmp_path / "s.db")
    store.upsert_articles(
        [
            ParsedArticle(
                key=key,
                title=title,
                source="Fjord Post",
                link=f"https://fjord.example/{key}",
                published=datetime(2025, 3, day, tzinfo=UTC),
                text=text,
                feed=None,
            )
            for day, (key, title, text) in enumerate(ARTICLES, 1)
        ]
    )
    return store


def titles(store: Store, query: str) -> set[str]:
    return {hit.title for hit in store.search(query)}


def test_words_must_all_be_there(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, "ferry strike") == {
            "Ferry crews walk out at Østkai",
            "Harbour board answers",
            "Weather on the fjord",
        }
        assert titles(store, "ferry friday") == {"Harbour board answers"}


def test_an_exact_phrase_needs_its_words_together_and_in_order(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, '"ferry strike"') == {"Harbour board answers"}
        assert titles(store, '"strike ferry"') == {"Weather on the fjord"}
        assert titles(store, '"morning ferry" crews') == {"Ferry crews walk out at Østkai"}
        # Typographic quotes are quotes too.
        assert titles(store, "“ferry strike”") == {"Harbour board answers"}


def test_or_between_two_terms(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, "Friday OR storm") == {"Harbour board answers", "Weather on the fjord"}
        # OR binds its two sides; the other words are still all needed.
        assert titles(store, "ferry Friday OR storm") == {"Harbour board answers", "Weather on the fjord"}
        assert titles(store, "crews Friday OR storm") == set()
        assert titles(store, '"morning ferry" OR negotiator') == {
            "Ferry crews walk out at Østkai",
            "Negotiators return",
        }


def test_minus_leaves_out_a_word_or_a_phrase(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, "ferry -storm") == {"Ferry crews walk out at Østkai", "Harbour board answers"}
        assert titles(store, 'strike -"ferry strike"') == {"Ferry crews walk out at Østkai", "Weather on the fjord"}
        # A hyphen inside a word is not a minus.
        assert titles(store, "Hafen-straße") == set()


def test_prefix_star(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, "negotiat*") == {"Negotiators return"}
        assert titles(store, "negotiat") == set()  # no star: whole words only
        assert titles(store, "harb* -board") == set()


def test_diacritics_fold_as_the_actor_matcher_folds(tmp_path):
    with stored(tmp_path) as store:
        assert titles(store, "Ostkai") == {"Ferry crews walk out at Østkai"}
        assert titles(store, "ØSTKAI") == {"Ferry crews walk out at Østkai"}
        assert titles(store, "Tromso") == {"Ferry crews walk out at Østkai"}
        assert titles(store, "Orjan") == {"Harbour board answers"}
        assert titles(store, "Erdogan") == {"Straße closed for repairs"}
        assert titles(store, "strasse") == {"Straße closed for repairs"}
        assert titles(store, "hafenstrasse") == {"Straße closed for repairs"}
    for word in ("Østkai", "Erdoğan", "Straße", "Æsir", "Łódź", "ıslak", "Ǆemal", "ﬁord"):
        assert fold(word) == actor_fold(word), word


def test_hits_carry_marks_on_the_original_text(tmp_path):
    with stored(tmp_path) as store:
        [hit] = store.search("ostkai")
        assert [hit.title[a:b] for a, b in hit.title_marks] == ["Østkai"]
        assert [hit.snippet[a:b] for a, b in hit.snippet_marks] == ["Østkai"]
        [hit] = store.search('"ferry strike"')
        assert [hit.snippet[a:b] for a, b in hit.snippet_marks] == ["ferry strike"]
        [hit] = store.search("strasse")
        assert [hit.title[a:b] for a, b in hit.title_marks] == ["Straße"]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ('"ferry strike', "quote is not closed"),
        ("OR", "OR needs a word on each side"),
        ("ferry OR", "OR needs a word on each side"),
        ("OR ferry", "OR needs a word on each side"),
        ("ferry OR OR storm", "OR needs a word on each side"),
        ("-storm", "only words to leave out"),
        ("-storm -ferry", "only words to leave out"),
        ("ferry OR -storm", "cannot be one side of OR"),
        ('""', "empty quotes"),
        ("*", "* goes at the end of a word"),
        ("fe*rry", "* goes at the end of a word"),
        ("... ;", "nothing to search for"),
        (" ".join(f"w{i}" for i in range(40)), "too many words"),
    ],
)
def test_bad_syntax_is_one_line_saying_what_is_wrong(tmp_path, query, said):
    with stored(tmp_path) as store, pytest.raises(SearchSyntaxError) as raised:
        store.search(query)
    message = str(raised.value)
    assert said in message and "\n" not in message


@pytest.mark.parametrize(
    "query",
    [
        "ferry NEAR(strike)",
        "title : ferry",
        "ferry AND NOT storm",
        "^ferry",
        "ferry + strike",
        "{title}: ferry",
        "(ferry",
    ],
)
def test_fts5_syntax_in_a_query_is_only_words(tmp_path, query):
    with stored(tmp_path) as store:
        hits = store.search(query)  # never an sqlite3 error
    parsed = parse_query(query)
    assert parsed is not None
    assert all(hit.title for hit in hits)
    assert "NEAR(" not in parsed.fts() and ":" not in parsed.fts().replace("title :", "")


def test_blank_query_finds_nothing_without_an_error(tmp_path):
    with stored(tmp_path) as store:
        assert store.search("   ") == []


def test_newest_first_orders_every_match_by_date(tmp_path):
    with stored(tmp_path) as store:
        hits = store.search("the", None, newest_first=True)
        dates = [hit.published for hit in hits]
        assert len(hits) == 5 and dates == sorted(dates, reverse=True)


def test_the_index_follows_updates_and_deletes(tmp_path):
    with stored(tmp_path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key="a1",
                    title="Ferry crews return",
                    source="Fjord Post",
                    link=None,
                    published=None,
                    text="Back at Vågen.",
                )
            ]
        )
        assert titles(store, "Ostkai") == set()
        assert titles(store, "Vagen") == {"Ferry crews return"}
        store.db.execute("DELETE FROM articles WHERE key = 'a1'")
        assert titles(store, "Vagen") == set()
        assert store.db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")


def test_a_version_3_store_is_reindexed_folded(tmp_path):
    """An older store's index did not fold ø: migrated, it finds "Ostkai"."""
    path = tmp_path / "v3.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 3")
    db.execute(
        "INSERT INTO articles (key, feed, source, title, link, published, first_seen, updated_at, text,"
        " content_hash) VALUES ('k', NULL, 'Fjord Post', 'Quay news', NULL, NULL,"
        " '2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z', 'Ferries leave Østkai again.', 'h')"
    )
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ostkai'").fetchone()[0] == 0
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert titles(store, "Ostkai") == {"Quay news"}
