"""What prune keeps: every article the briefing cites, in any view."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.cli.articles import evidence_ids
from briefing.model import ActorView, Briefing, Cited, Copy, Quote, TimelineEvent

WHEN = datetime(2025, 3, 10, tzinfo=UTC)


def test_outlets_copies_other_names_and_their_quotes_are_kept() -> None:
    briefing = Briefing(
        story_id="s",
        story_title="S",
        generated_at=WHEN,
        summary=(Cited("A line.", 1, "Wire", WHEN, copies=(Copy(1, "Wire", "A line."), Copy(2, "Post", "A line!"))),),
        timeline=(TimelineEvent(WHEN, "An event.", 3, "Wire", copies=(Copy(3, "Wire", "x"), Copy(4, "Post", "y"))),),
        others=(
            ActorView(
                "Tomas Reed",
                "person",
                None,
                2,
                2,
                quotes=(Quote("We stay out.", "Tomas Reed", 5, "Post", WHEN),),
                mentioned_in=(Cited("Reed spoke.", 6, "Post", WHEN),),
                listed=False,
            ),
        ),
        other_quotes=(Quote("Not today.", "A driver", 7, "Wire", WHEN),),
    )
    assert evidence_ids(briefing) == {1, 2, 3, 4, 5, 6, 7}
