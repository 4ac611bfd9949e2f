"""A Briefing to bytes and back, so the dashboard can paint the last
briefing at once and recompute after.

JSON, not pickle: the store is a file anyone could hand us, and decoding it
must never run code.
"""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import datetime

from briefing.model import (
    ActorView,
    ArticleRow,
    Briefing,
    Cited,
    Copy,
    DayVolume,
    NameCount,
    OutletCoverage,
    QuestionView,
    Quote,
    TimelineEvent,
)
from briefing.record import fields, is_record

# Which dataclass each nested field holds.
_NESTED = {
    (Briefing, "summary"): Cited,
    (Briefing, "actors"): ActorView,
    (Briefing, "questions"): QuestionView,
    (Briefing, "articles"): ArticleRow,
    (Briefing, "also_mentioned"): NameCount,
    (Briefing, "timeline"): TimelineEvent,
    (ActorView, "quotes"): Quote,
    (ActorView, "mentioned_in"): Cited,
    (QuestionView, "evidence"): Cited,
    (Briefing, "others"): ActorView,
    (Briefing, "other_quotes"): Quote,
    (Briefing, "coverage"): OutletCoverage,
    (Briefing, "volume"): DayVolume,
    (Cited, "copies"): Copy,
    (TimelineEvent, "copies"): Copy,
}
_DATES = {
    "generated_at",
    "last_viewed",
    "published",
    "first_seen",
    "last_seen",
    "last_moved",
    "when",
    "first",
    "last",
    "day",
}


def _plain(value):
    if is_record(value):
        return {name: _plain(getattr(value, name)) for name in fields(value)}
    if is_dataclass(value):  # an analysis value in `extra`
        return {f.name: _plain(getattr(value, f.name)) for f in dataclass_fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


# The dashboard's first frame needs the summary, actors and questions but
# only the newest few of the (up to 1,000) feed rows, which are nine tenths
# of the bytes. So a snapshot is two JSON documents, one line each (compact
# JSON never holds a raw newline): the briefing with its first HEAD_ROWS
# rows and the counts over all of them (extra["rows"]: rows, unread,
# relevant), then {"articles": the rest}. decode(head_only=True) reads the
# first alone.
HEAD_ROWS = 60
# Likewise an actor's "mentioned in" lines (hundreds, for a large store):
# the first frame's head keeps the newest HEAD_MENTIONS of each actor's and
# other name's, the tail the rest ("mentioned_in": {"actors": [...], "others": [...]},
# one list of lines per view, in order).
HEAD_MENTIONS = 5
# And what the first frame does not draw at all (views opened by a key)
# goes to the tail whole: a large store's coverage and volume are hundreds
# of values, and the head is decoded before the first frame.
TAIL_FIELDS = ("timeline", "volume", "coverage", "other_quotes")


def encode(briefing: Briefing) -> bytes:
    head = _plain(briefing)
    rows = head["articles"]
    head["articles"] = rows[:HEAD_ROWS]
    head["extra"] = {**head["extra"], "rows": list(briefing.row_counts())}
    tail: dict = {"articles": rows[HEAD_ROWS:]}
    later = {}
    for group, keep in (("actors", HEAD_MENTIONS), ("others", 0)):
        # The first frame lists the other names with their counts only.
        rest = []
        for view in head[group]:
            lines = view["mentioned_in"]
            view["mentioned_in"] = lines[:keep]
            rest.append(lines[keep:])
        later[group] = rest
    tail["mentioned_in"] = later
    # Each outlet's copy of a cited line is opened by Enter, never drawn in
    # the first frame: the copies go to the tail, line by line.
    tail["copies"] = {
        "summary": [line.pop("copies") for line in head["summary"]],
        "evidence": [[line.pop("copies") for line in question["evidence"]] for question in head["questions"]],
    }
    for name in TAIL_FIELDS:
        tail[name] = head.pop(name)
    return b"\n".join(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode() for doc in (head, tail))


def _plan(cls) -> tuple[tuple[str, type | None, bool], ...]:
    """For each field of cls: its name, the record class it nests, whether it is a date.
    Worked out once a class: decoding the dashboard's first briefing builds a
    few thousand objects, before the first frame."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((name, _NESTED.get((cls, name)), name in _DATES) for name in fields(cls))
    return plan


_PLANS: dict[type, tuple] = {}


def _build(cls, data: dict):
    values = {}
    for name, nested, is_date in _plan(cls):
        if name not in data:
            continue
        value = data[name]
        if nested is not None:
            value = tuple(_build(nested, item) for item in value)
        elif is_date and value is not None:
            value = datetime.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return cls(**values)


def decode(data: bytes, head_only: bool = False) -> Briefing:
    """The briefing (head_only: with just its newest feed rows, counts over
    all of them kept). Raises ValueError (or a subclass) when the bytes are
    not a snapshot."""
    head, _, rest = data.partition(b"\n")
    raw = json.loads(head)
    if not isinstance(raw, dict):
        raise ValueError("not a briefing snapshot")
    if rest and not head_only:
        tail = json.loads(rest)
        if not isinstance(tail, dict) or not isinstance(raw.get("articles"), list):
            raise ValueError("not a briefing snapshot")
        raw["articles"] += tail.get("articles", [])
        later = tail.get("mentioned_in")
        if isinstance(later, dict):
            for group, rests in later.items():
                views = raw.get(group)
                if isinstance(views, list) and isinstance(rests, list) and len(views) == len(rests):
                    for view, rest in zip(views, rests, strict=True):
                        if isinstance(view, dict) and isinstance(view.get("mentioned_in"), list):
                            view["mentioned_in"] += rest
        _copies_back(raw, tail.get("copies"))
        for name in TAIL_FIELDS:
            if name in tail:
                raw[name] = tail[name]
        if isinstance(raw.get("extra"), dict):
            raw["extra"].pop("rows", None)
    try:
        return _build(Briefing, raw)
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"not a briefing snapshot: {exc}") from None


def _copies_back(raw: dict, copies: object) -> None:
    """Put the cited lines' copies the tail holds back on their lines."""
    if not isinstance(copies, dict):
        return
    pairs = [(raw.get("summary"), copies.get("summary"))]
    questions = raw.get("questions")
    evidence = copies.get("evidence")
    if isinstance(questions, list) and isinstance(evidence, list) and len(questions) == len(evidence):
        pairs += [
            (q.get("evidence") if isinstance(q, dict) else None, e) for q, e in zip(questions, evidence, strict=True)
        ]
    for lines, held in pairs:
        if isinstance(lines, list) and isinstance(held, list) and len(lines) == len(held):
            for line, line_copies in zip(lines, held, strict=True):
                if isinstance(line, dict):
                    line["copies"] = line_copies
