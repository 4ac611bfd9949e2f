"""Plain values that flow through briefing: articles in, one Briefing out.

Nothing here knows about SQLite, HTTP or the screen. Dates are timezone-aware
UTC `datetime`s or None.
"""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.record import Factory, record


@record
class ParsedArticle:
    """An article as it comes out of parsing: cleaned, not yet stored.

    `key` is its identity: the entry id, else its link, else a hash of title
    and date. `text` is plain text, paragraphs separated by a blank line.
    """

    key: str
    title: str
    source: str
    link: str | None
    published: datetime | None
    text: str
    author: str | None = None
    feed: str | None = None


@record
class Article:
    """An article as the store holds it."""

    id: int
    key: str
    title: str
    source: str
    link: str | None
    published: datetime | None
    first_seen: datetime
    text: str
    author: str | None = None
    feed: str | None = None
    read: bool = False
    # Where `text` came from: "feed", "page" (the article's web page) or "file".
    text_source: str = "feed"
    summary: str | None = None  # the feed's own text, when the page's replaced it
    page_status: str | None = None  # None: never tried; "ok" or "failed"
    page_error: str | None = None  # why the page gave no text, in words
    page_fetched: datetime | None = None  # when the page was last tried

    @property
    def when(self) -> datetime:
        """The date to sort and cite by: published, else first seen."""
        return self.published or self.first_seen


@record
class Copy:
    """One article's copy of a cited line: what to open, and the sentence
    as that article has it (to scroll to and highlight)."""

    article_id: int
    source: str
    text: str
    published: datetime | None = None


@record
class Cited:
    """A sentence with where it came from. `also` names other outlets that
    carried the same sentence (syndicated copies), best source first;
    `copies` holds every article's copy, this one first, when there is
    more than one."""

    text: str
    article_id: int
    source: str
    published: datetime | None
    also: tuple[str, ...] = ()
    new: bool = False
    score: float = 0.0
    copies: tuple[Copy, ...] = ()


@record
class Quote:
    text: str
    speaker: str
    article_id: int
    source: str
    published: datetime | None
    new: bool = False


@record
class ActorView:
    name: str
    kind: str
    role: str | None
    mentions: int
    articles: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    quotes: tuple[Quote, ...] = ()
    mentioned_in: tuple[Cited, ...] = ()
    new: bool = False
    listed: bool = True  # in the story file; False for a name the text keeps mentioning
    prominence: float = 0.0  # how central to the story; actors are ranked by it


@record
class QuestionView:
    id: str
    title: str
    evidence: tuple[Cited, ...] = ()
    outlets: int = 0
    last_moved: datetime | None = None
    new_evidence: int = 0


@record
class ArticleRow:
    """One line of the feed pane / export."""

    id: int
    title: str
    source: str
    link: str | None
    published: datetime | None
    read: bool = False
    relevance: float = 0.0
    relevant: bool = False
    also_in: tuple[str, ...] = ()
    new: bool = False


@record
class NameCount:
    """A name the text keeps mentioning that the story file does not list."""

    name: str
    mentions: int
    articles: int


_MONTHS = "January February March April May June July August September October November December".split()


def shown_date(when: datetime, precision: str = "day") -> str:
    """A date as precisely as the text gave it: '2025-03-04', 'December
    2024' or '2024'. Such dates are calendar dates (UTC midnight), not
    instants, so they are not moved into the local time zone."""
    day = when.astimezone(UTC) if when.tzinfo else when
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%Y-%m-%d")


@record
class TimelineEvent:
    when: datetime
    text: str
    article_id: int
    source: str
    precision: str = "day"  # "day", "month" or "year": how much of `when` the text gave
    copies: tuple[Copy, ...] = ()


@record
class DayVolume:
    """The story's volume on one day (UTC): relevant articles, and outlets
    that carried it."""

    day: datetime
    articles: int
    outlets: int


@record
class OutletCoverage:
    """One outlet's coverage of the story. `evidence` counts its evidence
    for each open question, in the order of Briefing.questions; `silent_on`
    lists the ids of questions it says nothing on."""

    source: str
    articles: int
    relevant: int
    quotes: int = 0
    first: datetime | None = None
    last: datetime | None = None
    evidence: tuple[int, ...] = ()
    silent_on: tuple[str, ...] = ()


@record
class Briefing:
    story_id: str
    story_title: str
    generated_at: datetime
    summary: tuple[Cited, ...] = ()
    actors: tuple[ActorView, ...] = ()
    questions: tuple[QuestionView, ...] = ()
    articles: tuple[ArticleRow, ...] = ()
    also_mentioned: tuple[NameCount, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    last_viewed: datetime | None = None
    extra: dict = Factory(factory=dict)
    # Names the story file does not list, opened like actors (listed=False).
    others: tuple[ActorView, ...] = ()
    # Quotations by speakers who are not story actors.
    other_quotes: tuple[Quote, ...] = ()
    coverage: tuple[OutletCoverage, ...] = ()
    volume: tuple[DayVolume, ...] = ()

    def row_counts(self) -> tuple[int, int, int]:
        """Feed rows: how many, how many unread, how many relevant. A briefing
        decoded for the first frame holds only the newest rows and brings
        the counts over all of them (store/snapshot.py)."""
        counted = self.extra.get("rows")
        if isinstance(counted, list) and len(counted) == 3:
            return counted[0], counted[1], counted[2]
        return (
            len(self.articles),
            sum(1 for row in self.articles if not row.read),
            sum(1 for row in self.articles if row.relevant),
        )


# -- the analyst's own marks: kept apart from the Briefing, which is derived
# from the articles and saved as a snapshot, while these change at a key press.

# The kinds of line a pin can hold.
PIN_KINDS = ("summary", "evidence", "quote", "mention", "timeline", "article")


# How a pin of each kind is introduced, before its context (the question,
# the speaker, the date): in the pinned view and both exports.
PIN_HEADS = {
    "summary": "Summary",
    "evidence": "Evidence on",
    "quote": "Quote by",
    "mention": "Mention of",
    "timeline": "Timeline,",
    "article": "Article",
}


@record
class Pin:
    """A line the user pinned, as it was shown: `text` is the sentence (the
    title, for an article), `context` what it was shown under (the question,
    the speaker, the actor, the event's date). Before it is stored, `id` is
    None. `title`, `link` and `published` are its article's now, None once
    the article is gone; `note` is the user's note on it."""

    kind: str
    article_id: int
    text: str
    source: str
    context: str = ""
    id: int | None = None
    created: datetime | None = None
    note: str | None = None
    title: str | None = None
    link: str | None = None
    published: datetime | None = None


@record
class ArticleNote:
    """The user's note on an article; `title` is None once the article is gone."""

    article_id: int
    text: str
    updated: datetime
    title: str | None = None
    source: str | None = None
    link: str | None = None
    published: datetime | None = None


@record
class Marks:
    """Everything the user pinned and noted, in the order they did it."""

    pins: tuple[Pin, ...] = ()
    notes: tuple[ArticleNote, ...] = ()

    def find(self, line: Pin) -> Pin | None:
        """The stored pin of this line (an article's, whatever its title now)."""
        for pin in self.pins:
            if pin.kind == line.kind and pin.article_id == line.article_id:
                if pin.kind == "article" or (pin.text, pin.context) == (line.text, line.context):
                    return pin
        return None

    def article_note(self, article_id: int) -> str | None:
        return next((n.text for n in self.notes if n.article_id == article_id), None)

    def note_on(self, line: Pin) -> str | None:
        """The note the user sees on this line: an article's own for an
        article, else the pin's."""
        if line.kind == "article":
            return self.article_note(line.article_id)
        pin = self.find(line)
        return pin.note if pin else None
