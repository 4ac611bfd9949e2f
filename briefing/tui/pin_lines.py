"""The line each view offers to `p` (pin) and `a` (note): a Pin not yet
stored, made from what the view shows. A view that has a selected line
answers `selected_line()` with one of these; the app does the rest."""

from __future__ import annotations

from briefing.model import ArticleRow, Cited, Pin, Quote, TimelineEvent, shown_date


def summary_line(item: Cited) -> Pin:
    return Pin("summary", item.article_id, item.text, item.source)


def evidence_line(item: Cited, question: str) -> Pin:
    return Pin("evidence", item.article_id, item.text, item.source, context=question)


def quote_line(quote: Quote) -> Pin:
    return Pin("quote", quote.article_id, quote.text, quote.source, context=quote.speaker)


def mention_line(item: Cited, actor: str) -> Pin:
    return Pin("mention", item.article_id, item.text, item.source, context=actor)


def timeline_line(event: TimelineEvent) -> Pin:
    # The date as the timeline gives it (a month or a year, when that is all the text says).
    return Pin("timeline", event.article_id, event.text, event.source, context=shown_date(event.when, event.precision))


def article_line(article_id: int, title: str, source: str) -> Pin:
    return Pin("article", article_id, title, source)


def feed_line(row: ArticleRow) -> Pin:
    return article_line(row.id, row.title, row.source)
