"""Fenced code blocks of the project's Markdown docs, for the tests that keep them honest."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = (
    ROOT / "docs" / "analysts.md",
    ROOT / "docs" / "operations.md",
    ROOT / "docs" / "architecture.md",
    ROOT / "README.md",
)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(language: str, docs: tuple[Path, ...] = DOCS) -> list[tuple[str, str]]:
    """(``file:index``, text) of every fenced block in ``language``."""
    out = []
    for path in docs:
        for i, match in enumerate(FENCE.finditer(path.read_text(encoding="utf-8"))):
            if match.group(1) == language:
                out.append((f"{path.name}:{i}", match.group(2)))
    return out


def shell_lines(docs: tuple[Path, ...] = DOCS) -> list[tuple[str, str]]:
    """Every command line of the ``sh`` blocks, trailing comments removed."""
    out = []
    for where, text in blocks("sh", docs):
        for line in text.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                out.append((where, line))
    return out
