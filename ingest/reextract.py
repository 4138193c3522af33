"""Re-extraction: articles of an older extractor version, extracted again from their raw HTML."""

from __future__ import annotations

import gzip
import logging

from ingest import load
from ingest.dedup import content_hash
from ingest.load import ArticleRow
from ingest.options import IngestConfig
from ingest.records import Outcome
from storage import articles as article_rows
from storage.connection import connect

log = logging.getLogger(__name__)


def reextract_outdated(
    database_url: str, *, config: IngestConfig | None = None, limit: int | None = None
) -> int:
    """Re-run extraction from ``raw_html_gz`` for articles of an older extractor version.

    Rows whose re-extraction fails keep their current text.  Returns the
    number of articles rewritten.
    """
    from ingest.extract import EXTRACTOR_VERSION
    from ingest.sandbox import ExtractionPool

    config = config or IngestConfig()
    done = 0
    batch_size = max(1, config.pipeline.batch_size)
    with connect(database_url) as conn:
        conn.execute("set timezone = 'UTC'")
        last_id = 0
        with ExtractionPool(settings=config.extraction) as pool:
            while limit is None or done < limit:
                take = batch_size if limit is None else min(batch_size, limit - done)
                rows = article_rows.outdated(conn, EXTRACTOR_VERSION, after_id=last_id, limit=take)
                conn.commit()
                if not rows:
                    break
                last_id = rows[-1].article_id
                by_id = {r.article_id: r for r in rows}
                items = []
                for r in rows:
                    try:
                        items.append((r.article_id, gzip.decompress(r.raw_html_gz), r.url))
                    except (OSError, EOFError) as exc:
                        log.warning("article %s: raw HTML unreadable (%s)", r.article_id, exc)
                articles: list[ArticleRow] = []
                for aid, art in pool.extract_many(items):
                    if art.outcome is not Outcome.OK or not art.text.strip():
                        continue
                    r = by_id[aid]
                    articles.append(
                        ArticleRow(
                            canonical_url=r.canonical_url,
                            url=r.url,
                            feed_id=r.feed_id,
                            host=r.host,
                            text=art.text,
                            word_count=art.word_count or len(art.text.split()),
                            content_hash=content_hash(art.text),
                            extractor=art.extractor,
                            extractor_version=art.extractor_version or EXTRACTOR_VERSION,
                            fetched_at=r.fetched_at,
                            title=art.title or r.title,
                            description=art.description,
                            authors=art.authors,
                            published_at=art.published_at or r.published_at,
                            site_name=art.site_name,
                            language=art.language,
                            language_confidence=art.language_confidence,
                            raw_html_gz=r.raw_html_gz,
                            http_status=r.http_status,
                        )
                    )
                done += load.reload_articles(conn, articles)
    return done
