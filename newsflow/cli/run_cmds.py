"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

run = not_yet("run")
