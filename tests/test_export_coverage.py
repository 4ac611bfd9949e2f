"""The exports of coverage, volume and the timeline's precision and copies:
the JSON gains keys (none renamed), the Markdown gains a coverage table and
a volume line, shows a month as a month, and says what a short list left
out. On the port strike fixtures (port*.txt)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from briefing.analysis import build_briefing
from briefing.export import to_dict, to_json, to_markdown
from briefing.record import replace
from tests.helpers.analysis import FIXTURES, analyse_all, load_articles, load_story
from tests.helpers.cli import run_cli, write

NOW = datetime(2025, 3, 15, tzinfo=UTC)

# Every key the JSON had before coverage and volume: kept, never renamed.
CONTRACT = {
    "top": {"story", "generated_at", "last_viewed", "summary", "actors", "also_mentioned", "questions", "timeline"}
    | {"articles"},
    "cited": {"text", "article_id", "source", "published", "also", "new"},
    "actor": {"name", "kind", "role", "mentions", "articles", "first_seen", "last_seen", "new", "quotes"},
    "question": {"id", "title", "outlets", "last_moved", "evidence"},
    "timeline": {"date", "text", "article_id", "source"},
    "article": {"id", "title", "source", "link", "published", "relevant", "relevance", "also_in", "read", "new"},
}


@pytest.fixture(scope="module")
def briefing():
    story = load_story("port_dates_story.toml")
    articles = load_articles("port")
    return build_briefing(story, articles, analyse_all(articles, story), now=NOW)


def _check_contract(data: dict) -> None:
    assert set(data) >= CONTRACT["top"] | {"coverage", "volume"}
    for line in data["summary"]:
        assert set(line) >= CONTRACT["cited"]
    for actor in data["actors"]:
        assert set(actor) >= CONTRACT["actor"]
    for question in data["questions"]:
        assert set(question) >= CONTRACT["question"]
        for evidence in question["evidence"]:
            assert set(evidence) >= CONTRACT["cited"]
    for event in data["timeline"]:
        assert set(event) >= CONTRACT["timeline"] | {"precision", "copies"}
        assert event["precision"] in {"day", "month", "year"}
        for copy in event["copies"]:
            assert set(copy) == {"article_id", "source", "text", "published"}
    for article in data["articles"]:
        assert set(article) >= CONTRACT["article"]
    ids = [q["id"] for q in data["questions"]]
    for outlet in data["coverage"]:
        assert set(outlet) == {"source", "articles", "relevant", "quotes", "first", "last", "evidence", "silent_on"}
        assert list(outlet["evidence"]) == ids
        assert set(outlet["silent_on"]) <= set(ids)
    for day in data["volume"]:
        assert set(day) == {"day", "articles", "outlets"}
        datetime.strptime(day["day"], "%Y-%m-%d")


def test_json_gains_coverage_volume_precision_and_copies(briefing):
    data = json.loads(to_json(briefing))
    _check_contract(data)
    radio = next(c for c in data["coverage"] if c["source"] == "Quayside Radio")
    assert radio["silent_on"] == ["backlog"] and radio["evidence"]["backlog"] == 0 and radio["evidence"]["pay"] > 0
    assert radio["first"] == "2025-03-11T18:00:00Z"
    assert data["volume"][0] == {"day": "2025-03-04", "articles": 1, "outlets": 1}
    assert {"day": "2025-03-06", "articles": 0, "outlets": 0} in data["volume"]
    december = next(e for e in data["timeline"] if "since December" in e["text"])
    assert (december["date"], december["precision"]) == ("2024-12-01T00:00:00Z", "month")
    resume = next(e for e in data["timeline"] if "would resume on Monday" in e["text"])
    assert [c["source"] for c in resume["copies"]] == ["Coastal Wire", "Baltic Post"]
    assert to_dict(briefing) == data


def test_markdown_shows_coverage_volume_and_precision(briefing):
    text = to_markdown(briefing)
    assert "## Coverage by outlet" in text and "## Volume" in text
    assert "| Outlet | Articles | Relevant | Q1 | Q2 | Quotes | First | Last |" in text
    assert "| Quayside Radio | 1 | 1 | 1 | 0 | 0 | 2025-03-11 | 2025-03-11 |" in text
    assert "- Nothing on Q2 from: Quayside Radio." in text
    assert "- Q2: How long will the backlog of ships last?" in text
    assert "Relevant articles per day, 2025-03-04 to 2025-03-14:" in text
    assert "| 2025-03-10 | 2 | 1 |" in text
    assert "6 days without a relevant article not listed." in text
    assert "**December 2024**" in text and "**2019**" in text
    assert "2024-12-01" not in text and "2019-01-01" not in text  # no day made up
    assert "(Coastal Wire; also Baltic Post)" in text  # the event's copies


def test_markdown_says_how_much_of_a_list_it_left_out(briefing):
    pay = next(q for q in briefing.questions if q.id == "pay")
    assert len(pay.evidence) > 2
    text = to_markdown(briefing, max_evidence=2, max_quotes=1, max_outlets=2)
    assert f"{len(pay.evidence)} pieces of evidence from {pay.outlets} outlets (2 shown below);" in text
    castellan = next(a for a in briefing.actors if a.name == "Mira Castellan")
    assert f"  - … and {len(castellan.quotes) - 1} more quotes" in text
    assert f"… and {len(briefing.coverage) - 2} more outlets" in text
    whole = to_markdown(briefing, max_evidence=50, max_quotes=50)
    assert "shown below" not in whole and "more quotes" not in whole and "more outlets" not in whole


def test_markdown_keeps_outlet_names_inert(briefing):
    hostile = replace(briefing.coverage[0], source="Evil | [x](http://e) \x1b[31m")
    text = to_markdown(replace(briefing, coverage=(hostile, *briefing.coverage[1:])))
    line = next(line for line in text.splitlines() if line.startswith("| Evil"))
    assert line.startswith("| Evil \\| \\[x\\](http://e) | ")  # escaped: neither a column nor a link
    assert "\x1b" not in line and line.count(" | ") == 7  # eight columns, as many as the header


def test_the_cli_exports_the_new_keys(tmp_path):
    config = write(tmp_path / "feeds.toml", (FIXTURES / "port_dates_story.toml").read_text(encoding="utf-8"))
    store = tmp_path / "port.db"
    for path in sorted(FIXTURES.glob("port*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        article = write(tmp_path / path.name, fields["title"] + "\n\n" + body)
        result = run_cli(
            "--config", str(config), "--cache", str(store), "import", str(article),
            "--source", fields["source"], "--published", fields["published"],
        )  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
    result = run_cli("--config", str(config), "--cache", str(store), "export", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    _check_contract(data)
    assert {c["source"] for c in data["coverage"]} == {
        "Harbour Gazette",
        "Coastal Wire",
        "Baltic Post",
        "Quayside Radio",
    }
    assert data["volume"][0]["day"] == "2025-03-04" and data["volume"][-1]["day"] == "2025-03-14"
    result = run_cli("--config", str(config), "--cache", str(store), "export", "--format", "md")
    assert result.returncode == 0, result.stderr.decode()
    assert "## Coverage by outlet" in result.stdout.decode() and "**December 2024**" in result.stdout.decode()
