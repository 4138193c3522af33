"""The demo: a bundled synthetic news corpus, its server, and ``newsflow demo``."""
