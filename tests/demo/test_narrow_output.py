"""The demo's tables fit an 80-column terminal and cut no word."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from newsflow.cli.demo_cmds import _print_result
from newsflow.demo.run import DemoResult
from newsflow.demo.stages import StageReport

ERROR = (
    "dbt.dbt_producer_watcher: the database refused the login (not retried): "
    "AirflowException: dbt invocation completed with errors: connection to server at "
    '"127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "postgres"'
)


def _result() -> DemoResult:
    stages = [
        StageReport(
            "news_ingest",
            True,
            12.4,
            {
                "state": "success",
                "tasks": {"success": 3},
                "assets": ["raw_articles"],
                "plan.items": 1,
                "ingest": {
                    "feeds": 11,
                    "seconds": 3.507,
                    "entries_new": 130,
                    "articles_new": 120,
                    "pages_failed": 0,
                    "elapsed_s": 3.5,
                },
            },
        ),
        StageReport(
            "news_annotate",
            True,
            12.9,
            {
                "state": "success",
                "tasks": {"success": 3},
                "assets": ["raw_annotations"],
                "annotate": {"articles": 100, "ok": 92, "skipped_language": 8, "errors": 0},
            },
        ),
        StageReport(
            "news_transform",
            False,
            25.3,
            {"state": "failed", "tasks": {"failed": 1, "success": 1, "upstream_failed": 24}},
            error=ERROR,
        ),
    ]
    summary = {
        "ingest": {
            "feeds": 11,
            "feed_entries": 130,
            "articles": 120,
            "articles_english": 112,
            "articles_other_language": 8,
            "entries_same_url": 10,
            "exact_duplicates": 20,
            "near_duplicate_copies": 48,
            "near_duplicate_clusters": 27,
        },
        "page_failures": [],
        "feed_failures": [
            {
                "name": "Northern Gazette: World (broken feed)",
                "last_outcome": "not_a_feed",
                "last_error": "an HTML page, not a feed",
            }
        ],
        "annotation": [{"status": "skipped_language", "n": 8, "example": None}],
        "marts_built": False,
    }
    return DemoResult(
        via="dags",
        port=8765,
        feed_urls=[],
        feeds_changed=0,
        stages=stages,
        summary=summary,
        report_path=None,
        report_error="the marts were not built, so there is nothing to report",
        seconds=50.6,
        log_file=Path("/tmp/newsflow-demo.log"),
    )


def _words(text: str) -> set[str]:
    return set(re.sub(r"[│┃┏┓┗┛┡┩└┘┌┐━─╇╈┳┻╭╮╰╯╞╡├┤┬┴┼]", " ", text).split())


def test_demo_tables_fit_80_columns_and_keep_every_word() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None, legacy_windows=False)
    _print_result(_result(), "postgresql://postgres@127.0.0.1:5432/news", console)
    text = out.getvalue()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, text
    words = _words(text)
    # the Pipeline details, whole: no "fe", "arti" or "elapsed_s" cut mid-word
    for word in ("feeds,", "articles", "new,", "raw_articles", "raw_annotations", "language,"):
        assert word in words, (word, text)
    # the failing task and its error, every word of it, under the table
    flat = " ".join(text.split())
    assert "news_transform failed: " + " ".join(ERROR.split()) in flat, text
