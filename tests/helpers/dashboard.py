"""The real dashboard app as the tests drive it."""

from __future__ import annotations


def recording_app(workspace, opened: list | None = None):
    """The real app, recording every notification it shows (in `app.notices`)
    and, when `opened` is given, every link it would open instead of opening it."""
    from briefing.tui.app import BriefingApp

    app = BriefingApp(workspace) if opened is None else BriefingApp(workspace, open_url=opened.append)
    app.notices = []
    shown = app.notify

    def notify(message, *args, **kwargs):
        app.notices.append(str(message))
        return shown(message, *args, **kwargs)

    app.notify = notify
    return app
