"""Article pages: fetching an article's web page for its whole text.

Many feeds carry a teaser of a line or two; the analysis needs the article.
After a refresh stores a feed's articles, `pages_wanted` picks those
of its new or changed articles whose page is wanted (the feed's
`full_text`: "always", every one; "auto", those about the story whose feed
text is a teaser; "never", none), fetches each page with the refresh's own
Fetcher (its timeouts, redirect rules, size cap, per-host limits and
User-Agent) and has a parser process extract the text (parser_pool.extract,
under the parse time limit), which then replaces the feed's text, kept as
the summary. A page that gives no text leaves the feed's text in place and
records why; nothing about a page ever fails the refresh.

A page is fetched once for each version of its article: the store keeps
the content_hash it was fetched for (page_hash). A failed page is tried
again only when the feed changes the article, or once PAGE_RETRY_AFTER has
passed while the article is still recent (PAGE_RETRY_WINDOW): a page that
was down or too slow gets another chance, a paywall is not asked every
refresh. A site that answers 429 or 503 with Retry-After is not asked for
any page until then (kept in the store, across refreshes).

`fetch_pages()` fetches given articles' pages now (the dashboard's `f`):
synchronous, with its own event loop, as refresh() is.

Imported by refresh/run.py when a refresh runs, never by the dashboard:
asyncio, httpx (through the Fetcher) and the analysis load with it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from briefing.config import Config, Feed, Settings
from briefing.ingest.fetch import ACCEPT_HTML, Fetcher, FetchRequest
from briefing.model import ParsedArticle
from briefing.refresh.jobs import PageJob
from briefing.refresh.parser_pool import ParserPool
from briefing.store.database import Store
from briefing.store.pages import PageTarget
from briefing.store.values import from_iso, to_iso, utcnow
from briefing.text.sanitize import MAX_TEXT_CHARS, clean_line, clip, safe_link

# A feed text shorter than this many words is a teaser, not the article:
# the measured news feeds give 11 to 86 words an entry (BBC, Spiegel, Heise,
# UOL, the Guardian), the articles they link to 500 to 900.
TEASER_WORDS = 120
# More characters than any teaser's words take (a word and its space are a
# handful of characters): a longer feed text is not looked at word by word.
_CHARS_A_WORD = 20
# A failed page is tried again once this long has passed (and no sooner:
# a Retry-After is never longer, fetch.MAX_RETRY_AFTER), ...
PAGE_RETRY_AFTER = timedelta(days=1)
# ... for articles first seen this recently; older ones keep the feed's text.
PAGE_RETRY_WINDOW = timedelta(days=3)
# What an article page may be: HTML, or a type the server did not say.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# The store's meta key holding until when a site asked not to be asked.
_HOST_WAIT = "page_wait:"

# Pages fetched or being extracted at once, by one refresh.
PAGES_IN_HAND = 12

OK = "ok"
FAILED = "failed"


@dataclass(frozen=True)
class PageOutcome:
    """How one article's page went: "ok" (its text is the page's) or
    "failed" (error says why, in words; the article kept its text)."""

    article_id: int
    status: str
    error: str | None = None


@dataclass(frozen=True)
class PagesReport:
    outcomes: tuple[PageOutcome, ...] = ()

    @property
    def fetched(self) -> int:
        return sum(1 for o in self.outcomes if o.status == OK)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.status == FAILED)

    @property
    def changed_ids(self) -> tuple[int, ...]:
        """The articles whose text is now their page's: to analyse again."""
        return tuple(o.article_id for o in self.outcomes if o.status == OK)

    def line(self) -> str:
        """'3 pages fetched, 1 failed'"""
        return f"{self.fetched} page{'' if self.fetched == 1 else 's'} fetched, {self.failed} failed"


def is_teaser(text: str) -> bool:
    return len(text.split()) < TEASER_WORDS


def pages_wanted(store: Store, config: Config, feed: Feed, article_ids: Sequence[int]) -> list[PageTarget]:
    """Which of a feed's new or changed articles (and its failures due a
    retry) need their page fetched, by the feed's full_text."""
    if feed.full_text == "never":
        return []
    now = utcnow()
    retry = store.failed_pages([feed.name], now - PAGE_RETRY_AFTER, now - PAGE_RETRY_WINDOW)
    ids = list(dict.fromkeys([*article_ids, *retry]))
    # For "auto", only texts short enough to be teasers are counted at all.
    longest = None if feed.full_text == "always" else TEASER_WORDS * _CHARS_A_WORD
    targets = [t for t in store.page_targets(ids, max_chars=longest) if not t.page_current or t.id in retry]
    if feed.full_text == "always" or not targets:
        return targets
    # "auto": a teaser about the story. Its relevance is the analysis's own,
    # which costs little on a teaser's few words; not stored, as the
    # briefing analyses the articles after the refresh (with their pages).
    # A teaser with no word of the story's (most of a general feed) is
    # ruled out without analysing it: a refresh brings thousands.
    from briefing.analysis import analyse_article, is_relevant
    from briefing.analysis.story import may_be_relevant

    short = [t.id for t in targets if t.feed_words < TEASER_WORDS]  # counted as the targets were read
    teasers = [
        a
        for a in store.articles(short)
        if a.text_source != "page" and is_teaser(a.text) and may_be_relevant(a.title, a.text, config.story)
    ]
    relevant = {a.id for a in teasers if is_relevant(analyse_article(a, config.story))}
    return [t for t in targets if t.id in relevant]


class PageStage:
    """Fetches and stores pages with a refresh's Fetcher, parser pool and
    store, on its event loop. Never raises for a page: each ends as a
    PageOutcome, also when storing it fails."""

    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher,
        parser: ParserPool,
        on_page_done: Callable[[PageOutcome], None] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.parser = parser
        self.on_page_done = on_page_done
        self.outcomes: list[PageOutcome] = []
        self.host_waits: dict[str, datetime] = {}
        # Pages read and not yet extracted each hold their body (up to
        # max_bytes): at most this many at once, a few per parser process,
        # so a refresh of a thousand pages holds a few bodies, not all.
        self.in_hand = asyncio.Semaphore(PAGES_IN_HAND)

    async def fetch_all(self, targets: Sequence[PageTarget], selector: str | dict[str, str | None] | None) -> None:
        """Fetch these pages, at once (the Fetcher's limits pace them), with
        one selector, or each feed's (by feed name)."""

        def selector_of(target: PageTarget) -> str | None:
            return selector.get(target.feed or "") if isinstance(selector, dict) else selector

        await asyncio.gather(*(self.fetch(target, selector_of(target)) for target in targets))

    async def fetch(self, target: PageTarget, selector: str | None) -> PageOutcome:
        try:
            async with self.in_hand:
                outcome = await self._fetch(target, selector)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a page never fails the refresh; said in words
            outcome = self._failed(target, clean_line(f"could not store the page: {exc}")[:200])
        self.outcomes.append(outcome)
        if self.on_page_done:
            self.on_page_done(outcome)
        return outcome

    async def _fetch(self, target: PageTarget, selector: str | None) -> PageOutcome:
        host = (urlsplit(target.link).hostname or "").lower()
        wait = self._host_wait(host)
        if wait is not None:
            return self._failed(target, f"not asked: {clean_line(host)[:80]} asked to wait until {_local(wait)}")
        page = await read_page(self.fetcher, self.parser, target.link, selector)
        if page.retry_after is not None:
            self._set_host_wait(host, page.retry_after)
        if page.error is not None:
            return self._failed(target, page.error)
        text = page.text
        if len(text.split()) <= target.feed_words:
            return self._failed(
                target, f"the page's text ({len(text.split())} words) is no longer than the feed's; kept the feed's"
            )
        if not self.store.store_page(target.id, target.content_hash, clip(text, MAX_TEXT_CHARS)):
            return PageOutcome(target.id, FAILED, "the article changed while its page was fetched")
        return PageOutcome(target.id, OK)

    def _failed(self, target: PageTarget, error: str) -> PageOutcome:
        error = clean_line(error)[:200]
        self.store.store_page_failure(target.id, target.content_hash, error)
        return PageOutcome(target.id, FAILED, error)

    def _host_wait(self, host: str) -> datetime | None:
        if host not in self.host_waits:
            until = from_iso(self.store.get_meta(_HOST_WAIT + host))
            self.host_waits[host] = until or datetime.min.replace(tzinfo=utcnow().tzinfo)
        until = self.host_waits[host]
        return until if until > utcnow() else None

    def _set_host_wait(self, host: str, until: datetime) -> None:
        self.host_waits[host] = until
        self.store.set_meta(_HOST_WAIT + host, to_iso(until))


@dataclass(frozen=True)
class PageRead:
    """An article page read: its text (plain, paragraphs apart), title and
    site name, or why there is none (error, in words; retry_after when the
    site asked us to wait)."""

    url: str
    text: str = ""
    title: str | None = None
    site: str | None = None
    error: str | None = None
    retry_after: datetime | None = None


async def read_page(fetcher: Fetcher, parser: ParserPool, url: str, selector: str | None = None) -> PageRead:
    """Fetch a page with the fetcher (its limits and rules) and extract its
    article text in a parser process. Never raises for what the page is."""
    result = await fetcher.fetch(FetchRequest(url, url, accept=ACCEPT_HTML))
    if result.status != "ok" or result.body is None:
        return PageRead(url, error=result.error or "no page", retry_after=result.retry_after)
    media = (result.content_type or "").split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        return PageRead(url, error=f"not HTML ({clean_line(media)[:60]})")
    kind, value = await parser.extract(PageJob(result.body, result.final_url or url, selector))
    if kind != "page":
        return PageRead(url, error=str(value))
    text, title, problem = getattr(value, "text", ""), getattr(value, "title", None), getattr(value, "problem", None)
    if problem or not text:
        return PageRead(url, title=title, error=problem or "no article text found")
    return PageRead(url, clip(text, MAX_TEXT_CHARS), title, site_name(result.body))


# The page's own name for its site, in a <meta> tag of its head.
_ATTRIBUTE = re.compile(rb"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SITE_NAMES = (b"og:site_name", b"application-name")
# The head is near the top; a site name further down is not one.
_HEAD_BYTES = 256 * 1024
# A longer <meta> tag is not one a site names itself in.
_MAX_TAG = 2000


def site_name(html: bytes) -> str | None:
    """The site's name as its page gives it (og:site_name, else
    application-name), cleaned to one line; None when it gives none. Each
    byte of the head is looked at a bounded number of times."""
    head = html[:_HEAD_BYTES]
    low = head.lower()
    found: dict[bytes, str] = {}
    start = 0
    while (begin := low.find(b"<meta", start)) != -1:
        end = low.find(b">", begin)
        if end == -1:
            break
        start = end + 1
        if end - begin > _MAX_TAG:
            continue
        attributes = {
            match[1].lower(): match[2] or match[3] or match[4] or b"" for match in _ATTRIBUTE.finditer(head[begin:end])
        }
        key = (attributes.get(b"property") or attributes.get(b"name") or b"").lower()
        if key in _SITE_NAMES and key not in found:
            name = clean_line(unescape(attributes.get(b"content", b"").decode("utf-8", "replace")))[:100]
            if name:
                found[key] = name
    return next((found[key] for key in _SITE_NAMES if key in found), None)


def page_article(page: PageRead, source: str | None = None, published: datetime | None = None) -> ParsedArticle:
    """An article read from its page, to store as an import: its address is
    its link and its identity; the outlet is `source`, else the site's own
    name, else the host."""
    from briefing.ingest.files import import_key

    link = safe_link(page.url) or page.url
    host = (urlsplit(link).hostname or "").lower()
    outlet = clean_line(source) or page.site or clean_line(host) or "Imported"
    return ParsedArticle(
        # Like a file's: the same page imported for two outlets is two copies.
        key=import_key(link, outlet),
        title=clip(clean_line(page.title), 300) or host or link,
        source=outlet,
        link=link,
        published=published,
        text=page.text,
        feed=None,
    )


def read_pages(settings: Settings, urls: Sequence[str]) -> list[PageRead]:
    """Read these pages now, as a refresh reads an article's page (the
    same fetcher settings, the same extraction in a parser process); one
    PageRead each, in order. Synchronous, with its own event loop."""
    return asyncio.run(_read_pages(settings, list(urls)))


async def _read_pages(settings: Settings, urls: list[str]) -> list[PageRead]:
    parser = ParserPool(pages=True)
    try:
        async with Fetcher(settings) as fetcher:
            return list(await asyncio.gather(*(read_page(fetcher, parser, url) for url in urls)))
    finally:
        await parser.close()


def _local(when: datetime) -> str:
    return f"{when.astimezone():%Y-%m-%d %H:%M}"


def fetch_pages(config: Config, store_path: Path, article_ids: Sequence[int], force: bool = True) -> PagesReport:
    """Fetch these articles' pages now and store their text, as a refresh
    would, with the config's fetch settings and each feed's selector.
    `force`: also those whose page was already fetched or failed for the
    article as it is; without it, only those never tried. Articles without
    an http(s) link are left out. Synchronous, with its own event loop;
    raises StoreError for a store that cannot be opened, never for a page."""
    store = Store(store_path)
    try:
        targets = [t for t in store.page_targets(article_ids) if force or not t.page_current]
        if not targets:
            return PagesReport()
        return asyncio.run(_fetch_pages(config, store, targets))
    finally:
        store.close()


async def _fetch_pages(config: Config, store: Store, targets: list[PageTarget]) -> PagesReport:
    selectors = {feed.name: feed.selector for feed in config.feeds}
    parser = ParserPool(pages=True)
    try:
        async with Fetcher(config.settings) as fetcher:
            stage = PageStage(config, store, fetcher, parser)
            await stage.fetch_all(targets, selectors)
    finally:
        await parser.close()
    return PagesReport(tuple(stage.outcomes))
