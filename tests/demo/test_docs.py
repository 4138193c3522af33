"""The docs say only what is true: commands parse, settings are documented.

The SQL of ``docs/analysts.md`` runs against real marts in ``test_demo.py``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from newsflow.cli import cli
from tests.demo.docs_blocks import DOCS, ROOT, blocks, shell_lines

#: tools the docs use beside newsflow and make; run by the backup test or not here (docker)
OTHER_TOOLS = {"psql", "pg_dump", "pg_restore", "docker", "cp"}


def _newsflow_commands() -> list[tuple[str, list[str]]]:
    commands = []
    for where, line in shell_lines():
        # commands nested in $(...) count too: psql "$(newsflow db url)"
        for nested in re.findall(r"\$\((newsflow [^)]*)\)", line):
            commands.append((where, shlex.split(nested)[1:]))
        words = shlex.split(line)
        if words[0] == "newsflow":
            commands.append((where, words[1:]))
    return commands


def _parse(args: list[str]) -> None:
    """Resolve the sub-command chain and let click parse the rest (nothing runs)."""
    command: click.Command = cli
    ctx = click.Context(cli, info_name="newsflow")
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        sub = command.get_command(ctx, args[0])
        assert sub is not None, f"no command {args[0]!r}"
        ctx = click.Context(sub, info_name=args[0], parent=ctx)
        command, args = sub, args[1:]
    command.make_context(ctx.info_name, list(args), parent=ctx.parent)


def test_docs_have_commands() -> None:
    assert len(_newsflow_commands()) >= 20


FILE_SUFFIXES = (".opml", ".xml", ".yaml", ".yml", ".html", ".txt", ".json")


@pytest.mark.parametrize(("where", "args"), _newsflow_commands(), ids=lambda v: str(v))
def test_documented_newsflow_commands_parse(where: str, args: list[str], tmp_path: Path) -> None:
    # Paths in examples: the repository's own files, else an empty stand-in.
    resolved = []
    for arg in args:
        if arg.endswith(FILE_SUFFIXES) and "://" not in arg:
            path = ROOT / arg
            if not path.exists():
                path = tmp_path / arg
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            arg = str(path)
        resolved.append(arg)
    try:
        _parse(resolved)
    except click.UsageError as exc:
        pytest.fail(f"{where}: newsflow {' '.join(args)}: {exc}")


def test_documented_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    seen = set()
    for where, line in shell_lines():
        words = shlex.split(line)
        if words[0] == "make":
            seen.add(words[1])
            assert words[1] in targets, f"{where}: no make target {words[1]!r}"
        else:
            assert words[0] == "newsflow" or words[0] in OTHER_TOOLS, f"{where}: {line}"
    assert {"demo", "test", "airflow"} <= seen


def _setting_names() -> set[str]:
    names: set[str] = set()
    sources = [
        *(ROOT / "newsflow").rglob("*.py"),
        *(ROOT / "ingest").rglob("*.py"),
        *(ROOT / "transforms").rglob("*.py"),
        *(ROOT / "dags").rglob("*.py"),
        *(ROOT / "dbt_project").rglob("*.yml"),
        *(ROOT / "dbt_project" / "macros").rglob("*.sql"),
        ROOT / "docker-compose.yml",
    ]
    for path in sources:
        if path.is_file() and "target" not in path.parts:
            names.update(re.findall(r"NEWSFLOW_[A-Z0-9_]*[A-Z0-9]", path.read_text("utf-8")))
    return names - {"NEWSFLOW_DB"}  # a prefix in comments


def test_every_setting_is_documented() -> None:
    documented = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = sorted(n for n in _setting_names() if f"`{n}`" not in documented)
    assert missing == [], f"add these to the settings table of docs/operations.md: {missing}"


def test_analysts_doc_has_sql_examples() -> None:
    sql_blocks = blocks("sql", (ROOT / "docs" / "analysts.md",))
    assert len(sql_blocks) >= 8
    for where, text in sql_blocks:
        assert "marts." in text, f"{where} should read the marts"
        assert not re.search(r"\b(raw|staging|intermediate)\.", text), where


def test_docs_exist() -> None:
    for path in DOCS:
        assert path.read_text(encoding="utf-8").startswith("# ")
