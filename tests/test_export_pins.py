"""The user's pins and notes come first in both exports; the JSON keeps
every key it had (added to, never renamed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from briefing.export import to_dict, to_json, to_markdown
from briefing.model import ArticleNote, ArticleRow, Briefing, Cited, Marks, ParsedArticle, Pin
from briefing.store.database import Store
from tests.helpers.cli import MINIMAL_CONFIG, run_cli, write

WHEN = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
# The export's keys before pins and notes, in their order: every one stays.
CONTRACT = [
    "story",
    "generated_at",
    "last_viewed",
    "summary",
    "actors",
    "also_mentioned",
    "questions",
    "timeline",
    "articles",
]
# Keys added since, after them.
ADDED = ["volume", "coverage", "others", "other_quotes"]


def briefing() -> Briefing:
    return Briefing(
        story_id="ferry",
        story_title="The island ferry strike",
        generated_at=WHEN,
        summary=(Cited("Ferry crews walked out at dawn on Monday.", 7, "Harbour Post", WHEN),),
        articles=(ArticleRow(7, "Crews walk out", "Harbour Post", "https://harbour.example/7", WHEN, relevant=True),),
    )


def marks() -> Marks:
    return Marks(
        pins=(
            Pin(
                "evidence",
                7,
                "The union said talks had *failed* <b>twice</b>.",
                "Harbour Post",
                context="Will the ferries run by June?",
                id=1,
                created=WHEN,
                note="Ask the union for the dates",
                title="Crews walk out",
                link="https://harbour.example/7",
                published=WHEN,
            ),
            Pin("article", 9, "Old title", "Island Daily", id=2, created=WHEN, title=None),
        ),
        notes=(
            ArticleNote(7, "Best account of the first day", WHEN, "Crews walk out", "Harbour Post", None, WHEN),
            ArticleNote(9, "Gone but noted", WHEN),
        ),
    )


def test_json_has_pins_and_notes_first_and_keeps_every_key():
    data = to_dict(briefing(), marks())
    assert list(data)[:2] == ["pins", "notes"]
    assert list(data)[2:] == CONTRACT + ADDED
    assert list(to_dict(briefing())) == ["pins", "notes", *CONTRACT, *ADDED]  # no marks: empty lists
    assert to_dict(briefing())["pins"] == [] and to_dict(briefing())["notes"] == []
    first, gone = data["pins"]
    assert first == {
        "kind": "evidence",
        "text": "The union said talks had *failed* <b>twice</b>.",
        "context": "Will the ferries run by June?",
        "article_id": 7,
        "source": "Harbour Post",
        "title": "Crews walk out",
        "link": "https://harbour.example/7",
        "published": "2024-06-03T08:00:00Z",
        "pinned_at": "2024-06-03T08:00:00Z",
        "note": "Ask the union for the dates",
    }
    assert gone["title"] is None and gone["text"] == "Old title" and gone["note"] is None
    assert [n["text"] for n in data["notes"]] == ["Best account of the first day", "Gone but noted"]
    assert json.loads(to_json(briefing(), marks())) == data


def test_markdown_has_the_pinned_section_first_with_notes():
    text = to_markdown(briefing(), marks=marks())
    assert text.index("## Pinned") < text.index("## Summary")
    pinned = text[text.index("## Pinned") : text.index("## Summary")]
    assert "**Evidence on Will the ferries run by June?**" in pinned
    # Feed text stays inert: its emphasis and tags are escaped.
    assert "\\*failed\\* \\<b\\>twice\\</b\\>" in pinned
    assert "[Crews walk out](<https://harbour.example/7>)" in pinned
    assert "  - Note: Ask the union for the dates" in pinned
    assert "article no longer in the cache" in pinned
    # An article pinned shows its own note under it; only unpinned articles' notes are listed apart.
    assert "  - Note: Gone but noted" in pinned
    notes = pinned[pinned.index("### Notes on articles") :]
    assert "Best account of the first day" in notes and "Gone but noted" not in notes
    assert "## Pinned" not in to_markdown(briefing())


def test_the_cli_exports_the_stores_pins_first(tmp_path):
    config = write(tmp_path / "feeds.toml", MINIMAL_CONFIG)
    store_path = tmp_path / "store.db"
    with Store(store_path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    "k1",
                    "Syria and Türkiye sign a water accord",
                    "Nile Wire",
                    "https://wire.example/1",
                    WHEN,
                    "Syria and Türkiye signed a water accord on Monday. Engineers will share river data.",
                )
            ]
        )
        [article_id] = store.article_ids()
        store.set_note(Pin("summary", article_id, "Engineers will share river data.", "Nile Wire"), "Key detail")
        store.set_note(Pin("article", article_id, "t", "Nile Wire"), "Read in full")
    common = ["--config", str(config), "--cache", str(store_path), "export"]
    done = run_cli(*common, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert list(data)[:2] == ["pins", "notes"] and list(data)[2:] == CONTRACT + ADDED
    assert [(p["kind"], p["text"], p["note"]) for p in data["pins"]] == [
        ("summary", "Engineers will share river data.", "Key detail")
    ]
    assert [n["text"] for n in data["notes"]] == ["Read in full"]
    done = run_cli(*common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    markdown = done.stdout.decode()
    assert markdown.index("## Pinned") < markdown.index("## Summary")
    assert "Engineers will share river data. (Nile Wire, 2024-06-03)" in markdown
    assert "  - Note: Key detail" in markdown and "Read in full" in markdown
