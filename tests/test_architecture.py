"""The import structure: libraries below the application, no cycles, one owner of ``raw``.

An ``ast`` scan of the source, so it sees every import, including the
function-level ones that hide a cycle from Python (an import inside a function
runs late and never fails, but the two modules still depend on each other).

Rules:

- no import cycles between modules of ``ingest``, ``transforms``, ``storage``,
  ``newsflow`` and ``dags``;
- the libraries (``ingest``, ``transforms``, ``storage``) import nothing from
  ``newsflow``, and ``storage`` imports neither of the other two;
- the libraries never read the process environment (``os.environ``/``os.getenv``):
  the application builds their config with ``newsflow.settings`` and passes it down;
- SQL against the ``raw`` schema is written only in ``storage/`` (migrations are
  ``.sql`` files and dbt models are outside this scan).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "transforms", "storage", "newsflow", "dags")
LIBRARIES = ("ingest", "transforms", "storage")
#: a string that reads as SQL naming a raw table ("select ... from raw.feeds", ...)
RAW_SQL = re.compile(
    r"\b(select|insert\s+into|update|delete\s+from|from|join|truncate|alter\s+table|"
    r"create\s+(?:table|index)|to_regclass)\b[\s\S]*?\braw\.[a-z_]+",
    re.IGNORECASE,
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_names(name: str) -> Iterator[str]:
    """Every module name an import statement anywhere in the module mentions."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target
            # `from pkg import sub` imports the module pkg.sub when there is one
            yield from (f"{target}.{alias.name}" for alias in node.names)


def _known(name: str) -> str | None:
    """The scanned module an imported name lands in (a name inside it counts as it)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def graph() -> dict[str, frozenset[str]]:
    edges: dict[str, frozenset[str]] = {}
    for name in modules():
        targets = {_known(target) for target in imported_names(name)}
        edges[name] = frozenset(t for t in targets if t and t != name)
    return edges


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _top(name: str) -> str:
    return name.partition(".")[0]


def _inside_one_library(component: list[str]) -> bool:
    return len({_top(m) for m in component}) == 1 and _top(component[0]) in ("ingest", "transforms")


def test_the_scan_sees_the_packages() -> None:
    names = modules()
    assert {"newsflow.cli", "storage.runs", "ingest.pipeline", "dags.news_ingest"} <= set(names)
    # function-level imports are edges too
    assert "newsflow.dbt_runner" in graph()["newsflow.demo.stages"]


def test_no_import_cycles_outside_the_libraries() -> None:
    bad = [c for c in cycles() if not _inside_one_library(c)]
    assert not bad, f"import cycles: {bad}"


def test_no_import_cycles_inside_ingest_or_transforms() -> None:
    bad = [c for c in cycles() if _inside_one_library(c)]
    assert not bad, f"import cycles: {bad}"


def _imports_of(package: str) -> dict[str, set[str]]:
    return {
        name: {_top(t) for t in imported_names(name)} for name in modules() if _top(name) == package
    }


def test_storage_imports_no_other_package() -> None:
    bad = {
        name: sorted(tops & {"ingest", "transforms", "newsflow", "dags"})
        for name, tops in _imports_of("storage").items()
    }
    assert not {k: v for k, v in bad.items() if v}


@pytest.mark.parametrize("library", ["ingest", "transforms"])
def test_libraries_do_not_import_the_application(library: str) -> None:
    bad = sorted(name for name, tops in _imports_of(library).items() if "newsflow" in tops)
    assert not bad, f"{library} modules importing newsflow: {bad}"


def _environment_reads(name: str) -> list[int]:
    lines = []
    for node in ast.walk(tree(name)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv", "environb")
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {a.name for a in node.names} & {"environ", "getenv", "environb"}
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("library", ["storage", "ingest", "transforms"])
def test_libraries_do_not_read_the_environment(library: str) -> None:
    bad = {n: lines for n in modules() if _top(n) == library and (lines := _environment_reads(n))}
    assert not bad, f"os.environ/os.getenv in {library}: {bad}"


def _docstring_nodes(module: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def raw_sql(path: Path) -> list[tuple[int, str]]:
    """(line, excerpt) of every string literal that reads as SQL against ``raw``."""
    module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = _docstring_nodes(module)
    hits = []
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and (match := RAW_SQL.search(node.value))
        ):
            hits.append((node.lineno, " ".join(match.group(0).split())[:80]))
    return hits


def _files(directory: str) -> list[Path]:
    return sorted((ROOT / directory).rglob("*.py"))


@pytest.mark.parametrize("directory", ["newsflow", "dags", "bench", "ingest", "transforms"])
def test_raw_sql_only_in_storage(directory: str) -> None:
    hits = {
        str(path.relative_to(ROOT)): found for path in _files(directory) if (found := raw_sql(path))
    }
    assert not hits, f"SQL against raw outside storage/: {hits}"


def test_the_raw_sql_check_sees_sql() -> None:
    assert RAW_SQL.search("select count(*) from raw.articles where x")
    assert RAW_SQL.search("insert into raw.runs (run_id) values (%s)")
    assert not RAW_SQL.search("the rows of raw.runs")


_READERS = {"get", "getenv", "str", "int", "float", "bool", "list", "raw", "pop", "setdefault"}
_OLD_HELPERS = {"env_str", "env_int", "env_float", "env_list", "getenv"}


def setting_reads(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every read of a ``NEWSFLOW_*`` variable by a call or a subscript."""
    module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    hits = []
    for node in ast.walk(module):
        name = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (called in _READERS or called in _OLD_HELPERS) and isinstance(first, ast.Constant):
                name = first.value
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.slice, ast.Constant)
        ):
            name = node.slice.value
        if isinstance(name, str) and name.startswith("NEWSFLOW_"):
            hits.append((node.lineno, name))
    return hits


def test_the_application_reads_settings_only_in_the_settings_package() -> None:
    settings_dir = ROOT / "newsflow" / "settings"
    hits = {
        str(path.relative_to(ROOT)): found
        for path in _files("newsflow")
        if settings_dir not in path.parents and (found := setting_reads(path))
    }
    assert not hits, f"NEWSFLOW_* read outside newsflow/settings: {hits}"
