"""What a refresh reports: each feed's outcome, the whole refresh's report,
and the stop a signal makes. A leaf, so the parser processes and the CLI
read them without importing the refresh."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.text.plural import count

UPDATED = "updated"
NOT_MODIFIED = "not_modified"
FAILED = "failed"
SKIPPED = "skipped"

# How ingest/fetch.py words a failure to reach the server at all (no DNS,
# no route, nothing listening, no answer to the connect): what every feed
# says when this machine is offline.
_UNREACHABLE = (
    "connection refused",
    "host not found",
    "network unreachable",
    "could not connect",
)
_CONNECT_TIMEOUT = "s connecting"


def unreachable(error: str | None) -> bool:
    """Whether a failure's words say the server could not be reached at all."""
    if not error:
        return False
    words = error.split(": ", 1)[1] if error.startswith("redirected to ") and ": " in error else error
    return words.startswith(_UNREACHABLE) or (words.startswith("timed out") and words.endswith(_CONNECT_TIMEOUT))


class RefreshStopped(Exception):
    """A refresh stopped by a signal. Every feed stored before it stays
    stored (each is one transaction), and nothing is written after it is
    raised: the parser processes are dead by then."""

    def __init__(self, signal_number: int, feeds_stored: int, total: int, new_articles: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.feeds_stored = feeds_stored
        self.total = total
        self.new_articles = new_articles

    def line(self) -> str:
        """'stopped: 3 of 40 feeds stored, 120 new articles'"""
        return (
            f"stopped: {self.feeds_stored} of {count(self.total, 'feed')} stored, "
            f"{count(self.new_articles, 'new article')}"
        )


@dataclass(frozen=True)
class FeedOutcome:
    """How one feed's refresh went.

    status: "updated" (a new document was parsed and stored), "not_modified"
    (a 304), "failed" (error says why, in words) or "skipped" (error says
    until when: the server asked us to wait, or min_interval has not passed).
    note: what an update left out ("kept the newest 2,000 of 50,000 entries").
    """

    name: str
    status: str
    new: int = 0
    updated: int = 0
    error: str | None = None
    http_status: int | None = None
    elapsed: float = 0.0
    note: str | None = None


@dataclass(frozen=True)
class RefreshReport:
    outcomes: tuple[FeedOutcome, ...]
    new_articles: int
    changed_ids: tuple[int, ...]
    pages_fetched: int = 0  # article pages whose text replaced the feed's
    pages_failed: int = 0  # article pages that gave no text (each article's page_error says why)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def offline(self) -> bool:
        """Every feed tried failed to reach its server: the network is down
        (or this machine is offline), not each feed broken."""
        tried = [o for o in self.outcomes if o.status != SKIPPED]
        return bool(tried) and all(o.status == FAILED and unreachable(o.error) for o in tried)

    @property
    def ok(self) -> bool:
        """At least one feed succeeded, or nothing failed (nothing to do)."""
        if any(o.status in (UPDATED, NOT_MODIFIED) for o in self.outcomes):
            return True
        return self.count(FAILED) == 0

    def summary_line(self) -> str:
        """'12 feeds: 9 updated, 2 not modified, 1 failed; 37 new articles',
        then '; 20 pages fetched, 3 failed' when any page was tried."""
        total = len(self.outcomes)
        parts = [
            f"{self.count(UPDATED)} updated",
            f"{self.count(NOT_MODIFIED)} not modified",
            f"{self.count(FAILED)} failed",
        ]
        if self.count(SKIPPED):
            parts.append(f"{self.count(SKIPPED)} skipped")
        line = f"{count(total, 'feed')}: {', '.join(parts)}; {count(self.new_articles, 'new article')}"
        if self.pages_fetched or self.pages_failed:
            line += f"; {count(self.pages_fetched, 'page')} fetched, {self.pages_failed} failed"
        return line
