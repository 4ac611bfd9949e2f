"""Helpers for the analysis tests: load the fixture story files and articles.

Fixture articles are text files: `key: value` header lines, a blank line,
then the body (paragraphs separated by blank lines). All fixture text is
written for this project.
"""

from __future__ import annotations

from datetime import UTC, datetime, timezone
from pathlib import Path

from briefing.analysis import analyse_article
from briefing.config import load_config
from briefing.model import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analysis"
UTC = UTC


def load_story(name: str):
    return load_config(FIXTURES / name).story


def read_article(name: str, article_id: int) -> Article:
    raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines())
    published = datetime.fromisoformat(fields["published"].replace("Z", "+00:00"))
    first_seen = datetime.fromisoformat(fields.get("first_seen", fields["published"]).replace("Z", "+00:00"))
    return Article(
        id=article_id,
        key=name,
        title=fields["title"],
        source=fields["source"],
        link=None,
        published=published,
        first_seen=first_seen,
        text=body.strip(),
    )


def load_articles(prefix: str, extra: tuple[str, ...] = ()) -> list[Article]:
    names = sorted(p.stem for p in FIXTURES.glob(f"{prefix}*.txt")) + list(extra)
    return [read_article(name, index) for index, name in enumerate(names, 1)]


def analyse_all(articles, story) -> dict[int, dict]:
    return {a.id: analyse_article(a, story) for a in articles}


def make_article(
    article_id: int,
    text: str,
    *,
    title: str = "",
    source: str = "Test Wire",
    when: datetime | None = None,
    first_seen: datetime | None = None,
) -> Article:
    when = when or datetime(2025, 2, 4, 12, tzinfo=UTC)
    return Article(
        id=article_id,
        key=f"k{article_id}",
        title=title,
        source=source,
        link=None,
        published=when,
        first_seen=first_seen or when,
        text=text,
    )
