"""Write a Briefing as JSON (a contract other tools read) or as Markdown (a
briefing to mail to a colleague), with the user's pins and notes first.
Text is sanitised again on the way out."""

from __future__ import annotations

import json
from datetime import datetime

from briefing.model import ArticleNote, Briefing, Cited, Marks, Pin
from briefing.text.plural import count
from briefing.text.sanitize import clean_line, safe_link


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _cited(item: Cited) -> dict:
    return {
        "text": clean_line(item.text),
        "article_id": item.article_id,
        "source": clean_line(item.source),
        "published": _iso(item.published),
        "also": [clean_line(s) for s in item.also],
        "new": item.new,
    }


def _pin(pin: Pin) -> dict:
    return {
        "kind": pin.kind,
        "text": clean_line(pin.text),
        "context": clean_line(pin.context) or None,
        "article_id": pin.article_id,
        "source": clean_line(pin.source),
        "title": clean_line(pin.title) if pin.title is not None else None,
        "link": safe_link(pin.link),
        "published": _iso(pin.published),
        "pinned_at": _iso(pin.created),
        "note": clean_line(pin.note) or None,
    }


def _article_note(note: ArticleNote) -> dict:
    return {
        "article_id": note.article_id,
        "text": clean_line(note.text),
        "title": clean_line(note.title) if note.title is not None else None,
        "source": clean_line(note.source) or None,
        "link": safe_link(note.link),
        "published": _iso(note.published),
        "updated": _iso(note.updated),
    }


def to_dict(briefing: Briefing, marks: Marks | None = None) -> dict:
    """The export's contract: keys are added, never renamed. The user's own
    pins and notes on articles come first."""
    marks = marks or Marks()
    return {
        "pins": [_pin(p) for p in marks.pins],
        "notes": [_article_note(n) for n in marks.notes],
        "story": {"id": briefing.story_id, "title": clean_line(briefing.story_title)},
        "generated_at": _iso(briefing.generated_at),
        "last_viewed": _iso(briefing.last_viewed),
        "summary": [_cited(s) for s in briefing.summary],
        "actors": [
            {
                "name": clean_line(a.name),
                "kind": a.kind,
                "role": clean_line(a.role) or None,
                "mentions": a.mentions,
                "articles": a.articles,
                "first_seen": _iso(a.first_seen),
                "last_seen": _iso(a.last_seen),
                "new": a.new,
                "quotes": [
                    {
                        "text": clean_line(q.text),
                        "article_id": q.article_id,
                        "source": clean_line(q.source),
                        "published": _iso(q.published),
                        "new": q.new,
                    }
                    for q in a.quotes
                ],
            }
            for a in briefing.actors
        ],
        "also_mentioned": [
            {"name": clean_line(n.name), "mentions": n.mentions, "articles": n.articles}
            for n in briefing.also_mentioned
        ],
        "questions": [
            {
                "id": q.id,
                "title": clean_line(q.title),
                "outlets": q.outlets,
                "last_moved": _iso(q.last_moved),
                "evidence": [_cited(e) for e in q.evidence],
            }
            for q in briefing.questions
        ],
        "timeline": [
            {
                "date": _iso(e.when),
                "text": clean_line(e.text),
                "article_id": e.article_id,
                "source": clean_line(e.source),
            }
            for e in briefing.timeline
        ],
        "articles": [
            {
                "id": a.id,
                "title": clean_line(a.title),
                "source": clean_line(a.source),
                "link": safe_link(a.link),
                "published": _iso(a.published),
                "relevant": a.relevant,
                "relevance": round(a.relevance, 3),
                "also_in": [clean_line(s) for s in a.also_in],
                "read": a.read,
                "new": a.new,
            }
            for a in briefing.articles
        ],
    }


def to_json(briefing: Briefing, marks: Marks | None = None) -> str:
    return json.dumps(to_dict(briefing, marks), ensure_ascii=False, indent=2) + "\n"


def _md(text: str | None) -> str:
    """Feed text as inert Markdown: no links, images, HTML or emphasis from it."""
    text = clean_line(text)
    for ch in "\\`*_[]<>#|!":
        text = text.replace(ch, "\\" + ch)
    return text


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def _cite(item: Cited) -> str:
    sources = ", ".join(_md(s) for s in (item.source, *item.also))
    new = " **new**" if item.new else ""
    return f"({sources}, {_date(item.published)}){new}"


# How each kind of pin is introduced, with its context where it has one.
_PIN_HEADS = {
    "summary": "Summary",
    "evidence": "Evidence on",
    "quote": "Quote by",
    "mention": "Mention of",
    "timeline": "Timeline,",
    "article": "Article",
}


def _linked(title: str | None, link: str | None) -> str:
    """An article's title, linked when its link is safe to write."""
    if title is None:
        return "article no longer in the cache"
    link = safe_link(link)
    return f"[{_md(title)}](<{link}>)" if link and ">" not in link else _md(title)


def _pinned_markdown(marks: Marks) -> list[str]:
    out = ["", "## Pinned", ""]
    for pin in marks.pins:
        head = _PIN_HEADS.get(pin.kind, pin.kind)
        if pin.context:
            head += f" {_md(pin.context)}"
        if pin.kind == "article":
            shown = _linked(pin.title, pin.link) if pin.title is not None else _md(pin.text)
            line = f"- **{head}**: {shown}, {_md(pin.source)}, {_date(pin.published)}"
        else:
            line = f"- **{head}**: {_md(pin.text)} ({_md(pin.source)}, {_date(pin.published)})"
            if pin.title is not None:
                line += f", in {_linked(pin.title, pin.link)}"
        if pin.title is None:
            line += " (article no longer in the cache)"
        out.append(line)
        said = pin.note if pin.kind != "article" else marks.article_note(pin.article_id)
        if said:
            out.append(f"  - Note: {_md(said)}")
    if not marks.pins:
        out.append("Nothing pinned.")
    pinned = {pin.article_id for pin in marks.pins if pin.kind == "article"}
    notes = [note for note in marks.notes if note.article_id not in pinned]
    if notes:
        out += ["", "### Notes on articles", ""]
        for note in notes:
            where = f", {_md(note.source)}, {_date(note.published)}" if note.title is not None else ""
            out.append(f"- {_linked(note.title, note.link)}{where}: {_md(note.text)}")
    return out


def to_markdown(briefing: Briefing, max_evidence: int = 5, max_quotes: int = 3, marks: Marks | None = None) -> str:
    out: list[str] = [f"# {_md(briefing.story_title)}", ""]
    relevant = [a for a in briefing.articles if a.relevant]
    outlets = len({a.source for a in relevant})
    out.append(
        f"Briefing generated {briefing.generated_at:%Y-%m-%d %H:%M} UTC from "
        f"{count(len(relevant), 'relevant article')} in {count(outlets, 'outlet')} "
        f"({len(briefing.articles)} in the cache)."
    )
    if marks is not None and (marks.pins or marks.notes):
        out += _pinned_markdown(marks)
    out += ["", "## Summary", ""]
    if briefing.summary:
        out += [f"- {_md(s.text)} {_cite(s)}" for s in briefing.summary]
    else:
        out.append("No relevant articles yet.")
    out += ["", "## Key actors", ""]
    for actor in briefing.actors:
        role = f", {_md(actor.role)}" if actor.role else ""
        new = " **new**" if actor.new else ""
        out.append(
            f"- **{_md(actor.name)}**{role}: {count(actor.mentions, 'mention')} in "
            f"{count(actor.articles, 'article')}{new}"
        )
        for quote in actor.quotes[:max_quotes]:
            out.append(f"  - “{_md(quote.text)}” ({_md(quote.source)}, {_date(quote.published)})")
    if briefing.also_mentioned:
        names = ", ".join(f"{_md(n.name)} ({n.mentions})" for n in briefing.also_mentioned[:10])
        out += ["", f"Also mentioned: {names}."]
    out += ["", "## Open questions", ""]
    for question in briefing.questions:
        moved = f"; last moved {_date(question.last_moved)}" if question.last_moved else ""
        out += [
            f"### {_md(question.title)}",
            "",
            f"{count(len(question.evidence), 'piece')} of evidence from {count(question.outlets, 'outlet')}{moved}.",
            "",
        ]
        out += [f"- {_md(e.text)} {_cite(e)}" for e in question.evidence[:max_evidence]]
        if not question.evidence:
            out.append("- No evidence in the cache yet.")
        out.append("")
    if briefing.timeline:
        out += ["## Timeline", ""]
        out += [f"- **{_date(e.when)}**: {_md(e.text)} ({_md(e.source)})" for e in briefing.timeline]
        out.append("")
    out += ["## Sources", ""]
    for article in relevant or briefing.articles:
        shown = _linked(article.title, article.link)
        also = f" (also in: {', '.join(_md(s) for s in article.also_in)})" if article.also_in else ""
        out.append(f"- {shown}, {_md(article.source)}, {_date(article.published)}{also}")
    # Every piece from a feed went through _md (and so the sanitiser) above;
    # the layout (nested bullets) must keep its leading spaces.
    return "\n".join(out).rstrip() + "\n"
