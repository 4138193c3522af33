"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

eval_group = not_yet("eval")
