"""The SQLite store: articles, feeds' states, search, the saved briefing."""
