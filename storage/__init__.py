"""The storage layer: the only code that writes SQL against the ``raw`` schema.

One module per table family; every other module (the ``ingest`` and
``transforms`` libraries, the application, the DAGs, the benchmarks) calls these
functions instead of writing its own statements.  Functions take an open
``psycopg`` connection (the caller decides transactions and autocommit) and
plain values, and return plain values or small dataclasses.

Families (who calls them in brackets):

- ``runs``: ``raw.runs``, one row per run of any stage (every stage, status).
- ``feeds``: ``raw.feeds``, the catalogue, validators, health, schedule (ingest, CLI).
- ``feed_entries``: ``raw.feed_entries``, the ingest work queue (ingest).
- ``articles``, ``article_dedup``, ``articles_bulk``: ``raw.articles``,
  ``raw.article_sources`` and the duplicate state (ingest; bulk loads for benchmarks).
- ``fetch_log``: ``raw.fetch_log``, one row per HTTP fetch (ingest).
- ``annotations``: ``raw.annotated_articles``, sentences, mentions, and the one
  definition of the annotation backlog (transforms, the annotate DAG, status).
- ``health``: the one definition of a failing feed (status, nightly quality, demo).
- ``monitoring``: backlog, lag, quality counts and summaries (status, DAGs, demo).
- ``retention``: retention deletes and VACUUM (the nightly maintenance).
- ``schema_migrations``: which migrations ran (the migration runner).
- ``eval``, ``synthetic``: scratch-database loads for evaluations and benchmarks.
- ``connection``, ``bulk``, ``text``: opening connections, binary COPY, text PostgreSQL accepts.

The ``raw`` schema itself (DDL) is owned by the migrations in
``newsflow/db/migrations``; the storage layer owns the statements that read and
write it.  This package imports nothing from ``ingest``, ``transforms`` or
``newsflow``.
"""
