"""The dashboard's slow work, in child processes: the briefing, and a refresh."""
