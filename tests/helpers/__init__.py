"""What the tests share, imported as `tests.helpers.<module>` and nothing else.

cli: the repository's paths, files written for a test, the real CLI as a
subprocess (and the `run` fixture); feedserver: a real HTTP server on
127.0.0.1 (the `feed_server` fixture); hostile: hostile payloads and a
measured CLI run; analysis: the analysis fixture stories and articles;
waiting: waiting on a running app's own state instead of a timed sleep.
The fixture modules are registered once, by `pytest_plugins` in
tests/conftest.py; tests name fixtures as arguments and never import them.
"""
