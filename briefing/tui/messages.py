"""Typed messages that workers post to the app: attributes down, messages up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from briefing.model import Briefing, Marks

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.tui.citations import Trail


class BriefingReady(Message):
    """A briefing to show; `generation`: the store's generation read before
    it was made (None: not known), so a later change is seen as one."""

    def __init__(self, briefing: Briefing, generation: int | None = None) -> None:
        super().__init__()
        self.briefing = briefing
        self.generation = generation


class RefreshProgress(Message):
    def __init__(
        self, done: int, total: int, feed: str, status: str, error: str | None, unreachable: bool = False
    ) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.feed = feed
        self.status = status
        self.error = error
        self.unreachable = unreachable  # a failure to reach the server at all


class RefreshFinished(Message):
    def __init__(
        self,
        summary: str,
        ok: bool,
        changed_ids: tuple[int, ...],
        *,
        offline: bool = False,
        new: int = 0,
        failed: int = 0,
        feeds: int = 0,
    ) -> None:
        super().__init__()
        self.summary = summary
        self.ok = ok
        self.changed_ids = changed_ids
        self.offline = offline  # every feed failed to reach its server
        self.new = new
        self.failed = failed
        self.feeds = feeds


class OpenArticle(Message):
    """Any view asks for the reader on one article. From a list of lines
    (`trail`), the reader opens its `index`th at the cited sentence, and
    steps through the rest; `choose`: ask which outlet's copy when the line
    has several."""

    def __init__(self, article_id: int, trail: Trail | None = None, index: int = 0, choose: bool = False) -> None:
        super().__init__()
        self.article_id = article_id
        self.trail = trail
        self.index = index
        self.choose = choose


class ArticleShown(Message):
    """The reader moved to another article (a step through its list)."""

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id


class MarksChanged(Message):
    """The user's pins and notes as the store now holds them, and what to
    tell the user about the change (None: nothing)."""

    def __init__(self, marks: Marks, notice: str | None = None, warning: bool = False) -> None:
        super().__init__()
        self.marks = marks
        self.notice = notice
        self.warning = warning


class FullTextDone(Message):
    """One article's page was fetched (or failed) at the user's request:
    `words` says how, `changed` whether its stored text is new."""

    def __init__(self, article_id: int, ok: bool, words: str, changed: bool) -> None:
        super().__init__()
        self.article_id = article_id
        self.ok = ok
        self.words = words
        self.changed = changed


class ReadMarked(Message):
    """Articles were marked read (or unread) in the store; `unread`: the
    store's count of unread articles after it (None: not known)."""

    def __init__(self, article_ids: tuple[int, ...], read: bool, unread: int | None, every: bool = False) -> None:
        super().__init__()
        self.article_ids = article_ids
        self.every = every  # every article was marked read
        self.read = read
        self.unread = unread


class StoreChanged(Message):
    """Another process changed the store's articles (its generation moved)."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class StoryEdited(Message):
    """An edit to the story file was saved (`config`: the file as it now
    is) or refused (`config` None); `notice` says which, in one line."""

    def __init__(self, config: Config | None, notice: str) -> None:
        super().__init__()
        self.config = config
        self.notice = notice
