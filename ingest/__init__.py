"""Ingestion: feed catalogue, safe HTTP, feed parsing, extraction, dedup, loading."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
