"""The bundled demo corpus: what the issue asks of it, determinism, and the server."""

from __future__ import annotations

import filecmp
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import psycopg
import pytest

from newsflow.demo.build_corpus import build, ensure_built, fingerprint
from newsflow.demo.run import loopback_allowed, register_feeds, stored_port
from newsflow.demo.server import Corpus, DemoServer, PortBusyError
from newsflow.loopback import LoopbackServer


@pytest.fixture(scope="module", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The corpus is generated into the data directory: a scratch one for these tests."""
    path = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSFLOW_DATA_DIR", str(path))
        yield path


def test_corpus_has_what_the_demo_needs() -> None:
    corpus = Corpus()
    stats = corpus.stats
    feeds = corpus.feeds
    assert len(feeds) >= 8
    assert stats["pages"] - stats["syndicated_copies"] >= 80  # original articles
    assert stats["syndicated_copies"] >= 20 and stats["wire_stories"] >= 10
    assert corpus.manifest["days"] == 10
    assert {"rss20", "rss10", "atom10"} <= {f.format for f in feeds}
    assert "es" in stats["languages"] and stats["non_english_articles"] >= 5
    assert [f.behaviour for f in feeds].count("slow") == 1
    assert [f.behaviour for f in feeds].count("broken") == 1
    size = sum(p.stat().st_size for p in corpus.root.rglob("*") if p.is_file())
    assert size < 3_000_000


def test_pages_carry_boilerplate_and_metadata() -> None:
    pages = sorted((Corpus().root / "pages").rglob("*.html"))
    assert len(pages) == Corpus().stats["pages"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages[::10])
    for marker in (
        'rel="canonical"',
        "article:published_time",
        "application/ld+json",
        "cookie-banner",
        "share-bar",
        "newsletter",
        'class="comments"',
        "Join the conversation",
        "<nav",
        "<footer",
    ):
        assert marker in text, marker


def test_generator_is_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    build(out)
    diff = filecmp.dircmp(Corpus().root, out)

    def differences(d: filecmp.dircmp[str]) -> list[str]:
        found = d.left_only + d.right_only + d.diff_files + d.funny_files
        for sub in d.subdirs.values():
            found += differences(sub)
        return found

    # two builds write exactly the same files
    assert differences(diff) == []


def test_corpus_is_generated_once_per_generator_version(data_dir: Path) -> None:
    first = ensure_built(data_dir / "demo")
    assert first.name == f"corpus-{fingerprint()}"
    stamp = (first / "manifest.json").stat().st_mtime_ns
    assert ensure_built(data_dir / "demo") == first
    assert (first / "manifest.json").stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert not [p for p in (data_dir / "demo").iterdir() if p.name.startswith(".corpus-")]


def test_server_serves_feeds_and_misbehaves_on_purpose() -> None:
    corpus = Corpus()
    by_behaviour = {f.behaviour: f for f in corpus.feeds}
    with DemoServer(corpus) as server:
        ok = next(f for f in corpus.feeds if f.format == "atom10")
        body = httpx.get(server.feed_url(ok)).content
        parsed = feedparser.parse(body)
        assert parsed.version == "atom10" and len(parsed.entries) == ok.items
        assert parsed.entries[0].link.startswith(server.base_url + "/")
        assert "__DEMO_BASE__" not in body.decode()
        page = httpx.get(parsed.entries[0].link)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        broken = httpx.get(server.feed_url(by_behaviour["broken"]))
        assert broken.status_code == 200 and feedparser.parse(broken.content).version == ""
        # the slow feed's route waits before answering (the server's own setting)
        route = server.server.routes[by_behaviour["slow"].path]
        assert not callable(route) and route.delay_s >= 2.0
        assert httpx.get(server.server.url("/robots.txt")).status_code == 200


def test_required_port_busy_is_a_clear_error() -> None:
    with LoopbackServer({}) as other, pytest.raises(PortBusyError, match="in use"):
        DemoServer(required_port=other.port).start()


def test_feeds_registered_once_and_port_kept(db_url: str) -> None:
    pytest.importorskip("ingest.catalog")
    corpus = Corpus()
    with psycopg.connect(db_url) as conn:
        assert stored_port(conn, corpus) is None
    with loopback_allowed(), DemoServer(corpus) as server:
        with psycopg.connect(db_url) as conn:
            urls, changed = register_feeds(conn, server)
            assert changed == len(corpus.feeds) == len(urls)
            assert register_feeds(conn, server)[1] == 0  # idempotent
            assert stored_port(conn, corpus) == server.port
        port = server.port
    with DemoServer(corpus, required_port=port) as again:
        assert again.port == port


def test_loopback_allowed_is_scoped(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "10.0.0.0/8")
    with loopback_allowed():
        assert os.environ["NEWSFLOW_ALLOWED_HOSTS"] == "10.0.0.0/8,127.0.0.1"
    assert os.environ["NEWSFLOW_ALLOWED_HOSTS"] == "10.0.0.0/8"
    monkeypatch.delenv("NEWSFLOW_ALLOWED_HOSTS")
    with loopback_allowed():
        assert os.environ["NEWSFLOW_ALLOWED_HOSTS"] == "127.0.0.1"
    assert "NEWSFLOW_ALLOWED_HOSTS" not in os.environ


def test_publication_dates_agree_in_utc() -> None:
    """Relative day words ("on Tuesday") resolve against the publication date: keep the
    UTC date equal to the outlet's local date, and every date inside the ten days."""
    from datetime import UTC, date

    from newsflow.demo.build_corpus import compose

    for article in compose():
        assert article.published.astimezone(UTC).date() == article.published.date(), article.path
        assert date(2026, 3, 1) <= article.published.date() <= date(2026, 3, 10)
