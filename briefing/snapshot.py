"""A Briefing to bytes and back, so the dashboard can paint the last
briefing at once and recompute after.

JSON, not pickle: the store is a file anyone could hand us, and decoding it
must never run code.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import datetime

from briefing.model import (ActorView, ArticleRow, Briefing, Cited, NameCount, Quote, QuestionView,
                            TimelineEvent)

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
}
_DATES = {"generated_at", "last_viewed", "published", "first_seen", "last_seen", "last_moved", "when"}


def _plain(value):
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def encode(briefing: Briefing) -> bytes:
    return json.dumps(_plain(briefing), separators=(",", ":"), ensure_ascii=False).encode()


def _plan(cls) -> tuple[tuple[str, type | None, bool], ...]:
    """For each field of cls: its name, the dataclass it nests, whether it is a date.
    Worked out once a class: decoding the dashboard's first briefing builds a
    few thousand objects, before the first frame."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, _NESTED.get((cls, f.name)), f.name in _DATES) for f in fields(cls))
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


def decode(data: bytes) -> Briefing:
    """Raises ValueError (or a subclass) when the bytes are not a snapshot."""
    raw = json.loads(data)
    if not isinstance(raw, dict):
        raise ValueError("not a briefing snapshot")
    try:
        return _build(Briefing, raw)
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"not a briefing snapshot: {exc}") from None
