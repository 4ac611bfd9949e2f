"""Write a Briefing as JSON (a contract other tools read) or as Markdown (a
briefing to mail to a colleague), with the user's pins and notes first.
Text is sanitised again on the way out."""

from __future__ import annotations

import json
from datetime import datetime

from briefing.model import (
    PIN_HEADS,
    ActorView,
    ArticleNote,
    Briefing,
    Cited,
    Copy,
    DayVolume,
    Marks,
    OutletCoverage,
    Pin,
    Quote,
    TimelineEvent,
    shown_date,
)
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
        "copies": [_copy(c) for c in item.copies],
    }


def _copy(item: Copy) -> dict:
    return {
        "article_id": item.article_id,
        "source": clean_line(item.source),
        "text": clean_line(item.text),
        "published": _iso(item.published),
    }


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


def _coverage(briefing: Briefing) -> list[dict]:
    ids = [q.id for q in briefing.questions]
    return [
        {
            "source": clean_line(c.source),
            "articles": c.articles,
            "relevant": c.relevant,
            "quotes": c.quotes,
            "first": _iso(c.first),
            "last": _iso(c.last),
            "evidence": dict(zip(ids, c.evidence, strict=False)),
            "silent_on": list(c.silent_on),
        }
        for c in briefing.coverage
    ]


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


def _quote(q: Quote) -> dict:
    return {
        "text": clean_line(q.text),
        "speaker": clean_line(q.speaker),
        "article_id": q.article_id,
        "source": clean_line(q.source),
        "published": _iso(q.published),
        "new": q.new,
    }


def _actor(a: ActorView) -> dict:
    return {
        "name": clean_line(a.name),
        "kind": a.kind,
        "role": clean_line(a.role) or None,
        "mentions": a.mentions,
        "articles": a.articles,
        "first_seen": _iso(a.first_seen),
        "last_seen": _iso(a.last_seen),
        "new": a.new,
        "quotes": [_quote(q) for q in a.quotes],
        "listed": a.listed,
        "prominence": round(a.prominence, 3),
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
        "actors": [_actor(a) for a in briefing.actors],
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
                "precision": e.precision,
                "copies": [_copy(c) for c in e.copies],
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
        "volume": [{"day": _day(v.day), "articles": v.articles, "outlets": v.outlets} for v in briefing.volume],
        "coverage": _coverage(briefing),
        # Names the story file does not list, each like an actor (listed: false).
        "others": [_actor(a) for a in briefing.others],
        "other_quotes": [_quote(q) for q in briefing.other_quotes],
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


_BARS = "▁▂▃▄▅▆▇█"


def _more(shown: int, total: int, noun: str) -> str:
    """What a shortened list left out, or nothing."""
    return f"… and {total - shown} more {noun}" if total > shown else ""


def _volume(volume: tuple[DayVolume, ...]) -> list[str]:
    peak = max(v.articles for v in volume)
    bars = "".join(_BARS[0] if not v.articles else _BARS[-(-v.articles * 7 // peak)] for v in volume)
    busiest = max(volume, key=lambda v: (v.articles, v.outlets))
    active = [v for v in volume if v.articles]
    out = [
        f"Relevant articles per day, {_day(volume[0].day)} to {_day(volume[-1].day)}: `{bars}` "
        f"(peak {count(busiest.articles, 'article')} from {count(busiest.outlets, 'outlet')} "
        f"on {_day(busiest.day)}).",
        "",
        "| Day | Articles | Outlets |",
        "| --- | ---: | ---: |",
    ]
    out += [f"| {_day(v.day)} | {v.articles} | {v.outlets} |" for v in active]
    quiet = len(volume) - len(active)
    if quiet:
        out += ["", f"{count(quiet, 'day')} without a relevant article not listed."]
    return out


def _coverage_table(briefing: Briefing, limit: int) -> list[str]:
    questions = briefing.questions
    out = ["Evidence sentences per open question, in the columns below:", ""]
    out += [f"- Q{i}: {_md(q.title)}" for i, q in enumerate(questions, 1)]
    qs = "".join(f" Q{i} |" for i in range(1, len(questions) + 1))
    out += [
        "",
        f"| Outlet | Articles | Relevant |{qs} Quotes | First | Last |",
        "| --- | ---: | ---: |" + " ---: |" * len(questions) + " ---: | --- | --- |",
    ]
    shown: list[OutletCoverage] = list(briefing.coverage[:limit])
    for c in shown:
        counts = "".join(f" {n} |" for n in c.evidence)
        first = _date(c.first) if c.first else "-"
        last = _date(c.last) if c.last else "-"
        out.append(f"| {_md(c.source)} | {c.articles} | {c.relevant} |{counts} {c.quotes} | {first} | {last} |")
    more = _more(len(shown), len(briefing.coverage), "outlets")
    if more:
        out += ["", more + " (the table lists those with the most relevant articles)."]
    out.append("")
    for i, q in enumerate(questions, 1):
        silent = [c.source for c in briefing.coverage if c.relevant and q.id in c.silent_on]
        if silent:
            out.append(f"- Nothing on Q{i} from: {', '.join(_md(s) for s in silent)}.")
    return out


def _timeline_line(event: TimelineEvent) -> str:
    others = list(dict.fromkeys(c.source for c in event.copies[1:] if c.source != event.source))
    also = f"; also {', '.join(_md(s) for s in others)}" if others else ""
    return f"- **{shown_date(event.when, event.precision)}**: {_md(event.text)} ({_md(event.source)}{also})"


def _linked(title: str | None, link: str | None) -> str:
    """An article's title, linked when its link is safe to write."""
    if title is None:
        return "article no longer in the cache"
    link = safe_link(link)
    return f"[{_md(title)}](<{link}>)" if link and ">" not in link else _md(title)


def _pinned_markdown(marks: Marks) -> list[str]:
    out = ["", "## Pinned", ""]
    for pin in marks.pins:
        head = PIN_HEADS.get(pin.kind, pin.kind)
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


def to_markdown(
    briefing: Briefing, max_evidence: int = 5, max_quotes: int = 3, max_outlets: int = 20, marks: Marks | None = None
) -> str:
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
        more = _more(min(max_quotes, len(actor.quotes)), len(actor.quotes), "quotes")
        if more:
            out.append(f"  - {more}")
    if briefing.also_mentioned:
        shown_names = briefing.also_mentioned[:10]
        names = ", ".join(f"{_md(n.name)} ({n.mentions})" for n in shown_names)
        more = _more(len(shown_names), len(briefing.also_mentioned), "names")
        out += ["", f"Also mentioned: {names}{' ' + more if more else ''}."]
    out += ["", "## Open questions", ""]
    for question in briefing.questions:
        moved = f"; last moved {_date(question.last_moved)}" if question.last_moved else ""
        total = len(question.evidence)
        shown = min(total, max_evidence)
        part = f" ({shown} shown below)" if shown < total else ""
        out += [
            f"### {_md(question.title)}",
            "",
            f"{count(total, 'piece')} of evidence from {count(question.outlets, 'outlet')}{part}{moved}.",
            "",
        ]
        out += [f"- {_md(e.text)} {_cite(e)}" for e in question.evidence[:max_evidence]]
        if not question.evidence:
            out.append("- No evidence in the cache yet.")
        out.append("")
    if briefing.volume:
        out += ["## Volume", ""]
        out += _volume(briefing.volume)
        out.append("")
    if briefing.timeline:
        out += ["## Timeline", ""]
        out += [_timeline_line(e) for e in briefing.timeline]
        out.append("")
    if briefing.coverage:
        out += ["## Coverage by outlet", ""]
        out += _coverage_table(briefing, max_outlets)
        out.append("")
    out += ["## Sources", ""]
    for article in relevant or briefing.articles:
        shown_link = _linked(article.title, article.link)
        also = f" (also in: {', '.join(_md(s) for s in article.also_in)})" if article.also_in else ""
        out.append(f"- {shown_link}, {_md(article.source)}, {_date(article.published)}{also}")
    # Every piece from a feed went through _md (and so the sanitiser) above;
    # the layout (nested bullets) must keep its leading spaces.
    return "\n".join(out).rstrip() + "\n"
