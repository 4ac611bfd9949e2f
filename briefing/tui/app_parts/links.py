"""Links: opening the selected article's link in a browser, after asking,
and copying it to the terminal's clipboard; only http and https links."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from textual import work

from briefing.text.sanitize import clean_line, safe_link
from briefing.tui.app_parts.base import AppPart


def has_display() -> bool:
    """Whether a browser can show a window here: not over SSH or on a
    console without one (where webbrowser would run a text browser inside
    our screen), unless $BROWSER names what to run."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> str | None:
    """Open a link in the user's browser: None when one was started, else
    why none was (webbrowser.open says False when nothing could start)."""
    if not has_display():
        return "no graphical display here (DISPLAY is not set, as over SSH), so no browser can start"
    import webbrowser  # only for a link the user opens

    try:
        opened = webbrowser.open(url)
    except (webbrowser.Error, OSError) as exc:
        return f"the browser did not start ({clean_line(str(exc)) or type(exc).__name__})"
    return None if opened else "no browser could be started (none found, or it failed at once)"


class Links(AppPart):
    """The App's keys for the selected article's link (BriefingApp defines the state)."""

    _open_url: Callable[[str], str | None]  # injectable so tests never start a browser
    _selected_link: Callable[[], str | None]

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Every link the app opens goes to the opener it was given."""
        self._open_url(url)

    def _web_link(self, link: str, not_doing: str, done_to: str) -> str | None:
        """The link, made safe, when it is an http or https one; else None,
        once the user is told: "<not_doing> <link>: only http and https <done_to>"."""
        safe = safe_link(link)
        if safe is None:
            self.notify(
                f"{not_doing} {clean_line(link)[:80]}: only http and https {done_to}.",
                severity="warning",
                markup=False,
            )
        return safe

    def action_open_link(self) -> None:
        link = self._selected_link()
        if not link:
            self.notify("No article with a link is selected.", severity="warning", markup=False)
            return
        from briefing.tui.screens.confirm_link import ConfirmLinkScreen

        safe = self._web_link(link, "Not opening", "links are opened")
        if safe is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_link_now(safe)

        self.push_screen(ConfirmLinkScreen(safe), answered)

    @work(thread=True, group="link", exit_on_error=False)
    def open_link_now(self, link: str) -> None:
        """On a thread: a browser named by $BROWSER is waited for, and the
        screen must not wait with it."""
        why_not = self._open_url(link)
        if why_not is None:
            self.call_from_thread(self.notify, f"Opened {link[:80]}", markup=False)
        else:
            self.call_from_thread(
                self.notify,
                f"Not opened: {clean_line(str(why_not))}. Press y to copy the link instead.",
                title="No browser",
                severity="warning",
                markup=False,
                timeout=8,
            )

    def action_copy_link(self) -> None:
        link = self._selected_link()
        if not link:
            self.notify("No article with a link is selected.", severity="warning", markup=False)
            return
        safe = self._web_link(link, "Not copying", "links are copied")
        if safe is None:
            return
        self.copy_to_clipboard(safe)
        self.notify(
            f"Copied {safe[:80]}\n(sent to your terminal's clipboard by OSC 52, which works over SSH "
            "if the terminal allows it)",
            title="Link copied",
            markup=False,
        )
