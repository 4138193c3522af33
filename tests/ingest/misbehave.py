"""An extract function for :class:`ingest.sandbox.ExtractionPool` that misbehaves on purpose.

A page whose URL is ``misbehave:<action>`` makes the worker spin on the CPU
(``cpu``), allocate its whole memory cap (``memory``), exit (``crash``) or hang
(``hang``); every other page is extracted normally.  The pool imports this
function by name in its worker processes, so it must stay at module level.
"""

from __future__ import annotations

import os
import time

from ingest.extract import extract_guarded
from ingest.extraction_settings import ExtractionSettings
from ingest.records import ExtractedArticle

PREFIX = "misbehave:"


def url(action: str) -> str:
    return PREFIX + action


def extract_or_misbehave(
    html: bytes | str, page_url: str | None, cfg: ExtractionSettings
) -> ExtractedArticle:
    action = page_url[len(PREFIX) :] if page_url and page_url.startswith(PREFIX) else ""
    if action == "cpu":
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            pass
    elif action == "memory":
        # one block as large as the whole cap: refused at once under RLIMIT_AS
        # (without the limit it would succeed, and the test would catch that)
        hoard = bytearray(cfg.memory_mb * 1024 * 1024)
        del hoard
    elif action == "crash":
        os._exit(3)
    elif action == "hang":
        time.sleep(3600)
    return extract_guarded(html, None if action else page_url, cfg)
