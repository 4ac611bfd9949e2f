"""Bytes from outside to clean values: HTTP, TLS, feed parsing, files, OPML, article pages."""
