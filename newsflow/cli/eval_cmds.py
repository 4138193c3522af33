"""``newsflow eval``: measure newsflow against public gold data.

Each sub-command lives in ``newsflow.eval.<name>`` as a click command called
``main`` and is imported only when invoked.  ``newsflow eval events FILE``
scores event coding on PLOVER gold records (see ``newsflow.eval.events``);
``newsflow eval audit`` runs the whole chain on real news for judged audits
(see ``newsflow.eval.audit``).

Exit codes: 0 scored; 2 the evaluation could not run (no annotator, no
database, unreadable gold file).
"""

from __future__ import annotations

import importlib

import click

#: sub-command -> module holding a click command named ``main``
EVALUATIONS: dict[str, str] = {
    "events": "newsflow.eval.events",
    "feeds": "newsflow.eval.feeds",
    "extraction": "newsflow.eval.extraction",
    "calibrate": "newsflow.eval.calibrate",
    "audit": "newsflow.eval.audit",
}


class _LazyEvalGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(EVALUATIONS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = EVALUATIONS.get(cmd_name)
        if module_name is None:
            return None
        command = importlib.import_module(module_name).main
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.main is not a click command")
        return command


@click.group(name="eval", cls=_LazyEvalGroup)
def eval_group() -> None:
    """Score newsflow on gold data (events: PLOVER records)."""
