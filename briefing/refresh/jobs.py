"""What the parser pool sends its processes, and how they parse it: shared
by the pool (parser_pool.py) and the processes' main loop
(parser_process.py), which import nothing else of each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from briefing.ingest.feed import ParsedFeed
    from briefing.ingest.page_text import PageText

# Parser processes run this much nicer than the process that started them, so
# the dashboard's screen (and the refresh's own fetching and storing) win a
# contended core; on an idle core they lose nothing.
PARSER_NICENESS = 10
# Set in a parser process's environment when the refresh may bring pages:
# the process loads the extractor as soon as it has said it is ready, while
# the feeds are still being fetched, not when the first page is waiting.
PAGES_AHEAD = "BRIEFING_PARSER_PAGES"
# Jobs the pool keeps in one process's pipe at a time.
JOBS_IN_PIPE = 2


def parse_job(
    body: bytes, feed_name: str, content_type: str | None
) -> tuple[Literal["ok"], ParsedFeed] | tuple[Literal["failed"], str]:
    """Parse one body: ("ok", ParsedFeed) or ("failed", words). Runs in a
    parser process; never raises."""
    # Not at the top: a parser process imports parsing's modules in its warm-up, the refreshing process never.
    from briefing.ingest.feed import NotAFeed, parse_feed
    from briefing.text.sanitize import clean_line

    try:
        return "ok", parse_feed(body, feed_name, content_type)
    except NotAFeed as exc:
        return "failed", clean_line(str(exc))[:200]
    except RecursionError:
        return "failed", "not a feed: nested too deeply to read"
    except Exception as exc:  # noqa: BLE001 - a hostile document must not end the refresh
        return "failed", clean_line(f"could not parse: {type(exc).__name__}: {exc}")[:200]


@dataclass(frozen=True)
class StoreJob:
    """Where a parser process stores the articles it parsed, and the fetch's
    validators to record with them."""

    store_path: Path
    feed_name: str
    feed_url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class PageJob:
    """An article's web page, to extract its text from: the page's bytes,
    its address (trafilatura reads the site from it), and the feed's CSS
    selector when it has one."""

    html: bytes
    url: str
    selector: str | None = None


def page_job(job: PageJob) -> tuple[Literal["page"], PageText]:
    """The page's article text: ("page", PageText), its problem set when
    there is none. Runs in a parser process; never raises."""
    # Not at the top: trafilatura and lxml load at a process's first page.
    from briefing.ingest.page_text import PageText, extract_article
    from briefing.text.sanitize import clean_line

    try:
        return "page", extract_article(job.html, job.url, job.selector)
    except RecursionError:
        return "page", PageText("", None, "the page is too deeply nested to read")
    except Exception as exc:  # noqa: BLE001 - a hostile page must not end the refresh
        return "page", PageText("", None, clean_line(f"the page could not be read ({type(exc).__name__})")[:200])
