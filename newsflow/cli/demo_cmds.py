"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

demo = not_yet("demo")
