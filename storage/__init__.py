"""The storage layer: the only code that writes SQL against the ``raw`` schema.

One module per table family; every other module (the ``ingest`` and
``transforms`` libraries, the application, the DAGs, the benchmarks) calls these
functions instead of writing its own statements.  Functions take an open
``psycopg`` connection (the caller decides transactions and autocommit) and
plain values, and return plain values or small dataclasses.

Families:

- ``storage.runs``: ``raw.runs``, one row per pipeline run of any stage.
- ``storage.feeds``: ``raw.feeds``, ``raw.feed_entries`` and the feed polling state.
- ``storage.articles``: ``raw.articles``, ``raw.sources``, ``raw.pages`` and dedup state.
- ``storage.fetch_log``: ``raw.fetch_log`` and the failure/politeness records.
- ``storage.annotations``: ``raw.annotated_articles``, sentences, mentions, the
  annotation backlog.

The ``raw`` schema itself (DDL) is owned by the migrations in
``newsflow/db/migrations``; the storage layer owns the statements that read and
write it.  This package imports nothing from ``ingest``, ``transforms`` or
``newsflow``.
"""
