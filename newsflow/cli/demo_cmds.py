"""``newsflow demo``: the whole pipeline on a bundled synthetic news corpus, in minutes.

Serves the corpus on 127.0.0.1, registers its feeds, runs ingest → annotate →
transform through the real DAGs (Airflow's ``dag.test()``), prints what
landed, writes the HTML report and says what to do next.  Running it again
adds nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from newsflow.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, database_url, settings


def _print_result(result: Any, db_url: str, console: Any) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    s = result.summary
    ing = s["ingest"]

    stages = Table(title="Pipeline", title_justify="left")
    for col in ("stage", "result", "time"):
        stages.add_column(col, no_wrap=True)
    # Details wrap between words (a word longer than the column folds, never cut).
    stages.add_column("detail", overflow="fold", ratio=1)
    for st in result.stages:
        detail = stage_detail(st.detail)
        state = "[green]ok[/]" if st.ok else "[bold red]failed[/]"
        if st.detail.get("state") == "not run":
            state, detail = "[dim]not run[/]", "nothing new upstream (Asset not updated)"
        elif st.error:
            detail = "failed: see below"
        stages.add_row(st.name, state, f"{st.seconds:.1f} s", detail)
    console.print(stages)
    for st in result.stages:
        if st.error:
            # The failing task and the first lines of its error, whole, under the table.
            console.print(f"[bold red]{st.name} failed[/]:", Text(st.error), soft_wrap=False)

    landed = Table(title="What landed", title_justify="left", show_header=False)
    landed.add_column("what")
    landed.add_column("count", justify="right")
    rows = [
        ("demo feeds registered", ing["feeds"]),
        ("feed entries read", ing["feed_entries"]),
        ("articles (one per canonical URL)", ing["articles"]),
        ("  of them in English / other languages",
         f"{ing['articles_english']} / {ing['articles_other_language']}"),
        ("duplicates caught: entries pointing at an article already fetched "
         "(same story in two feeds, utm_ links)", ing["entries_same_url"]),
        ("duplicates caught: exact copies (same text, other URL)", ing["exact_duplicates"]),
        ("duplicates caught: syndicated near-copies, in clusters",
         f"{ing['near_duplicate_copies']} in {ing['near_duplicate_clusters']} clusters"),
    ]  # fmt: skip
    if s.get("marts_built"):
        ev = s["events"]
        rows += [
            ("events in marts.fct_events (history recalled in articles left out)", ev["events"]),
            ("  mentions behind them", ev["mentions"]),
            ("  background events kept with a flag", ev["background_events"]),
            ("actors taking part in events", s["actor_count"]),
        ]
    for label, value in rows:
        landed.add_row(label, str(value))
    console.print(landed)

    if s.get("marts_built"):
        quads = Table(title="Events by quad class", title_justify="left")
        quads.add_column("quad class")
        quads.add_column("events", justify="right")
        quads.add_column("mentions", justify="right")
        for q in s["quad_classes"]:
            quads.add_row(f"{q['quad_class']} {q['label']}", str(q["events"]), str(q["mentions"]))
        console.print(quads)

        actors = Table(title="Busiest actors", title_justify="left")
        for col in ("actor", "code", "events"):
            actors.add_column(col)
        for a in s["actors"]:
            actors.add_row(a["actor_name"], a["actor_code"], str(a["events"]))
        console.print(actors)

        dyads = Table(title="Top dyads (country → country)", title_justify="left")
        for col in ("source", "target", "events", "event types"):
            dyads.add_column(col)
        for d in s["dyads"]:
            dyads.add_row(d["source"], d["target"], str(d["events"]), d["event_types"])
        console.print(dyads)

        if s["unresolved_actors"]:
            unresolved = Table(
                title="Unresolved actors (marts.mart_unresolved_actors: add them to the "
                "actor dictionary seed)",
                title_justify="left",
            )
            for col in ("mention", "label", "mentions", "articles"):
                unresolved.add_column(col)
            for u in s["unresolved_actors"]:
                unresolved.add_row(
                    u["mention_term"], u["entity_label"], str(u["num_mentions"]),
                    str(u["num_articles"]),
                )  # fmt: skip
            console.print(unresolved)

    failures = Table(title="Failures, with reasons", title_justify="left")
    for col in ("where", "what", "reason"):
        failures.add_column(col, overflow="fold")
    for f in s["feed_failures"]:
        failures.add_row(f"feed: {f['name']}", f["last_outcome"] or "", f["last_error"] or "")
    for p in s["page_failures"]:
        failures.add_row(f"{p['n']} page(s)", p["outcome"], p["example"] or "")
    for a in s["annotation"]:
        if a["status"] != "ok":
            reason = a["example"] or (
                "not English: kept for a later multilingual annotator"
                if a["status"] == "skipped_language"
                else ""
            )
            failures.add_row(f"{a['n']} article(s), annotator", a["status"], reason)
    if failures.row_count:
        console.print(failures)

    steps = [
        f"Open the report:     file://{result.report_path.resolve()}"
        if result.report_path
        else f"Report not written:  {result.report_error}",
        f'Query the marts:     psql "{db_url}"',
        "                     (then e.g. select * from marts.mart_dyads order by num_events desc;"
        " more in docs/analysts.md)",
        "Feed health:         newsflow status",
        "Start Airflow:       make airflow   (or newsflow airflow: the UI with the four DAGs)",
        "Add real feeds:      newsflow feeds add https://example.org/rss.xml --name 'Example'"
        "   (or newsflow feeds import-opml FILE)",
        "Then run them:       newsflow run --once",
    ]
    console.print(Panel("\n".join(steps), title="Next steps", title_align="left"))
    state = "done" if result.ok else "finished with failures"
    console.print(f"demo {state} in {result.seconds:.0f} s (stages via {result.via}).")
    if result.log_file:
        console.print(f"Airflow task log: {result.log_file}")


#: The figures the Pipeline table shows for a stage (the rest is in --json and the log).
_DETAIL_KEYS = {
    "ingest": ("feeds", "entries_new", "articles_new", "pages_failed"),
    "annotate": ("articles", "ok", "skipped_language", "errors"),
    "static_layers": ("built",),
}


def stage_detail(detail: dict[str, Any]) -> str:
    """A stage's few telling figures, as words: ``ingest 11 feeds, 130 entries new, ...``."""
    parts = []
    tasks = detail.get("tasks")
    if isinstance(tasks, dict) and tasks:
        parts.append("tasks " + ", ".join(f"{n} {state}" for state, n in sorted(tasks.items())))
    for key, wanted in _DETAIL_KEYS.items():
        value = detail.get(key)
        if isinstance(value, dict):
            figures = [f"{value[k]} {k.replace('_', ' ')}" for k in wanted if k in value]
            if figures:
                parts.append(f"{key.replace('_', ' ')}: " + ", ".join(figures))
    nodes = detail.get("nodes")
    if isinstance(nodes, dict) and nodes:  # dbt through the CLI (--via direct)
        parts.append("dbt " + ", ".join(f"{n} {status}" for status, n in sorted(nodes.items())))
    if not parts:  # a stage called directly: its own counts
        parts = [
            f"{k.replace('_', ' ')} {v}"
            for k, v in detail.items()
            if isinstance(v, int | float) and not isinstance(v, bool) and k != "seconds"
        ][:6]
    assets = detail.get("assets")
    if isinstance(assets, list) and assets:
        parts.append("emitted " + ", ".join(str(a) for a in assets))
    return "; ".join(parts)


@click.command()
@click.option(
    "--via",
    type=click.Choice(["dags", "direct"]),
    default="dags",
    show_default=True,
    help="Run the stages through the real DAGs (dag.test) or call the stage functions directly.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the HTML report [default: as `newsflow report`].",
)
@click.option("--no-report", is_flag=True, help="Do not write the report.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def demo(via: str, report_path: Path | None, no_report: bool, as_json: bool) -> None:
    """Run the whole pipeline on a bundled synthetic news corpus and show what landed."""
    from rich.console import Console

    from newsflow.cli.report_cmds import default_report_path
    from newsflow.dbt_runner import ManifestError
    from newsflow.demo.run import run_demo
    from newsflow.demo.server import PortBusyError

    console = Console(stderr=as_json)
    url = database_url()
    target = None if no_report else (report_path or default_report_path())
    log_file = settings().data_dir / "logs" / "newsflow-demo.log"
    try:
        with console.status("running the demo ...") as status:

            def notify(message: str) -> None:
                console.print(message)
                status.update(message)

            notify(
                "running ingest → annotate → transform "
                + ("through the DAGs with Airflow's dag.test()" if via == "dags" else "directly")
                + " (a minute or two) ..."
            )
            result = run_demo(url, via=via, report_path=target, log_file=log_file, notify=notify)
    except PortBusyError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except ManifestError as exc:
        click.echo(f"{exc.output}\nerror: {exc}", err=True)
        sys.exit(EXIT_PARTIAL)
    if as_json:
        from newsflow.demo.summary import counts

        data = {
            "ok": result.ok,
            "via": result.via,
            "port": result.port,
            "seconds": round(result.seconds, 1),
            "report": str(result.report_path) if result.report_path else None,
            "report_error": result.report_error,
            "stages": [asdict(s) for s in result.stages],
            "counts": counts(result.summary),
            "summary": result.summary,
        }
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_result(result, url, console)
    sys.exit(EXIT_OK if result.ok else EXIT_PARTIAL)
