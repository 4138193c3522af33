"""Take a PNG screenshot of a newsflow report with headless Chromium.

    python scripts/screenshot_report.py [REPORT.html] [--out report.png] [--width 1280]

Without a report path it builds one first (``newsflow report``) from the
configured or embedded database.  Needs Chromium (Debian: ``apt-get install
chromium``) or ``NEWSFLOW_CHROMIUM`` pointing at a Chrome/Chromium binary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsflow.report.browser import find_chromium, screenshot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path, help="report HTML (default: build one)")
    parser.add_argument("--out", type=Path, default=None, help="PNG path (default: beside it)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=4200)
    args = parser.parse_args(argv)

    if find_chromium() is None:
        print(
            "no Chromium found: apt-get install chromium, or set NEWSFLOW_CHROMIUM", file=sys.stderr
        )
        return 2
    report = args.report
    if report is None:
        from newsflow.cli.report_cmds import default_report_path
        from newsflow.db import resolve_database_url
        from newsflow.report.builder import write_report

        report = write_report(resolve_database_url(), default_report_path())
    if not report.exists():
        print(f"no such report: {report}", file=sys.stderr)
        return 2
    png = args.out or report.with_suffix(".png")
    run = screenshot(report, png, width=args.width, height=args.height)
    if run.returncode != 0 or not png.exists():
        print(run.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"screenshot written to {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
