"""The Airflow Assets that chain the DAGs (data-aware scheduling).

``news_ingest`` emits :data:`RAW_ARTICLES` when new articles landed,
``news_annotate`` (scheduled on it) emits :data:`RAW_ANNOTATIONS`, and
``news_transform`` (scheduled on that) emits :data:`MARTS` after dbt.  The
names are part of the public contract (docs, dashboards, other DAGs).
"""

from __future__ import annotations

from airflow.sdk import Asset

__all__ = ["ASSET_GROUP", "MARTS", "RAW_ANNOTATIONS", "RAW_ARTICLES"]

ASSET_GROUP = "newsflow"

RAW_ARTICLES = Asset(name="raw_articles", uri="newsflow://raw/articles", group=ASSET_GROUP)
RAW_ANNOTATIONS = Asset(name="raw_annotations", uri="newsflow://raw/annotations", group=ASSET_GROUP)
MARTS = Asset(name="marts", uri="newsflow://marts", group=ASSET_GROUP)
