"""Headless Chromium for checking and photographing the report.

Used by ``scripts/screenshot_report.py`` (for people) and the report tests.
Chromium refuses to run as root without ``--no-sandbox``; every run gets a
fresh profile directory and no background networking, so nothing leaves the
machine and runs do not interfere with each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The browser named by ``NEWSFLOW_CHROMIUM``, else the first one on PATH."""
    from newsflow.settings import app as app_settings

    configured = app_settings.chromium()
    if configured:
        return shutil.which(configured) or (configured if Path(configured).exists() else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _flags(profile: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]


@dataclass(frozen=True)
class BrowserRun:
    returncode: int
    stdout: str
    stderr: str

    def console_errors(self) -> list[str]:
        """Console messages and uncaught errors the page produced (from Chromium's log)."""
        lines = []
        for line in self.stderr.splitlines():
            if ":CONSOLE" in line and ("Uncaught" in line or "Error" in line or "error" in line):
                lines.append(line.strip())
        return lines


def _run(args: list[str], timeout_s: float) -> BrowserRun:
    browser = find_chromium()
    if browser is None:
        raise FileNotFoundError(
            "no Chromium found: install Debian's `chromium` package or set NEWSFLOW_CHROMIUM"
        )
    profile = tempfile.mkdtemp(prefix="newsflow-chromium-")
    try:
        proc = subprocess.run(
            [browser, *_flags(profile), *args],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return BrowserRun(proc.returncode, proc.stdout, proc.stderr)


def dump_dom(html_file: Path, *, budget_ms: int = 15000, timeout_s: float = 120) -> BrowserRun:
    """Load the file, let its scripts run, and return the DOM as Chromium sees it."""
    return _run(
        [f"--virtual-time-budget={budget_ms}", "--dump-dom", html_file.resolve().as_uri()],
        timeout_s,
    )


def screenshot(
    html_file: Path,
    png: Path,
    *,
    width: int = 1280,
    height: int = 4200,
    budget_ms: int = 15000,
    timeout_s: float = 120,
) -> BrowserRun:
    """Write a PNG of the page (tall enough to hold the whole demo report)."""
    png.parent.mkdir(parents=True, exist_ok=True)
    return _run(
        [
            f"--window-size={width},{height}",
            f"--virtual-time-budget={budget_ms}",
            f"--screenshot={png.resolve()}",
            html_file.resolve().as_uri(),
        ],
        timeout_s,
    )
