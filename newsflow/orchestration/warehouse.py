"""The warehouse's two speeds: what ``news_transform`` builds, and what it only checks.

After each annotation batch ``news_transform`` builds the warehouse's
``frequent`` selection (``dbt_project/selectors.yml``): the incremental models
and everything built on them, one Cosmos task per model.  The rest (seeds,
staging views, lookup tables) changes only when its files change; the nightly
full build keeps it current.  Those relations must exist and match the
deployed project before the frequent models can run, so the first task of
``news_transform`` (:func:`ensure_static_layers`) builds them with one plain
``dbt build`` when

- a relation is missing (a fresh warehouse, a dropped table), or
- their definitions changed since the last build from this data directory
  (an edited seed, a new release): a fingerprint of their manifest checksums
  is kept in ``<data dir>/dbt/static-layers.json``.

Otherwise it costs one manifest read and one query.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storage.connection import connect

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = ["FREQUENT", "FREQUENT_EXCLUDE", "ensure_static_layers", "frequent_nodes", "static_nodes"]

#: dbt selection syntax for the ``frequent`` selector (Cosmos cannot read YAML selectors
#: with a manifest): the incremental models and everything downstream of them.
FREQUENT = "config.materialized:incremental+"
#: ...less the unit tests (they test code, not data). The models tagged ``daily``
#: (the analysts' work-list), which the CLI's ``frequent`` selector leaves to
#: the nightly build, stay in: a new deployment, and the demo, would otherwise
#: have no ``mart_unresolved_actors`` until its first nightly run.
FREQUENT_EXCLUDE = ("resource_type:unit_test",)

_BUILT = {"model", "seed", "snapshot"}


def load_manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def frequent_nodes(manifest: dict[str, Any]) -> set[str]:
    """Unique ids of the incremental models and all their descendants."""
    nodes = manifest.get("nodes", {})
    children: dict[str, list[str]] = manifest.get("child_map", {})
    todo = [
        uid
        for uid, node in nodes.items()
        if node.get("resource_type") == "model"
        and node.get("config", {}).get("materialized") == "incremental"
    ]
    seen: set[str] = set()
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        todo.extend(children.get(uid, []))
    return seen


def static_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Models, seeds and snapshots that are materialised and not in the frequent set."""
    frequent = frequent_nodes(manifest)
    out = []
    for uid, node in sorted(manifest.get("nodes", {}).items()):
        if node.get("resource_type") not in _BUILT or uid in frequent:
            continue
        if node.get("config", {}).get("materialized") == "ephemeral":
            continue
        if node.get("config", {}).get("enabled") is False:
            continue
        out.append(node)
    return out


def _fingerprint(nodes: list[dict[str, Any]], database_url: str) -> str:
    parts = urlsplit(database_url)
    digest = hashlib.sha256(f"{parts.hostname}:{parts.port}{parts.path}".encode())
    for node in nodes:
        checksum = (node.get("checksum") or {}).get("checksum", "")
        digest.update(f"{node['unique_id']}={checksum}\n".encode())
    return digest.hexdigest()


def _missing_relations(database_url: str, nodes: list[dict[str, Any]]) -> list[str]:
    names = [f'"{n["schema"]}"."{n.get("alias") or n["name"]}"' for n in nodes]
    if not names:
        return []
    with connect(database_url) as conn:
        rows = conn.execute(
            "select name from unnest(%s::text[]) as name where to_regclass(name) is null",
            (names,),
        ).fetchall()
    return [str(r[0]) for r in rows]


def ensure_static_layers(
    database_url: str, *, manifest_path: Path, state_dir: Path, target_path: Path
) -> dict[str, Any]:
    """Build the non-frequent part of the warehouse when it is missing or outdated."""
    manifest = load_manifest(manifest_path)
    nodes = static_nodes(manifest)
    fingerprint = _fingerprint(nodes, database_url)
    state_file = state_dir / "static-layers.json"
    try:
        known = json.loads(state_file.read_text()).get("fingerprint")
    except (OSError, ValueError):
        known = None
    missing = _missing_relations(database_url, nodes)
    if known == fingerprint and not missing:
        return {"static_nodes": len(nodes), "built": 0}
    reason = f"{len(missing)} relations missing" if missing else "definitions changed"
    log.info("building the static layers (%s): dbt build --exclude %s", reason, FREQUENT)
    from newsflow.dbt_runner import build

    result = build(database_url, exclude=FREQUENT, capture=True, target_path=target_path)
    if not result.success:
        details = "; ".join(f"{uid}: {msg}" for uid, msg in result.failures[:10])
        raise RuntimeError(
            f"dbt build of the static layers failed ({result.summary()}): "
            f"{details or result.output[-2000:]}"
        )
    state_dir.mkdir(parents=True, exist_ok=True)
    tmp = state_file.with_suffix(".tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint}))
    tmp.replace(state_file)
    return {
        "static_nodes": len(nodes),
        "built": 1,
        "missing": len(missing),
        "elapsed_s": round(result.elapsed_s, 1),
        **result.counts,
    }
