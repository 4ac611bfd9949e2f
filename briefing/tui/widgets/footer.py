"""Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds its row of keys each time the screen publishes
its bindings, which is on every focus move; on the dashboard that rebuild
held up the paint of a move between panels about 2.5 times over
(benchmarks/README.md, "Textual's Header and Footer"), and the keys shown
are the same in every panel.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

# What a footer's keys are made from: (key, binding, enabled, tooltip).
Shown = tuple[tuple[str, object, bool, str], ...]


def shown_keys(screen: Screen) -> Shown:
    """The screen's active bindings a footer shows: those marked `show`, and
    the command palette's."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, active.binding, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
        if active.binding.show or key == palette
    )


class SteadyFooter(Footer):
    """A Footer that skips the rebuild when the keys it would show are
    those it shows."""

    def __init__(self) -> None:
        # Compact: one space between keys instead of two, so that an
        # 80-column footer has room for each view's keys and the palette.
        super().__init__(compact=True)
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = shown_keys(screen)
        if shown == self._shown:
            return
        # Remembered only when Textual's handler rebuilds: it waits while the
        # app is not focused, and the next call must not be skipped then.
        self._shown = shown if self.app.app_focus else None
        super().bindings_changed(screen)
