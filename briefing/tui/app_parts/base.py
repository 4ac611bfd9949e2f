"""What the App's parts are written against: Textual's App for the type
checker, plain object at run time, since each part is a mixin that
BriefingApp (the one App) inherits."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    AppPart = App
else:
    AppPart = object
