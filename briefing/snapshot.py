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


def _build(cls, data: dict):
    values = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        nested = _NESTED.get((cls, f.name))
        if nested is not None:
            value = tuple(_build(nested, item) for item in value)
        elif f.name in _DATES and value is not None:
            value = datetime.fromisoformat(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
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
