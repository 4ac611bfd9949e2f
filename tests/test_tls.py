"""https feeds against a real TLS server on 127.0.0.1, its certificate issued
by a certificate authority made for the test (trustme): the certificates a
refresh trusts come from SSL_CERT_FILE (else SSL_CERT_DIR, else certifi),
loaded on a thread while the refresh starts (briefing/ingest/tls.py)."""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys

import pytest
import trustme

from briefing.config import Settings
from briefing.ingest.fetch import FetchRequest, fetch_all
from briefing.ingest.tls import TrustLoader
from tests.helpers.feedserver import FeedServer, Reply, item, rss, write_config

FEED = rss(item("t-1", "Talks in Ankara", "http://example.invalid/1", "<p>Body</p>"))
FAST = Settings(timeout=5, connect_timeout=2)


@pytest.fixture
def authority(tmp_path):
    """(the test CA, the path of its certificate as a PEM file)."""
    ca = trustme.CA()
    pem = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


@pytest.fixture
def tls_server(authority):
    ca, _ = authority
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = FeedServer(tls=context).start()
    server.route("/f.xml", Reply(body=FEED))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


def fetch(url: str):
    return asyncio.run(fetch_all([FetchRequest("feed", url)], FAST))[0]


def test_an_https_feed_is_fetched_when_its_authority_is_in_ssl_cert_file(tls_server, authority, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[1]))
    url = tls_server.url("/f.xml")
    assert url.startswith("https://")
    result = fetch(url)
    assert result.status == "ok", result.error
    assert result.body == FEED


def test_an_https_feed_whose_authority_is_not_trusted_fails_in_words(tls_server):
    # certifi's bundle, which does not hold the test's authority.
    result = fetch(tls_server.url("/f.xml"))
    assert result.status == "failed"
    assert result.error == "TLS certificate not trusted"
    assert tls_server.hits("/f.xml") == 0


def test_ssl_cert_dir_is_used_when_ssl_cert_file_is_not_set(tls_server, authority, monkeypatch, tmp_path):
    # A folder of certificates is looked up by subject hash: name the file so.
    ca, _ = authority
    folder = tmp_path / "certs"
    folder.mkdir()
    completed = subprocess.run(
        ["openssl", "x509", "-hash", "-noout"], input=ca.cert_pem.bytes(), capture_output=True, check=False
    )
    if completed.returncode != 0:
        pytest.skip("openssl is needed to name a certificate folder's file")
    (folder / f"{completed.stdout.decode().strip()}.0").write_bytes(ca.cert_pem.bytes())
    monkeypatch.setenv("SSL_CERT_DIR", str(folder))
    result = fetch(tls_server.url("/f.xml"))
    assert result.status == "ok", result.error


@pytest.mark.slow
def test_certificates_that_cannot_be_loaded_fail_https_feeds_only(tmp_path, tls_server, feed_server):
    """`briefing refresh` with SSL_CERT_FILE naming no file: the https feed
    fails with the reason in words, the http feed is stored, no traceback."""
    feed_server.route("/p.xml", Reply(body=rss(item("p-1", "Plain story", "http://example.invalid/p"))))
    config = write_config(
        tmp_path / "feeds.toml",
        [("Secure", tls_server.url("/f.xml")), ("Plain", feed_server.url("/p.xml"))],
        {"timeout": 5, "connect_timeout": 2},
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and not key.startswith(("BRIEFING_", "SSL_CERT_"))
    }
    env.update(SSL_CERT_FILE=str(tmp_path / "missing.pem"), NO_COLOR="1", COLUMNS="200")
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "--config", str(config), "--cache", str(tmp_path / "store.db"), "refresh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2 feeds: 1 updated, 0 not modified, 1 failed; 1 new article"
    assert (
        "Secure: failed: cannot load the trusted certificates: No such file or directory (SSL_CERT_FILE="
    ) in done.stdout
    assert tls_server.hits("/f.xml") == 0


def test_the_loader_reports_a_problem_and_trusts_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))
    loader = TrustLoader()
    context = loader.context()
    assert loader.problem is not None and "none.pem" in loader.problem
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.cert_store_stats()["x509_ca"] == 0
