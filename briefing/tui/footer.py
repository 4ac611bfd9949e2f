"""The footer, without Textual's redraw of the whole screen on every focus change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual's Footer rebuilds itself whenever the focused widget changes,
    and a rebuild lays out and repaints the whole screen (~50-100 ms here
    with four full panels: most of what pressing 1-4 cost). The keys it shows
    are the app's, the same whichever panel has focus, so it rebuilds only
    when they change."""

    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = _shown_keys(screen)
        if self._bindings_ready and shown == self._shown:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown


def _shown_keys(screen: Screen) -> tuple:
    """What Footer.compose draws from the screen's active bindings."""
    active = screen.active_bindings
    keys = tuple((binding.key, binding.action, binding.description, binding.key_display, binding.group,
                  enabled, tooltip)
                 for _node, binding, enabled, tooltip in active.values() if binding.show)
    palette = active.get(screen.app.COMMAND_PALETTE_BINDING)
    return keys, (palette[1].key, palette[2]) if palette else None
